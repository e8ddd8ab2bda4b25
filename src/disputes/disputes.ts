import { sql, type Selectable } from 'kysely';
import { openFeeDisputeCase } from '../agreements/index.js';
import { recordAudit, type Actor } from '../audit/index.js';
import {
  billForDispute,
  billLineForDispute,
  callRatingForDispute,
  holdDisputedAmount,
  postAdjustment,
  releaseDisputedAmount,
  restoreServiceAfterPayment,
  type BillingContext,
} from '../billing/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import type { Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import { addDays, localDateOf } from '../platform/zoned-calendar.js';
import type { DisputeChannel, DisputeOutcome, DisputeStatus, DisputeSubject, DisputesTable } from './tables.js';

/**
 * Fee disputes (clause 6: the operator investigates, explains and corrects). A subscriber, or staff
 * for them, disputes a bill, a line of one, or a call; while the dispute is open its amount accrues
 * no late fee and is not overdue (billing holds it); staff investigate with the evidence gathered
 * for them and answer with an outcome: upheld or partly upheld (a credit note for the amount,
 * naming what it corrects, shown on the next bill) or rejected with reasons. The subscriber accepts
 * the answer or escalates it to a negotiation case (clause 16).
 */

export interface Dispute {
  id: string;
  subscriberId: string;
  subject: DisputeSubject;
  billId: string | null;
  ledgerEntryId: string | null;
  callRecordId: string | null;
  amountFen: Fen;
  reason: string;
  channel: DisputeChannel;
  openedAt: string;
  dueOn: string;
  status: DisputeStatus;
  assignedTo: { id: string; name: string | null } | null;
  outcome: DisputeOutcome | null;
  creditedFen: Fen | null;
  answer: { code: AnswerCode; text: string; at: string } | null;
  response: 'accepted' | 'escalated' | null;
  negotiationCaseId: string | null;
  closedAt: string | null;
  attachment: { name: string; type: string } | null;
  notes: { at: string; authorType: 'staff' | 'subscriber'; authorName: string | null; text: string }[];
}

/**
 * Why the operator answered as it did: each code is one sentence the pages say in the reader's
 * language (web/src/features/disputes/messages.ts); the agent's own words follow it.
 */
export const answerCodes = [
  'billed-correctly',
  'network-side',
  'platform-fault-credited',
  'rating-error-corrected',
  'goodwill-credit',
  'other',
] as const;
export type AnswerCode = (typeof answerCodes)[number];

/** Attachments: a photo or a scan of what the subscriber saw. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'application/pdf'] as const;
export const MAX_ATTACHMENT_BYTES = 1_000_000;

export interface NewDispute {
  subscriberId: string;
  subject: DisputeSubject;
  /** The bill, the bill line's ledger entry, or the call record, by subject. */
  subjectId: string;
  /** For a bill: how much of it is disputed (all of it when omitted). A line or a call is disputed whole. */
  amountFen?: Fen | undefined;
  reason: string;
  channel: DisputeChannel;
  attachment?: { name: string; type: string; content: Buffer } | undefined;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opens a dispute and holds its amount on the bill that carries it. */
export async function openDispute(ctx: BillingContext, input: NewDispute, actor: Actor): Promise<Result<Dispute>> {
  const reason = input.reason.trim();
  if (reason === '' || reason.length > 2000) {
    return fail('invalid', 'invalid-request', 'A reason of 1 to 2000 characters is required', {
      fields: [{ field: 'reason', message: 'required, at most 2000 characters' }],
    });
  }
  if (input.attachment) {
    const { type, content } = input.attachment;
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(type) || content.length === 0 || content.length > MAX_ATTACHMENT_BYTES) {
      return fail('invalid', 'invalid-request', 'An attachment is a PNG, JPEG or PDF file of at most 1 MB', {
        fields: [{ field: 'attachment', message: 'PNG, JPEG or PDF, at most 1 MB' }],
      });
    }
  }
  const target = await disputedAmountOf(ctx, input);
  if (!target.ok) return target;
  const now = ctx.clock.now();
  const dueOn = addDays(localDateOf(now, ctx.settings.timeZone), ctx.settings.disputeAnswerDays);
  const opened = await ctx.db.transaction().execute(async (trx): Promise<Result<string>> => {
    const existing = await trx
      .selectFrom('disputes')
      .select('id')
      .where('subscriber_id', '=', input.subscriberId)
      .where('subject', '=', input.subject)
      .where(sql<string>`coalesce(bill_id, ledger_entry_id, call_record_id)`, '=', input.subjectId)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    if (existing) {
      return fail('conflict', 'conflict', 'This is already under dispute', { extra: { disputeId: existing.id } });
    }
    // Billing holds the amount on the bill that carries it; a call not billed yet accrues no late fee anyway.
    const holdId = target.value.billId
      ? await holdDisputedAmount(trx, { billId: target.value.billId, amountFen: target.value.amountFen, at: now })
      : null;
    const { id } = await trx
      .insertInto('disputes')
      .values({
        subscriber_id: input.subscriberId,
        subject: input.subject,
        bill_id: input.subject === 'bill' ? input.subjectId : target.value.billId,
        ledger_entry_id: input.subject === 'bill-line' ? input.subjectId : null,
        call_record_id: input.subject === 'call' ? input.subjectId : null,
        amount_fen: target.value.amountFen,
        reason,
        channel: input.channel,
        opened_by: actor.id ?? actor.type,
        opened_at: now,
        due_on: dueOn,
        status: 'open',
        assigned_to: null,
        assigned_name: null,
        hold_id: holdId,
        outcome: null,
        credited_fen: null,
        answer_code: null,
        answer_text: null,
        answered_at: null,
        answered_by: null,
        response: null,
        negotiation_case_id: null,
        closed_at: null,
        attachment_name: input.attachment?.name.slice(0, 200) ?? null,
        attachment_type: input.attachment?.type ?? null,
        attachment: input.attachment?.content ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'disputes.open',
      target: { type: 'subscriber', id: input.subscriberId },
      detail: {
        disputeId: id,
        subject: input.subject,
        subjectId: input.subjectId,
        amountFen: target.value.amountFen,
        channel: input.channel,
      },
    });
    await appendEvent(trx, {
      type: 'dispute.opened',
      aggregateType: 'subscriber',
      aggregateId: input.subscriberId,
      payload: { disputeId: id, amountFen: target.value.amountFen, dueOn },
      occurredAt: now,
    });
    return ok(id);
  });
  if (!opened.ok) return opened;
  // A suspension for an amount now under dispute lifts at once (never the other way: only the
  // billing job suspends).
  await restoreServiceAfterPayment(ctx, input.subscriberId);
  return ok((await loadDispute(ctx.db, opened.value))!);
}

/** What is disputed, checked to be the subscriber's own: its amount and the bill that carries it. */
async function disputedAmountOf(ctx: BillingContext, input: NewDispute): Promise<Result<{ amountFen: Fen; billId: string | null }>> {
  const notFound = () =>
    fail<{ amountFen: Fen; billId: string | null }>('not_found', 'not-found', `No such ${input.subject} of this subscriber`);
  if (!uuid.test(input.subjectId)) return notFound();
  if (input.subject === 'bill') {
    const bill = await billForDispute(ctx.db, input.subjectId);
    if (!bill || bill.subscriberId !== input.subscriberId) return notFound();
    const amount = input.amountFen ?? bill.totalFen;
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > bill.totalFen) {
      return fail('invalid', 'invalid-request', 'The disputed amount is a positive number of fen, at most the bill’s total', {
        fields: [{ field: 'amountFen', message: `between 1 and ${bill.totalFen}` }],
      });
    }
    return ok({ amountFen: amount, billId: bill.billId });
  }
  if (input.subject === 'bill-line') {
    const line = await billLineForDispute(ctx.db, input.subjectId);
    if (!line || line.subscriberId !== input.subscriberId) return notFound();
    if (line.amountFen <= 0) return fail('invalid', 'invalid-request', 'Only a line that charges something can be disputed');
    return ok({ amountFen: line.amountFen, billId: line.billId });
  }
  const rating = await callRatingForDispute(ctx, input.subjectId);
  if (!rating || rating.subscriberId !== input.subscriberId) return notFound();
  if (rating.chargeFen <= 0) {
    return fail('invalid', 'invalid-request', 'This call was not charged (it was within the included minutes)', {
      fields: [{ field: 'subjectId', message: 'charged nothing' }],
    });
  }
  return ok({ amountFen: rating.chargeFen, billId: rating.billId });
}

/** Staff take a dispute: it is being investigated, by them. */
export async function assignDispute(ctx: BillingContext, id: string, actor: Actor): Promise<Result<Dispute>> {
  return changeDispute(ctx, id, actor, 'disputes.assign', async (trx, dispute) => {
    if (dispute.status === 'answered' || dispute.status === 'closed')
      return fail('conflict', 'conflict', 'This dispute was answered already');
    await trx
      .updateTable('disputes')
      .set({ status: 'investigating', assigned_to: actor.id, assigned_name: actor.name })
      .where('id', '=', id)
      .execute();
    return ok(undefined);
  });
}

/**
 * Staff hand a dispute to a colleague (or to no one) from the work queue. The dispute's own
 * `assigned_to` is the one record of who works it, so the dispute page and the queue agree; the
 * status is left as it is (taking a dispute, `assignDispute`, is what starts the investigation).
 */
export async function setDisputeAssignee(
  ctx: ServiceContext,
  id: string,
  assignee: { id: string; name: string } | null,
  actor: Actor,
): Promise<Result<Dispute>> {
  return changeDispute(ctx, id, actor, 'disputes.assign', async (trx, dispute) => {
    if (dispute.status === 'closed') return fail('conflict', 'conflict', 'This dispute is closed');
    await trx
      .updateTable('disputes')
      .set({ assigned_to: assignee?.id ?? null, assigned_name: assignee?.name ?? null })
      .where('id', '=', id)
      .execute();
    return ok(undefined);
  });
}

/** Who works each of these disputes (the work queue's assignee column). */
export async function disputeAssignees(executor: Executor, ids: readonly string[]): Promise<Map<string, { id: string; name: string }>> {
  const valid = ids.filter((id) => uuid.test(id));
  if (valid.length === 0) return new Map();
  const rows = await executor
    .selectFrom('disputes')
    .select(['id', 'assigned_to', 'assigned_name'])
    .where('id', 'in', valid)
    .where('assigned_to', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [row.id, { id: row.assigned_to!, name: row.assigned_name ?? '' }]));
}

/** The disputes a colleague works, or every assigned one when no colleague is named. */
export async function disputesAssignedTo(executor: Executor, staffId?: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('disputes')
    .select('id')
    .$if(staffId === undefined, (qb) => qb.where('assigned_to', 'is not', null))
    .$if(staffId !== undefined, (qb) => qb.where('assigned_to', '=', staffId!))
    .execute();
  return rows.map((row) => row.id);
}

/** A note in the investigation's history (staff), or a word from the subscriber. */
export async function addDisputeNote(ctx: BillingContext, id: string, text: string, actor: Actor): Promise<Result<Dispute>> {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 4000) {
    return fail('invalid', 'invalid-request', 'A note of 1 to 4000 characters', {
      fields: [{ field: 'text', message: 'required, at most 4000 characters' }],
    });
  }
  if (actor.type !== 'staff' && actor.type !== 'subscriber') throw new Error('only staff and subscribers write in a dispute');
  return changeDispute(ctx, id, actor, 'disputes.note', async (trx, dispute) => {
    if (dispute.status === 'closed') return fail('conflict', 'conflict', 'This dispute is closed');
    await trx
      .insertInto('dispute_notes')
      .values({
        dispute_id: id,
        author_type: actor.type as 'staff' | 'subscriber',
        author_id: actor.id ?? '',
        // A subscriber's name is identity data: only staff names are kept with their words.
        author_name: actor.type === 'staff' ? actor.name : null,
        at: ctx.clock.now(),
        text: trimmed,
      })
      .execute();
    return ok(undefined);
  });
}

export interface DisputeAnswer {
  outcome: DisputeOutcome;
  /** For a partly upheld dispute: the credit, more than 0 and less than the amount. */
  creditFen?: Fen | undefined;
  code: AnswerCode;
  text: string;
}

/**
 * The operator's answer (clause 6). Upheld credits the whole amount, partly upheld the credit given,
 * by a credit note naming the dispute and what it corrects (applied at once, shown on the next
 * bill); the hold on the bill ends, so a rejected amount is due again and accrues late fees from
 * the day after this answer.
 */
export async function answerDispute(ctx: BillingContext, id: string, answer: DisputeAnswer, actor: Actor): Promise<Result<Dispute>> {
  const text = answer.text.trim();
  const fields: { field: string; message: string }[] = [];
  if (text === '' || text.length > 4000) fields.push({ field: 'text', message: 'required, at most 4000 characters' });
  if (!(answerCodes as readonly string[]).includes(answer.code)) fields.push({ field: 'code', message: 'unknown answer code' });
  if (fields.length > 0) return fail('invalid', 'invalid-request', 'The answer needs a reason and an explanation', { fields });
  const dispute = await loadDispute(ctx.db, id);
  if (!dispute) return fail('not_found', 'not-found', 'No such dispute');
  if (dispute.status === 'answered' || dispute.status === 'closed')
    return fail('conflict', 'conflict', 'This dispute was answered already');
  const credit = answer.outcome === 'upheld' ? dispute.amountFen : answer.outcome === 'rejected' ? 0 : (answer.creditFen ?? 0);
  if (answer.outcome === 'partly-upheld' && !(Number.isSafeInteger(credit) && credit > 0 && credit < dispute.amountFen)) {
    return fail('invalid', 'invalid-request', 'A partly upheld dispute credits more than nothing and less than the amount', {
      fields: [{ field: 'creditFen', message: `between 1 and ${dispute.amountFen - 1}` }],
    });
  }
  // The hold ends first, so the credit below pays the amount it corrects (money is not applied to
  // an amount under dispute). Each step is idempotent: answering again after a failure finishes it.
  const holdId = (await ctx.db.selectFrom('disputes').select('hold_id').where('id', '=', id).executeTakeFirst())?.hold_id ?? null;
  if (holdId) await releaseDisputedAmount(ctx.db, holdId, ctx.clock.now());
  if (credit > 0) {
    // Its own key: answering again after a failure below posts the credit once.
    const posted = await postAdjustment(
      ctx,
      {
        subscriberId: dispute.subscriberId,
        kind: 'credit_note',
        amountFen: credit,
        reason: `Fee dispute ${answer.outcome}: ${dispute.subject} ${dispute.billId ?? ''}`.trim(),
        ...(dispute.billId ? { billId: dispute.billId } : {}),
        idempotencyKey: `dispute:${id}`,
        source: { kind: 'dispute', disputeId: id, outcome: answer.outcome, subject: dispute.subject },
      },
      actor,
    );
    if (!posted.ok) return posted;
  }
  return changeDispute(ctx, id, actor, 'disputes.answer', async (trx, current) => {
    if (current.status === 'answered' || current.status === 'closed')
      return fail('conflict', 'conflict', 'This dispute was answered already');
    const now = ctx.clock.now();
    await trx
      .updateTable('disputes')
      .set({
        status: 'answered',
        outcome: answer.outcome,
        credited_fen: credit,
        answer_code: answer.code,
        answer_text: text,
        answered_at: now,
        answered_by: actor.id ?? actor.type,
        assigned_to: current.assignedTo?.id ?? actor.id,
        assigned_name: current.assignedTo?.name ?? actor.name,
      })
      .where('id', '=', id)
      .execute();
    await appendEvent(trx, {
      type: 'dispute.answered',
      aggregateType: 'subscriber',
      aggregateId: current.subscriberId,
      payload: { disputeId: id, outcome: answer.outcome, creditedFen: credit },
      occurredAt: now,
    });
    return ok(undefined);
  });
}

/** The subscriber accepts the answer: the dispute is closed. */
export async function acceptAnswer(ctx: BillingContext, id: string, subscriberId: string, actor: Actor): Promise<Result<Dispute>> {
  return respond(ctx, id, subscriberId, actor, 'accepted');
}

/** The subscriber does not accept: a negotiation case (clause 16) continues it, and the dispute is closed into it. */
export async function escalateDispute(
  ctx: BillingContext,
  id: string,
  subscriberId: string,
  why: string,
  actor: Actor,
): Promise<Result<Dispute>> {
  const text = why.trim();
  if (text === '' || text.length > 4000) {
    return fail('invalid', 'invalid-request', 'Say why the answer is not accepted', {
      fields: [{ field: 'reason', message: 'required, at most 4000 characters' }],
    });
  }
  return respond(ctx, id, subscriberId, actor, 'escalated', text);
}

async function respond(
  ctx: BillingContext,
  id: string,
  subscriberId: string,
  actor: Actor,
  response: 'accepted' | 'escalated',
  why?: string,
): Promise<Result<Dispute>> {
  return changeDispute(ctx, id, actor, `disputes.${response === 'accepted' ? 'accept' : 'escalate'}`, async (trx, dispute) => {
    if (dispute.subscriberId !== subscriberId) return fail('not_found', 'not-found', 'No such dispute');
    if (dispute.status !== 'answered') return fail('conflict', 'conflict', 'Only an answered dispute can be accepted or escalated');
    const now = ctx.clock.now();
    const negotiation =
      response === 'escalated' ? await openFeeDisputeCase(trx, { subscriberId, disputeId: id, reason: why!, at: now }, actor) : null;
    await trx
      .updateTable('disputes')
      .set({ status: 'closed', response, negotiation_case_id: negotiation?.id ?? null, closed_at: now })
      .where('id', '=', id)
      .execute();
    return ok(undefined);
  });
}

/** Runs `change` on the dispute, locked, with an audit entry; answers the dispute as it stands after. */
async function changeDispute(
  ctx: ServiceContext,
  id: string,
  actor: Actor,
  action: string,
  change: (trx: Executor, dispute: Dispute & { holdId: string | null }) => Promise<Result<undefined>>,
): Promise<Result<Dispute>> {
  if (!uuid.test(id)) return fail('not_found', 'not-found', 'No such dispute');
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<Result<undefined>> => {
    const locked = await trx.selectFrom('disputes').select(['id', 'hold_id']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) return fail('not_found', 'not-found', 'No such dispute');
    const dispute = (await loadDispute(trx, id))!;
    const changed = await change(trx, { ...dispute, holdId: locked.hold_id });
    if (!changed.ok) return changed;
    await recordAudit(trx, {
      at: ctx.clock.now(),
      actor,
      action,
      target: { type: 'subscriber', id: dispute.subscriberId },
      detail: { disputeId: id },
    });
    return ok(undefined);
  });
  if (!outcome.ok) return outcome;
  return ok((await loadDispute(ctx.db, id))!);
}

export async function loadDispute(executor: Executor, id: string): Promise<Dispute | null> {
  if (!uuid.test(id)) return null;
  return (await loadDisputes(executor, { id }))[0] ?? null;
}

/**
 * Disputes with their notes in two queries, newest first; the attachment's bytes stay behind
 * (`disputeAttachment` serves them).
 */
async function loadDisputes(executor: Executor, filter: { id: string } | { subscriberId: string }): Promise<Dispute[]> {
  const rows = await executor
    .selectFrom('disputes')
    .select([
      'id',
      'subscriber_id',
      'subject',
      'bill_id',
      'ledger_entry_id',
      'call_record_id',
      'amount_fen',
      'reason',
      'channel',
      'opened_by',
      'opened_at',
      'status',
      'assigned_to',
      'assigned_name',
      'hold_id',
      'outcome',
      'credited_fen',
      'answer_code',
      'answer_text',
      'answered_at',
      'answered_by',
      'response',
      'negotiation_case_id',
      'closed_at',
      'attachment_name',
      'attachment_type',
    ])
    // A local date, read as text so no time zone can shift it; the file itself is not read here.
    .select(sql<string>`due_on::text`.as('due_on'))
    .where('id' in filter ? 'id' : 'subscriber_id', '=', 'id' in filter ? filter.id : filter.subscriberId)
    .orderBy('opened_at', 'desc')
    .limit(200)
    .execute();
  if (rows.length === 0) return [];
  const notes = await executor
    .selectFrom('dispute_notes')
    .selectAll()
    .where(
      'dispute_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((row) =>
    toDispute(
      row,
      notes.filter((n) => n.dispute_id === row.id),
    ),
  );
}

function toDispute(
  row: Omit<Selectable<DisputesTable>, 'attachment'>,
  notes: { at: Date; author_type: 'staff' | 'subscriber'; author_name: string | null; text: string }[],
): Dispute {
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    subject: row.subject,
    billId: row.bill_id,
    ledgerEntryId: row.ledger_entry_id,
    callRecordId: row.call_record_id,
    amountFen: Number(row.amount_fen),
    reason: row.reason,
    channel: row.channel,
    openedAt: row.opened_at.toISOString(),
    dueOn: String(row.due_on),
    status: row.status,
    assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assigned_name } : null,
    outcome: row.outcome,
    creditedFen: row.credited_fen === null ? null : Number(row.credited_fen),
    answer:
      row.answer_code && row.answered_at
        ? { code: row.answer_code as AnswerCode, text: row.answer_text ?? '', at: row.answered_at.toISOString() }
        : null,
    response: row.response,
    negotiationCaseId: row.negotiation_case_id,
    closedAt: row.closed_at?.toISOString() ?? null,
    attachment: row.attachment_name && row.attachment_type ? { name: row.attachment_name, type: row.attachment_type } : null,
    notes: notes.map((n) => ({ at: n.at.toISOString(), authorType: n.author_type, authorName: n.author_name, text: n.text })),
  };
}

/** A subscriber's own disputes, newest first (the portal). */
export function disputesOfSubscriber(executor: Executor, subscriberId: string): Promise<Dispute[]> {
  return loadDisputes(executor, { subscriberId });
}

export interface QueueEntry {
  id: string;
  subscriberId: string;
  subject: DisputeSubject;
  amountFen: Fen;
  status: DisputeStatus;
  openedAt: string;
  dueOn: string;
  overdue: boolean;
  assignedTo: { id: string; name: string | null } | null;
}

/** The staff queue: unanswered first, by due date; filters by status and assignee. */
export async function disputeQueue(
  ctx: BillingContext,
  filter: { status?: DisputeStatus | undefined; assignedTo?: string | undefined } = {},
): Promise<QueueEntry[]> {
  const today = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  let query = ctx.db
    .selectFrom('disputes')
    .select(['id', 'subscriber_id', 'subject', 'amount_fen', 'status', 'opened_at', 'assigned_to', 'assigned_name'])
    .select(sql<string>`due_on::text`.as('due_on'));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.assignedTo) query = query.where('assigned_to', '=', filter.assignedTo);
  const rows = await query
    .orderBy(sql`case when status in ('open', 'investigating') then 0 else 1 end`)
    .orderBy('due_on')
    .orderBy('opened_at')
    .limit(500)
    .execute();
  return rows.map((row) => {
    const dueOn = String(row.due_on);
    return {
      id: row.id,
      subscriberId: row.subscriber_id,
      subject: row.subject,
      amountFen: Number(row.amount_fen),
      status: row.status,
      openedAt: row.opened_at.toISOString(),
      dueOn,
      overdue: (row.status === 'open' || row.status === 'investigating') && dueOn < today,
      assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assigned_name } : null,
    };
  });
}

/** The attachment's bytes, for its owner or staff. */
export async function disputeAttachment(executor: Executor, id: string): Promise<{ name: string; type: string; content: Buffer } | null> {
  if (!uuid.test(id)) return null;
  const row = await executor
    .selectFrom('disputes')
    .select(['attachment_name', 'attachment_type', 'attachment'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.attachment || !row.attachment_name || !row.attachment_type) return null;
  return { name: row.attachment_name, type: row.attachment_type, content: Buffer.from(row.attachment) };
}
