import { createHash, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { recordAudit, systemActor, type Actor } from '../audit/index.js';
import type { EndCallsOf } from '../calls/index.js';
import { liftSuspensions, suspendWithin, SUSPENSION_CAUSES } from '../entitlements/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction, type Executor } from '../platform/db/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import { detectContentType, getMaskedSubscriber } from '../subscribers/index.js';
import type { JudicialOrdersTable, OrderScope } from './tables.js';

/**
 * Judicial and state-security orders (clause 10): "when a judicial or state-security authority
 * lawfully requires it, service may be suspended, and the monthly rent is still charged meanwhile".
 *
 * Only a legal officer (`legal.orders`, checked by the routes) places, reads, lists and lifts an
 * order or downloads its document, and each of those is audited. An order in force is a suspension
 * with cause `judicial` (reference: the order's id) opened through entitlements: its scope is the
 * order's, its rent rule the cause's. One that starts later is opened by `judicialOrdersJob` when its
 * time comes, and one with an end is lifted by it then. What the subscriber and a refused call are
 * told is the cause's neutral text; the order's details reach the subscriber only when the officer
 * allowed it (`discloseToSubscriber`).
 */
export interface JudicialOrderInput {
  subscriberId: string;
  authority: string;
  caseNumber: string;
  legalBasis: string;
  document: { contentType: string; content: Buffer };
  scope: OrderScope;
  /** When it takes effect; now when null (or in the past). */
  from: Date | null;
  /** When it ends by itself; null: until a legal officer lifts it. */
  until: Date | null;
  endCallsInProgress: boolean;
  discloseToSubscriber: boolean;
}

export type JudicialOrderStatus = 'scheduled' | 'in-force' | 'ended' | 'lifted';

export interface JudicialOrder {
  id: string;
  subscriberId: string;
  authority: string;
  caseNumber: string;
  legalBasis: string;
  document: { contentType: string; sizeBytes: number; sha256: string };
  scope: OrderScope;
  from: string;
  until: string | null;
  endCallsInProgress: boolean;
  discloseToSubscriber: boolean;
  status: JudicialOrderStatus;
  createdAt: string;
  createdBy: string;
  appliedAt: string | null;
  endedAt: string | null;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
}

/** The staff member acting, as the routes know them. */
export interface LegalStaff {
  id: string;
  username: string;
  ip: string | null;
  userAgent: string | null;
}

export const MAX_ORDER_DOCUMENT_BYTES = 10 * 1024 * 1024;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// -- ending calls in progress ---------------------------------------------------------------------

const callEnders = new Set<EndCallsOf>();

/**
 * Where an order that ends calls in progress ends them: each SIP node of this process registers its
 * `hangUpCallsOf` (the service wires it); returns the function that stops it.
 */
export function endCallsThrough(endCallsOf: EndCallsOf): () => void {
  callEnders.add(endCallsOf);
  return () => callEnders.delete(endCallsOf);
}

async function endCallsOfSubscriber(ctx: ServiceContext, subscriberId: string): Promise<number> {
  const numbers = await numbersOfSubscriber(ctx.db, subscriberId);
  if (numbers.length === 0) return 0;
  // The parties' phones and the call record read this: the cause's neutral words, no order details.
  const reason = SUSPENSION_CAUSES.judicial.refusal.en;
  let ended = 0;
  for (const endCallsOf of callEnders) ended += endCallsOf(numbers, reason);
  return ended;
}

// -- placing --------------------------------------------------------------------------------------

function sealContext(orderId: string): string {
  return `judicial_orders:${orderId}`;
}

function validate(input: JudicialOrderInput, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const required = (field: string, value: string) => {
    if (value.trim().length < 2) errors.push({ field, message: 'required, at least 2 characters' });
  };
  required('authority', input.authority);
  required('caseNumber', input.caseNumber);
  required('legalBasis', input.legalBasis);
  const from = input.from && input.from > now ? input.from : now;
  if (input.until && input.until <= from)
    errors.push({ field: 'until', message: 'must be after the order takes effect', code: 'out-of-order' });
  return errors;
}

/** Records an order; one effective now suspends the subscriber (and ends their calls) before it answers. */
export async function placeJudicialOrder(
  ctx: ServiceContext,
  input: JudicialOrderInput,
  staff: LegalStaff,
): Promise<Result<JudicialOrder>> {
  const now = ctx.clock.now();
  const errors = validate(input, now);
  if (errors.length > 0)
    return fail('invalid', 'invalid-request', 'An order needs its authority, case number, legal basis and dates', { fields: errors });
  const { content } = input.document;
  if (content.length === 0)
    return fail('invalid', 'invalid-request', 'Attach the order document', {
      fields: [{ field: 'document', message: 'empty', code: 'required' }],
    });
  if (content.length > MAX_ORDER_DOCUMENT_BYTES)
    return fail('invalid', 'payload-too-large', `The document may be at most ${MAX_ORDER_DOCUMENT_BYTES} bytes`);
  const detected = detectContentType(content);
  if (!detected || detected !== input.document.contentType.split(';')[0]!.trim().toLowerCase())
    return fail('invalid', 'unsupported-media-type', 'Attach the order as a PDF, JPEG or PNG; its content must match its declared type');
  if (!uuidPattern.test(input.subscriberId)) return fail('not_found', 'not-found', 'No such subscriber');
  const subscriber = await getMaskedSubscriber(ctx, input.subscriberId);
  if (!subscriber) return fail('not_found', 'not-found', 'No such subscriber');

  const id = randomUUID();
  const sealed = ctx.cipher.sealBytes(content, sealContext(id));
  const sha256 = createHash('sha256').update(content).digest('hex');
  const from = input.from && input.from > now ? input.from : now;
  const inForceNow = from <= now;
  const actor = actorOf(staff);
  const row = await inTransaction(ctx.db, async (trx) => {
    const inserted = await trx
      .insertInto('judicial_orders')
      .values({
        id,
        subscriber_id: subscriber.id,
        authority: input.authority.trim(),
        case_number: input.caseNumber.trim(),
        legal_basis: input.legalBasis.trim(),
        document_content_type: detected,
        document_size_bytes: content.length,
        document_sha256: sha256,
        document_sealed: sealed,
        scope: input.scope,
        effective_from: from,
        effective_until: input.until,
        end_calls_in_progress: input.endCallsInProgress,
        disclose_to_subscriber: input.discloseToSubscriber,
        created_at: now,
        created_by_id: staff.id,
        created_by_name: staff.username,
        applied_at: null,
        ended_at: null,
        lifted_at: null,
        lifted_by_id: null,
        lifted_by_name: null,
        lift_reason: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'legal.judicial-order.place',
      target: { type: 'subscriber', id: subscriber.id },
      detail: {
        orderId: id,
        authority: inserted.authority,
        caseNumber: inserted.case_number,
        legalBasis: inserted.legal_basis,
        scope: inserted.scope,
        from: from.toISOString(),
        until: input.until?.toISOString() ?? null,
        endCallsInProgress: input.endCallsInProgress,
        discloseToSubscriber: input.discloseToSubscriber,
        document: { contentType: detected, sizeBytes: content.length, sha256 },
      },
    });
    return inForceNow ? await applyWithin(trx, ctx, inserted, now) : inserted;
  });
  if (row.applied_at) await afterApplied(ctx, row);
  return ok(toOrder(row));
}

/** Opens the order's suspension inside `trx` and marks the order applied. */
async function applyWithin(trx: Executor, ctx: ServiceContext, order: OrderRow, now: Date): Promise<OrderRow> {
  await suspendWithin(
    trx,
    ctx.settings,
    // No reason: the refused subscriber hears the cause's neutral text, never the order's.
    { subscriberId: order.subscriber_id, cause: 'judicial', reference: order.id, scope: order.scope },
    systemActor,
    now,
  );
  return trx.updateTable('judicial_orders').set({ applied_at: now }).where('id', '=', order.id).returningAll().executeTakeFirstOrThrow();
}

/**
 * After the suspension is committed (and announced to the SIP nodes, `suspendWithin`): the
 * subscriber's calls in progress end if the order says so.
 */
async function afterApplied(ctx: ServiceContext, order: OrderRow): Promise<void> {
  if (order.end_calls_in_progress) {
    const ended = await endCallsOfSubscriber(ctx, order.subscriber_id);
    if (ended > 0) ctx.logger.info({ orderId: order.id, ended }, 'calls in progress ended by a judicial order');
  }
}

// -- lifting and ending -----------------------------------------------------------------------------

/** A legal officer lifts an order (the authority withdrew it): its suspension closes at once. */
export async function liftJudicialOrder(
  ctx: ServiceContext,
  input: { orderId: string; reason: string },
  staff: LegalStaff,
): Promise<Result<JudicialOrder>> {
  const reason = input.reason.trim();
  if (reason.length < 2)
    return fail('invalid', 'invalid-request', 'State why the order is lifted', {
      fields: [{ field: 'reason', message: 'required', code: 'required' }],
    });
  if (!uuidPattern.test(input.orderId)) return fail('not_found', 'not-found', 'No such order');
  const now = ctx.clock.now();
  const lifted = await inTransaction(ctx.db, async (trx): Promise<Result<OrderRow>> => {
    const order = await trx.selectFrom('judicial_orders').selectAll().where('id', '=', input.orderId).forUpdate().executeTakeFirst();
    if (!order) return fail('not_found', 'not-found', 'No such order');
    if (order.lifted_at || order.ended_at) return fail('conflict', 'conflict', 'The order is no longer in force');
    const row = await trx
      .updateTable('judicial_orders')
      .set({ lifted_at: now, lifted_by_id: staff.id, lifted_by_name: staff.username, lift_reason: reason, ended_at: now })
      .where('id', '=', order.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      at: now,
      actor: actorOf(staff),
      action: 'legal.judicial-order.lift',
      target: { type: 'subscriber', id: order.subscriber_id },
      before: { status: toOrder(order).status },
      after: { status: 'lifted' },
      detail: { orderId: order.id, reason },
    });
    return ok(row);
  });
  if (!lifted.ok) return lifted;
  // Its own suspension only: another order, or another cause, keeps the subscriber suspended.
  await liftSuspensions(ctx, { subscriberId: lifted.value.subscriber_id, cause: 'judicial', reference: lifted.value.id }, actorOf(staff));
  return ok(toOrder(lifted.value));
}

/**
 * Brings the orders up to `instant`: those whose time has come take effect, those whose `until` has
 * passed end. Idempotent: an order is applied once (`applied_at`) and ended once (`ended_at`); a
 * suspension already open or already lifted is left as it is.
 */
export async function advanceJudicialOrders(ctx: ServiceContext, instant: Date): Promise<{ applied: number; ended: number }> {
  let applied = 0;
  let ended = 0;
  const due = await ctx.db
    .selectFrom('judicial_orders')
    .select('id')
    .where('ended_at', 'is', null)
    .where('applied_at', 'is', null)
    .where('effective_from', '<=', instant)
    .execute();
  for (const { id } of due) {
    const row = await inTransaction(ctx.db, async (trx) => {
      const order = await trx
        .selectFrom('judicial_orders')
        .selectAll()
        .where('id', '=', id)
        .where('applied_at', 'is', null)
        .where('ended_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (!order) return null;
      // An order whose whole span passed while nothing ran never takes effect: it is simply over.
      if (order.effective_until && order.effective_until <= instant) {
        await trx.updateTable('judicial_orders').set({ ended_at: order.effective_until }).where('id', '=', id).execute();
        return null;
      }
      return applyWithin(trx, ctx, order, instant);
    });
    if (row) {
      applied += 1;
      await afterApplied(ctx, row);
    }
  }
  const expiring = await ctx.db
    .selectFrom('judicial_orders')
    .select(['id', 'subscriber_id', 'effective_until'])
    .where('ended_at', 'is', null)
    .where('applied_at', 'is not', null)
    .where('effective_until', '<=', instant)
    .execute();
  for (const order of expiring) {
    // Lift first, then mark: a crash in between leaves the order to be ended (and lifted: 0) next time.
    await liftSuspensions(ctx, { subscriberId: order.subscriber_id, cause: 'judicial', reference: order.id }, systemActor);
    await inTransaction(ctx.db, async (trx) => {
      await trx.updateTable('judicial_orders').set({ ended_at: order.effective_until }).where('id', '=', order.id).execute();
      await recordAudit(trx, {
        at: instant,
        actor: systemActor,
        action: 'legal.judicial-order.end',
        target: { type: 'subscriber', id: order.subscriber_id },
        detail: { orderId: order.id, until: order.effective_until!.toISOString() },
      });
    });
    ended += 1;
  }
  return { applied, ended };
}

/** Every second: an order's `from` and `until` take effect within about a second (DESIGN §2's 5 s). */
export function judicialOrdersJob(ctx: ServiceContext): TimeDrivenJob {
  return { name: 'legal.judicial-orders', intervalSeconds: 1, advanceTo: (instant) => advanceJudicialOrders(ctx, instant) };
}

// -- reading (each read audited) ----------------------------------------------------------------------

/** Orders, newest first, optionally of one subscriber; the listing itself is audited. */
export async function listJudicialOrders(
  ctx: ServiceContext,
  filter: { subscriberId?: string | undefined; limit: number },
  staff: LegalStaff,
): Promise<JudicialOrder[]> {
  const now = ctx.clock.now();
  let query = ctx.db.selectFrom('judicial_orders').select(orderColumns).orderBy('created_at', 'desc').orderBy('id').limit(filter.limit);
  if (filter.subscriberId) query = query.where('subscriber_id', '=', filter.subscriberId);
  const rows = await query.execute();
  await recordAudit(ctx.db, {
    at: now,
    actor: actorOf(staff),
    action: 'legal.judicial-order.list',
    target: filter.subscriberId ? { type: 'subscriber', id: filter.subscriberId } : null,
    detail: { orderIds: rows.map((row) => row.id) },
  });
  return rows.map((row) => toOrder(row));
}

/** One order, its view audited. */
export async function viewJudicialOrder(ctx: ServiceContext, orderId: string, staff: LegalStaff): Promise<Result<JudicialOrder>> {
  if (!uuidPattern.test(orderId)) return fail('not_found', 'not-found', 'No such order');
  const row = await ctx.db.selectFrom('judicial_orders').select(orderColumns).where('id', '=', orderId).executeTakeFirst();
  if (!row) return fail('not_found', 'not-found', 'No such order');
  const now = ctx.clock.now();
  await recordAudit(ctx.db, {
    at: now,
    actor: actorOf(staff),
    action: 'legal.judicial-order.view',
    target: { type: 'subscriber', id: row.subscriber_id },
    detail: { orderId },
  });
  return ok(toOrder(row));
}

/** The order's document, opened only after its download is audited. */
export async function downloadOrderDocument(
  ctx: ServiceContext,
  orderId: string,
  staff: LegalStaff,
): Promise<Result<{ contentType: string; content: Buffer; caseNumber: string }>> {
  if (!uuidPattern.test(orderId)) return fail('not_found', 'not-found', 'No such order');
  const row = await ctx.db
    .selectFrom('judicial_orders')
    .select(['id', 'subscriber_id', 'case_number', 'document_content_type', 'document_sha256', 'document_sealed'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!row) return fail('not_found', 'not-found', 'No such order');
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: actorOf(staff),
    action: 'legal.judicial-order.document.download',
    target: { type: 'subscriber', id: row.subscriber_id },
    detail: { orderId, sha256: row.document_sha256 },
  });
  return ok({
    contentType: row.document_content_type,
    content: ctx.cipher.openBytes(row.document_sealed, sealContext(row.id)),
    caseNumber: row.case_number,
  });
}

/**
 * What the subscriber may read of the orders in force against them: only those the legal officer
 * allowed to be disclosed (the others show as the neutral suspension alone).
 */
export async function disclosedOrdersOf(
  ctx: ServiceContext,
  subscriberId: string,
): Promise<{ authority: string; caseNumber: string; legalBasis: string; scope: OrderScope; from: string; until: string | null }[]> {
  const rows = await ctx.db
    .selectFrom('judicial_orders')
    .select(['authority', 'case_number', 'legal_basis', 'scope', 'effective_from', 'effective_until'])
    .where('subscriber_id', '=', subscriberId)
    .where('disclose_to_subscriber', '=', true)
    .where('applied_at', 'is not', null)
    .where('ended_at', 'is', null)
    .orderBy('effective_from')
    .execute();
  return rows.map((row) => ({
    authority: row.authority,
    caseNumber: row.case_number,
    legalBasis: row.legal_basis,
    scope: row.scope,
    from: row.effective_from.toISOString(),
    until: row.effective_until?.toISOString() ?? null,
  }));
}

// -- rows ---------------------------------------------------------------------------------------------

type OrderRow = Selectable<JudicialOrdersTable>;

/** Every column but the sealed document. */
const orderColumns = [
  'id',
  'subscriber_id',
  'authority',
  'case_number',
  'legal_basis',
  'document_content_type',
  'document_size_bytes',
  'document_sha256',
  'scope',
  'effective_from',
  'effective_until',
  'end_calls_in_progress',
  'disclose_to_subscriber',
  'created_at',
  'created_by_id',
  'created_by_name',
  'applied_at',
  'ended_at',
  'lifted_at',
  'lifted_by_id',
  'lifted_by_name',
  'lift_reason',
] as const;

function statusOf(row: Pick<OrderRow, 'applied_at' | 'ended_at' | 'lifted_at'>): JudicialOrderStatus {
  if (row.lifted_at) return 'lifted';
  if (row.ended_at) return 'ended';
  return row.applied_at ? 'in-force' : 'scheduled';
}

function toOrder(row: Omit<OrderRow, 'document_sealed'>): JudicialOrder {
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    authority: row.authority,
    caseNumber: row.case_number,
    legalBasis: row.legal_basis,
    document: { contentType: row.document_content_type, sizeBytes: row.document_size_bytes, sha256: row.document_sha256 },
    scope: row.scope,
    from: row.effective_from.toISOString(),
    until: row.effective_until?.toISOString() ?? null,
    endCallsInProgress: row.end_calls_in_progress,
    discloseToSubscriber: row.disclose_to_subscriber,
    status: statusOf(row),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by_name,
    appliedAt: row.applied_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    liftedAt: row.lifted_at?.toISOString() ?? null,
    liftedBy: row.lifted_by_name,
    liftReason: row.lift_reason,
  };
}

export function actorOf(staff: LegalStaff): Actor {
  return { type: 'staff', id: staff.id, name: staff.username, ip: staff.ip, userAgent: staff.userAgent };
}
