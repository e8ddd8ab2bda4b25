import { sql, type Kysely, type Transaction } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Database } from '../platform/db/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { fieldsOf, maskIdentityValue, openIdentity, type IdentityField } from './identity.js';
import {
  lastFourOf,
  nameMatches,
  nameQueryGrams,
  searchableNames,
  searchToken,
  searchTokensOf,
  SEARCH_TOKENS_VERSION,
  type SearchToken,
} from './search-tokens.js';
import { validatePhoneNumber } from './validation/index.js';
import type { SearchTokenField, SubscriberKind, SubscriberStatus } from './tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A subscriber as a search result shows it: nothing in clear. */
export interface SubscriberSearchSummary {
  id: string;
  kind: SubscriberKind;
  status: SubscriberStatus;
  /** The name masked as everywhere in the console (张**), or null if none is on file. */
  maskedName: string | null;
}

/** Replaces one subscriber's tokens; called in the transaction that writes the identity. */
export async function writeSearchTokens(trx: Db, subscriberId: string, tokens: readonly SearchToken[]): Promise<void> {
  await trx.deleteFrom('subscriber_search_tokens').where('subscriber_id', '=', subscriberId).execute();
  if (tokens.length > 0) {
    await trx
      .insertInto('subscriber_search_tokens')
      .values(tokens.map((t) => ({ field: t.field, token: t.token, subscriber_id: subscriberId })))
      .execute();
  }
  await trx
    .updateTable('subscriber_identities')
    .set({ search_tokens_version: SEARCH_TOKENS_VERSION })
    .where('subscriber_id', '=', subscriberId)
    .execute();
}

/** Candidates read per result wanted: n-gram matches that fail the check on the opened name are dropped. */
const CANDIDATES_PER_RESULT = 4;
/** Rows counted per token to find the rarest one; beyond this a token counts as common. */
const RAREST_TOKEN_PROBE = 200;

/**
 * Subscribers holding every token. The rarest token drives (counted up to a cap, so a common
 * surname character costs a bounded probe) and each other token is an index probe per candidate, so a
 * query reads about as many rows as its rarest token has, not as many as its commonest.
 */
async function subscribersWithAllTokens(db: Db, field: SearchTokenField, tokens: readonly string[], limit: number): Promise<string[]> {
  if (tokens.length === 0) return [];
  let ordered = [...tokens];
  if (tokens.length > 1) {
    const counts = await sql<{ token: string; n: number }>`
      select t.token, (select count(*) from (
        select 1 from subscriber_search_tokens s where s.field = ${field} and s.token = t.token limit ${RAREST_TOKEN_PROBE}
      ) probe)::int as n
      from unnest(${sql.val(tokens)}::text[]) as t(token)`.execute(db);
    if (counts.rows.some((row) => row.n === 0)) return [];
    ordered = counts.rows.sort((a, b) => a.n - b.n).map((row) => row.token);
  }
  const [driver, ...others] = ordered;
  let query = db
    .selectFrom('subscriber_search_tokens as s')
    .select('s.subscriber_id')
    .where('s.field', '=', field)
    .where('s.token', '=', driver!);
  others.forEach((token, i) => {
    const alias = `o${i}` as 'o';
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom(`subscriber_search_tokens as ${alias}`)
          .select(sql.lit(1).as('one'))
          .where(`${alias}.field`, '=', field)
          .where(`${alias}.token`, '=', token)
          .whereRef(`${alias}.subscriber_id`, '=', 's.subscriber_id'),
      ),
    );
  });
  const rows = await query.limit(limit).execute();
  return rows.map((row) => row.subscriber_id);
}

interface OpenedCandidate extends SubscriberSearchSummary {
  names: string[];
}

/** Opens the names of a few candidates to check and mask them; the clear names never leave this file. */
async function openCandidates(ctx: ServiceContext, ids: readonly string[]): Promise<OpenedCandidate[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('subscribers')
    .innerJoin('subscriber_identities', 'subscriber_identities.subscriber_id', 'subscribers.id')
    .select(['subscribers.id', 'subscribers.kind', 'subscribers.status', 'subscriber_identities.sealed'])
    .where('subscribers.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const identity = openIdentity(ctx, row.id, row.kind, row.sealed, ['fullName', 'legalName', 'contactName']);
    const names = searchableNames(row.kind, identity);
    const shown: IdentityField = row.kind === 'individual' ? 'fullName' : 'legalName';
    const shownValue = identity[shown];
    return [
      {
        id: row.id,
        kind: row.kind,
        status: row.status,
        maskedName: shownValue ? maskIdentityValue(shown, shownValue) : null,
        names,
      },
    ];
  });
}

function summaryOf(candidate: OpenedCandidate): SubscriberSearchSummary {
  return { id: candidate.id, kind: candidate.kind, status: candidate.status, maskedName: candidate.maskedName };
}

/** Subscribers whose name (Chinese or Latin) contains the query. */
export async function findSubscribersByName(ctx: ServiceContext, query: string, limit: number): Promise<SubscriberSearchSummary[]> {
  const tokens = nameQueryGrams(query).map((gram) => searchToken(ctx.cipher, 'name', gram));
  // One token (王, 王伟, "har", "li") matches exactly what it names; only combinations can mislead.
  const ids = await subscribersWithAllTokens(ctx.db, 'name', tokens, tokens.length === 1 ? limit : limit * CANDIDATES_PER_RESULT);
  const candidates = await openCandidates(ctx, ids);
  return candidates
    .filter((c) => c.names.some((name) => nameMatches(name, query)))
    .slice(0, limit)
    .map(summaryOf);
}

/** Subscribers whose contact phone is this number, read as applications read it (E.164, China by default). */
export async function findSubscribersByContactPhone(ctx: ServiceContext, text: string, limit: number): Promise<SubscriberSearchSummary[]> {
  const phone = validatePhoneNumber(text);
  if (!phone.ok) return [];
  const ids = await subscribersWithAllTokens(ctx.db, 'contact-phone', [searchToken(ctx.cipher, 'contact-phone', phone.value.e164)], limit);
  return (await openCandidates(ctx, ids)).map(summaryOf);
}

/** Subscribers whose ID number (or organisation's credit code) ends with these four characters. */
export async function findSubscribersByIdLastFour(
  ctx: ServiceContext,
  lastFour: string,
  limit: number,
): Promise<SubscriberSearchSummary[]> {
  const value = lastFourOf(lastFour);
  if (value === null || value.length !== 4) return [];
  const ids = await subscribersWithAllTokens(ctx.db, 'id-last-four', [searchToken(ctx.cipher, 'id-last-four', value)], limit);
  return (await openCandidates(ctx, ids)).map(summaryOf);
}

/** Summaries of subscribers found by something other than identity (a number, an account, a bill). */
export async function subscriberSearchSummaries(ctx: ServiceContext, ids: readonly string[]): Promise<SubscriberSearchSummary[]> {
  return (await openCandidates(ctx, ids)).map(summaryOf);
}

/**
 * Indexes identities written before search tokens existed (and, after a new derivation, again):
 * a batch per run, each subscriber in its own small transaction. Idempotent: an indexed identity
 * carries the current version and is not read again.
 */
export async function indexSearchTokens(ctx: ServiceContext, batchSize = 500): Promise<{ indexed: number }> {
  let indexed = 0;
  for (;;) {
    const rows = await ctx.db
      .selectFrom('subscriber_identities')
      .innerJoin('subscribers', 'subscribers.id', 'subscriber_identities.subscriber_id')
      .select(['subscribers.id', 'subscribers.kind', 'subscriber_identities.sealed'])
      .where('subscriber_identities.search_tokens_version', '<', SEARCH_TOKENS_VERSION)
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return { indexed };
    for (const row of rows) {
      const identity = openIdentity(ctx, row.id, row.kind, row.sealed, fieldsOf(row.kind));
      const tokens = searchTokensOf(ctx.cipher, row.kind, identity, identity.idNumber ?? identity.creditCode ?? '');
      await ctx.db.transaction().execute((trx) => writeSearchTokens(trx, row.id, tokens));
      indexed++;
    }
  }
}

export function indexSearchTokensJob(ctx: ServiceContext): TimeDrivenJob {
  return {
    name: 'subscribers.search-tokens',
    intervalSeconds: 3600,
    advanceTo: () => indexSearchTokens(ctx),
  };
}
