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

/** Rows counted per token to find the rarest one; beyond this a token counts as common. */
const RAREST_TOKEN_PROBE = 200;
/**
 * Pages of name candidates read before giving up on filling the page: each later page reads this many
 * candidates per result still wanted, since n-grams met out of order (rare) are what failed the check.
 */
const NAME_PAGES = 3;
const CANDIDATES_PER_RESULT = 4;

interface OpenedCandidate extends SubscriberSearchSummary {
  names: string[];
}

/**
 * Subscribers holding every token, with their sealed names opened, in one statement. The rarest token
 * drives (counted up to a cap, so a common surname character costs a bounded probe) and each other
 * token is an index probe per candidate, so a query reads about as many rows as its rarest token has,
 * not as many as its commonest. Candidates come in subscriber order, the order of the token index, so
 * the limit stops the index scan and a surname held by 10,000 people is never sorted; `after` pages on.
 */
async function candidatesWithAllTokens(
  ctx: ServiceContext,
  field: SearchTokenField,
  tokens: readonly string[],
  limit: number,
  after: string | null = null,
): Promise<OpenedCandidate[]> {
  if (tokens.length === 0 || limit <= 0) return [];
  const driver =
    tokens.length === 1
      ? sql`${tokens[0]}`
      : sql`(
          select t.token from unnest(${sql.val(tokens)}::text[]) as t(token)
          order by (select count(*) from (
            select 1 from subscriber_search_tokens p where p.field = ${field} and p.token = t.token limit ${RAREST_TOKEN_PROBE}
          ) probe)
          limit 1)`;
  const holdsTheOthers =
    tokens.length === 1
      ? sql``
      : sql`and not exists (
          select 1 from unnest(${sql.val(tokens)}::text[]) as t(token)
          where not exists (
            select 1 from subscriber_search_tokens o where o.field = ${field} and o.token = t.token and o.subscriber_id = s.subscriber_id))`;
  const rows = await sql<{ id: string; kind: SubscriberKind; status: SubscriberStatus; sealed: unknown }>`
    select subscribers.id, subscribers.kind, subscribers.status, subscriber_identities.sealed
    from (
      select s.subscriber_id from subscriber_search_tokens s
      where s.field = ${field} and s.token = ${driver} ${after === null ? sql`` : sql`and s.subscriber_id > ${after}::uuid`}
        ${holdsTheOthers}
      order by s.subscriber_id
      limit ${limit}
    ) hit
    join subscribers on subscribers.id = hit.subscriber_id
    join subscriber_identities on subscriber_identities.subscriber_id = hit.subscriber_id
    order by hit.subscriber_id`.execute(ctx.db);
  return rows.rows.map((row) => opened(ctx, row));
}

/** Opens the names of a candidate to check and mask them; the clear names never leave this file. */
function opened(
  ctx: ServiceContext,
  row: { id: string; kind: SubscriberKind; status: SubscriberStatus; sealed: unknown },
): OpenedCandidate {
  const identity = openIdentity(ctx, row.id, row.kind, row.sealed, ['fullName', 'legalName', 'contactName']);
  const shown: IdentityField = row.kind === 'individual' ? 'fullName' : 'legalName';
  const shownValue = identity[shown];
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    maskedName: shownValue ? maskIdentityValue(shown, shownValue) : null,
    names: searchableNames(row.kind, identity),
  };
}

/** Subscribers by id (found by a number, an account, a bill), in the order asked. */
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
    return row ? [opened(ctx, row)] : [];
  });
}

function summaryOf(candidate: OpenedCandidate): SubscriberSearchSummary {
  return { id: candidate.id, kind: candidate.kind, status: candidate.status, maskedName: candidate.maskedName };
}

/**
 * Subscribers whose name (Chinese or Latin) contains the query. Only as many names are opened as
 * results are wanted, unless some fail the check on the opened name; then more are read, a page at a time.
 */
export async function findSubscribersByName(ctx: ServiceContext, query: string, limit: number): Promise<SubscriberSearchSummary[]> {
  const tokens = nameQueryGrams(query).map((gram) => searchToken(ctx.cipher, 'name', gram));
  const found: SubscriberSearchSummary[] = [];
  let after: string | null = null;
  for (let page = 0; page < NAME_PAGES && found.length < limit; page++) {
    const wanted = limit - found.length;
    const size = page === 0 ? wanted : wanted * CANDIDATES_PER_RESULT;
    const candidates = await candidatesWithAllTokens(ctx, 'name', tokens, size, after);
    for (const c of candidates) if (found.length < limit && c.names.some((name) => nameMatches(name, query))) found.push(summaryOf(c));
    // One token (王, 王伟, "har", "li") matches exactly what it names; only combinations can mislead.
    if (candidates.length < size || tokens.length === 1) break;
    after = candidates.at(-1)!.id;
  }
  return found;
}

/** Subscribers whose contact phone is this number, read as applications read it (E.164, China by default). */
export async function findSubscribersByContactPhone(ctx: ServiceContext, text: string, limit: number): Promise<SubscriberSearchSummary[]> {
  const phone = validatePhoneNumber(text);
  if (!phone.ok) return [];
  const token = searchToken(ctx.cipher, 'contact-phone', phone.value.e164);
  return (await candidatesWithAllTokens(ctx, 'contact-phone', [token], limit)).map(summaryOf);
}

/** Subscribers whose ID number (or organisation's credit code) ends with these four characters. */
export async function findSubscribersByIdLastFour(
  ctx: ServiceContext,
  lastFour: string,
  limit: number,
): Promise<SubscriberSearchSummary[]> {
  const value = lastFourOf(lastFour);
  if (value === null || value.length !== 4) return [];
  const token = searchToken(ctx.cipher, 'id-last-four', value);
  return (await candidatesWithAllTokens(ctx, 'id-last-four', [token], limit)).map(summaryOf);
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
