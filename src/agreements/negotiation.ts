import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { NegotiationStatus, NegotiationSubject } from './tables.js';

/**
 * Clause 16: a dispute is settled by negotiation, or either party takes it to the arbitration body
 * the agreement names (`settings.arbitrationBody`). A case keeps its whole history as append-only
 * entries from both sides; it ends resolved or escalated to arbitration.
 */
export interface CaseEntry {
  id: number;
  authorType: 'subscriber' | 'staff';
  authorId: string;
  authorName: string | null;
  at: string;
  text: string;
}

export interface NegotiationCase {
  id: string;
  subscriberId: string;
  subject: NegotiationSubject;
  version: number | null;
  disputeId: string | null;
  status: NegotiationStatus;
  openedAt: string;
  resolvedAt: string | null;
  outcome: string | null;
  arbitrationBody: string | null;
  entries: CaseEntry[];
}

export type CaseOutcome = Exclude<NegotiationStatus, 'open'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function authorOf(actor: Actor): { author_type: 'subscriber' | 'staff'; author_id: string; author_name: string | null } {
  if ((actor.type !== 'subscriber' && actor.type !== 'staff') || !actor.id)
    throw new Error(`a ${actor.type} cannot write in a negotiation case`);
  // A subscriber's name is identity data: only staff names are stored with their entries.
  return { author_type: actor.type, author_id: actor.id, author_name: actor.type === 'staff' ? actor.name : null };
}

/** Opens the case an objection starts, inside the objection's transaction; the reason is its first entry. */
export function openTermsChangeCase(
  trx: Executor,
  input: { subscriberId: string; version: number; reason: string; at: Date },
  actor: Actor,
): Promise<NegotiationCase> {
  return openCase(trx, { ...input, subject: 'terms-change', version: input.version, disputeId: null }, actor);
}

/**
 * Opens the case a fee dispute's escalation starts (clause 6 → 16), inside the caller's transaction;
 * the subscriber's words are its first entry. Once per dispute.
 */
export function openFeeDisputeCase(
  trx: Executor,
  input: { subscriberId: string; disputeId: string; reason: string; at: Date },
  actor: Actor,
): Promise<NegotiationCase> {
  return openCase(trx, { ...input, subject: 'fee-dispute', version: null }, actor);
}

async function openCase(
  trx: Executor,
  input: { subscriberId: string; subject: NegotiationSubject; version: number | null; disputeId: string | null; reason: string; at: Date },
  actor: Actor,
): Promise<NegotiationCase> {
  const { id } = await trx
    .insertInto('negotiation_cases')
    .values({
      subscriber_id: input.subscriberId,
      subject: input.subject,
      version: input.version,
      dispute_id: input.disputeId,
      status: 'open',
      opened_at: input.at,
      resolved_at: null,
      outcome: null,
      arbitration_body: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('negotiation_case_entries')
    .values({ case_id: id, ...authorOf(actor), at: input.at, text: input.reason })
    .execute();
  return (await loadCase(trx, id))!;
}

async function loadCase(executor: Executor, id: string): Promise<NegotiationCase | null> {
  const row = await executor.selectFrom('negotiation_cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const entries = await executor.selectFrom('negotiation_case_entries').selectAll().where('case_id', '=', id).orderBy('id').execute();
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    subject: row.subject,
    version: row.version,
    disputeId: row.dispute_id,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    outcome: row.outcome,
    arbitrationBody: row.arbitration_body,
    entries: entries.map((e) => ({
      id: e.id,
      authorType: e.author_type,
      authorId: e.author_id,
      authorName: e.author_name,
      at: e.at.toISOString(),
      text: e.text,
    })),
  };
}

/** One case with its history. `subscriberId` limits the lookup to that subscriber's own cases (the portal). */
export async function getNegotiationCase(ctx: ServiceContext, id: string, subscriberId?: string): Promise<Result<NegotiationCase>> {
  const found = uuidPattern.test(id) ? await loadCase(ctx.db, id) : null;
  if (!found || (subscriberId !== undefined && found.subscriberId !== subscriberId)) {
    return fail('not_found', 'not-found', 'No such negotiation case');
  }
  return ok(found);
}

export interface CaseSummary {
  id: string;
  subscriberId: string;
  subject: NegotiationSubject;
  version: number | null;
  status: NegotiationStatus;
  openedAt: string;
  resolvedAt: string | null;
  entryCount: number;
}

/** Cases, oldest open first: for the console queue (by status) or one subscriber's portal list. */
export async function listNegotiationCases(
  ctx: ServiceContext,
  filter: { status?: NegotiationStatus; subscriberId?: string; limit: number },
): Promise<CaseSummary[]> {
  let query = ctx.db
    .selectFrom('negotiation_cases as c')
    .select([
      'c.id',
      'c.subscriber_id',
      'c.subject',
      'c.version',
      'c.status',
      'c.opened_at',
      'c.resolved_at',
      (eb) =>
        eb
          .selectFrom('negotiation_case_entries as e')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('e.case_id', '=', 'c.id')
          .as('entry_count'),
    ])
    .orderBy('c.opened_at')
    .orderBy('c.id')
    .limit(filter.limit);
  if (filter.status) query = query.where('c.status', '=', filter.status);
  if (filter.subscriberId) query = query.where('c.subscriber_id', '=', filter.subscriberId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    subscriberId: row.subscriber_id,
    subject: row.subject,
    version: row.version,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    entryCount: Number(row.entry_count ?? 0),
  }));
}

/** Locks an open case for a change; a closed case takes no more entries. */
async function lockOpenCase(trx: Executor, id: string, subscriberId?: string) {
  const row = uuidPattern.test(id)
    ? await trx
        .selectFrom('negotiation_cases')
        .select(['id', 'subscriber_id', 'status'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!row || (subscriberId !== undefined && row.subscriber_id !== subscriberId)) {
    return fail<never>('not_found', 'not-found', 'No such negotiation case');
  }
  if (row.status !== 'open') return fail<never>('conflict', 'conflict', `This negotiation case is closed (${row.status})`);
  return ok(row);
}

/** Either party adds to the history of an open case. A subscriber may only write in their own cases. */
export async function addCaseEntry(
  ctx: ServiceContext,
  input: { caseId: string; text: string; subscriberId?: string },
  actor: Actor,
): Promise<Result<CaseEntry>> {
  const text = input.text.trim();
  if (!text)
    return fail('invalid', 'invalid-request', 'Write something', { fields: [{ field: 'text', message: 'required', code: 'required' }] });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockOpenCase(trx, input.caseId, input.subscriberId);
    if (!locked.ok) return locked;
    const author = authorOf(actor);
    const { id } = await trx
      .insertInto('negotiation_case_entries')
      .values({ case_id: input.caseId, ...author, at: now, text })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The subscriber hears of the operator's answers; staff see the subscriber's in the queue.
    if (author.author_type === 'staff') {
      await appendEvent(trx, {
        type: 'negotiation.case-answered',
        aggregateType: 'subscriber',
        aggregateId: locked.value.subscriber_id,
        payload: { caseId: input.caseId, entryId: id },
        occurredAt: now,
      });
    }
    return ok({
      id,
      authorType: author.author_type,
      authorId: author.author_id,
      authorName: author.author_name,
      at: now.toISOString(),
      text,
    });
  });
}

/**
 * Staff close an open case: resolved by agreement, or escalated to the arbitration body named in
 * the agreement (recorded with the case, as it was named on that day). The statement becomes the
 * case's last entry; the subscriber is told.
 */
export async function resolveNegotiationCase(
  ctx: ServiceContext,
  input: { caseId: string; outcome: CaseOutcome; text: string },
  actor: Actor,
): Promise<Result<NegotiationCase>> {
  const text = input.text.trim();
  if (!text)
    return fail('invalid', 'invalid-request', 'State the outcome', { fields: [{ field: 'text', message: 'required', code: 'required' }] });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockOpenCase(trx, input.caseId);
    if (!locked.ok) return locked;
    const arbitrationBody = input.outcome === 'escalated-to-arbitration' ? ctx.settings.arbitrationBody : null;
    await trx
      .updateTable('negotiation_cases')
      .set({ status: input.outcome, resolved_at: now, outcome: text, arbitration_body: arbitrationBody })
      .where('id', '=', input.caseId)
      .execute();
    await trx
      .insertInto('negotiation_case_entries')
      .values({ case_id: input.caseId, ...authorOf(actor), at: now, text })
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: `negotiation.case.${input.outcome === 'resolved' ? 'resolve' : 'escalate'}`,
      target: { type: 'negotiation_case', id: input.caseId },
      before: { status: 'open' },
      after: { status: input.outcome, ...(arbitrationBody ? { arbitrationBody } : {}) },
    });
    await appendEvent(trx, {
      type: `negotiation.case-${input.outcome}`,
      aggregateType: 'subscriber',
      aggregateId: locked.value.subscriber_id,
      payload: { caseId: input.caseId, ...(arbitrationBody ? { arbitrationBody } : {}) },
      occurredAt: now,
    });
    return ok((await loadCase(trx, input.caseId))!);
  });
}
