import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import { setSipAccountStatus } from '../calls/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { Settings } from '../platform/config/index.js';
import type { ServiceContext } from '../platform/context.js';
import { afterCommit, inTransaction, type Executor, type Database } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { rentStoppingCauses, SUSPENSION_CAUSES } from './causes.js';
import type { SuspensionCause, SuspensionScope } from './tables.js';

/**
 * Entitlements (DESIGN §2): the one place where suspensions become "may call out / may receive", and
 * the only writer of call rights. A suspension is a blocking record; several may be open at once
 * (overdue, credit limit, judicial, false data) and each lifts on its own. What a cause blocks and
 * whether rent continues come from its row in `SUSPENSION_CAUSES`, never from the caller. After every
 * change the open set is projected onto the SIP accounts of the subscriber's numbers in the same
 * transaction, so the registrar and proxy (which read those rows through a 2-second cache) act on it
 * within seconds everywhere, and at once on a node that listens (`onCallRightsChanged`).
 */
export interface SuspensionInput {
  subscriberId: string;
  cause: SuspensionCause;
  /** What the subscriber and a refused call are told; the cause's own text when omitted. */
  reason?: string | undefined;
  reference?: string | null | undefined;
  /**
   * The scope an order named, read only by a cause whose rule takes it (`scopeFromOrder`: judicial);
   * every other cause blocks what its rule says. There is no way to pass the rent rule.
   */
  scope?: SuspensionScope | undefined;
}

export interface Suspension {
  id: string;
  subscriberId: string;
  cause: SuspensionCause;
  blocks: SuspensionScope;
  rentContinues: boolean;
  reason: string;
  reference: string | null;
  startedAt: string;
  liftedAt: string | null;
}

type CallRightsListener = (numbers: readonly string[]) => void;
const listeners = new Set<CallRightsListener>();

/**
 * Tells `listener` which numbers' call rights just changed (a SIP node forgets its cached accounts);
 * returns the function that stops it.
 */
export function onCallRightsChanged(listener: CallRightsListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Where a subscriber's overall state ("suspended" or not) is mirrored, inside the transaction that
 * changed the suspensions. The subscribers module owns that state; the service wires its function
 * here, so entitlements does not import subscribers (which opens suspensions through this module).
 */
export type SuspensionStateMirror = (db: Kysely<Database>, subscriberId: string, suspended: boolean, now: Date) => Promise<void>;
let suspensionStateMirror: SuspensionStateMirror | null = null;

export function mirrorSuspensionStateTo(mirror: SuspensionStateMirror): void {
  suspensionStateMirror = mirror;
}

function announce(numbers: readonly string[]): void {
  if (numbers.length === 0) return;
  for (const listener of listeners) listener(numbers);
}

/** Opens a suspension unless the same cause and reference is already open; returns its id either way. */
export async function suspend(ctx: ServiceContext, input: SuspensionInput, actor: Actor): Promise<string> {
  const now = ctx.clock.now();
  return inTransaction(ctx.db, (trx) => suspendWithin(trx, ctx.settings, input, actor, now));
}

/**
 * `suspend` inside the caller's transaction, for a decision whose suspension must commit with it.
 * Listeners hear of it once that transaction has committed (open it with `inTransaction`): a node
 * told earlier could read the old rights again and keep them.
 */
export async function suspendWithin(trx: Executor, settings: Settings, input: SuspensionInput, actor: Actor, now: Date): Promise<string> {
  const opened = await openSuspension(trx, settings, input, actor, now);
  afterCommit(trx, () => announce(opened.numbers));
  return opened.id;
}

async function openSuspension(
  trx: Executor,
  settings: Settings,
  input: SuspensionInput,
  actor: Actor,
  now: Date,
): Promise<{ id: string; numbers: string[] }> {
  const open = await trx
    .selectFrom('suspensions')
    .select('id')
    .where('subscriber_id', '=', input.subscriberId)
    .where('cause', '=', input.cause)
    .where('reference', input.reference ? '=' : 'is', input.reference ?? null)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  if (open) return { id: open.id, numbers: [] };
  const rule = SUSPENSION_CAUSES[input.cause];
  const blocks = rule.blocks(settings, rule.scopeFromOrder ? input.scope : undefined);
  // Recorded as the rule stood when the suspension started; the bill run asks the rule itself.
  const rentContinues = rule.rentContinues(settings);
  const reason = input.reason ?? rule.refusal.en;
  const { id } = await trx
    .insertInto('suspensions')
    .values({
      subscriber_id: input.subscriberId,
      cause: input.cause,
      blocks,
      rent_continues: rentContinues,
      reason,
      reference: input.reference ?? null,
      started_at: now,
      lifted_at: null,
      lifted_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    at: now,
    actor,
    action: 'entitlements.suspend',
    target: { type: 'subscriber', id: input.subscriberId },
    detail: { suspensionId: id, cause: input.cause, blocks, rentContinues, reason },
  });
  await appendEvent(trx, {
    type: 'subscriber.suspension-started',
    aggregateType: 'subscriber',
    aggregateId: input.subscriberId,
    payload: { suspensionId: id, cause: input.cause, blocks, reason },
    occurredAt: now,
  });
  const { numbers } = await project(trx, input.subscriberId, now);
  return { id, numbers };
}

/** Lifts the open suspensions of one cause (and reference, when given); returns how many. */
export async function liftSuspensions(
  ctx: ServiceContext,
  filter: { subscriberId: string; cause: SuspensionCause; reference?: string | null | undefined },
  actor: Actor,
): Promise<number> {
  const now = ctx.clock.now();
  const lifted = await ctx.db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable('suspensions')
      .set({ lifted_at: now, lifted_by: actor.name ?? actor.type })
      .where('subscriber_id', '=', filter.subscriberId)
      .where('cause', '=', filter.cause)
      .where('lifted_at', 'is', null);
    if (filter.reference !== undefined) query = query.where('reference', filter.reference === null ? 'is' : '=', filter.reference);
    const rows = await query.returning('id').execute();
    if (rows.length === 0) return { count: 0, numbers: [] as string[] };
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'entitlements.lift',
      target: { type: 'subscriber', id: filter.subscriberId },
      detail: { cause: filter.cause, suspensionIds: rows.map((row) => row.id) },
    });
    await appendEvent(trx, {
      type: 'subscriber.suspension-lifted',
      aggregateType: 'subscriber',
      aggregateId: filter.subscriberId,
      payload: { cause: filter.cause, suspensionIds: rows.map((row) => row.id) },
      occurredAt: now,
    });
    const { numbers } = await project(trx, filter.subscriberId, now);
    return { count: rows.length, numbers };
  });
  announce(lifted.numbers);
  return lifted.count;
}

/**
 * Clause 11: the agreement has ended and `numbers` were released; they may do nothing any more (a
 * number reused after its quarantine starts afresh when it is provisioned again). Termination asks
 * this inside its own transaction.
 */
export async function withdrawCallRights(trx: Executor, numbers: readonly string[], reason: string, now: Date): Promise<void> {
  for (const number of numbers) await setSipAccountStatus(trx, number, 'terminated', reason, now);
  afterCommit(trx, () => announce(numbers));
}

export async function activeSuspensions(db: Kysely<Database>, subscriberId: string): Promise<Suspension[]> {
  const rows = await db
    .selectFrom('suspensions')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .where('lifted_at', 'is', null)
    .orderBy('started_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    subscriberId: row.subscriber_id,
    cause: row.cause,
    blocks: row.blocks,
    rentContinues: row.rent_continues,
    reason: row.reason,
    reference: row.reference,
    startedAt: row.started_at.toISOString(),
    liftedAt: row.lifted_at?.toISOString() ?? null,
  }));
}

export interface Entitlements {
  mayCallOut: boolean;
  mayReceive: boolean;
  /** The suspension that decides, as the subscriber and a refused call see it. */
  blockedBecause: string | null;
}

/** Pure: what a set of open suspensions allows. A full block wins over an outgoing-only one. */
export function entitlementsFrom(open: Pick<Suspension, 'blocks' | 'reason'>[]): Entitlements {
  const full = open.find((s) => s.blocks === 'all');
  if (full) return { mayCallOut: false, mayReceive: false, blockedBecause: full.reason };
  const outgoing = open.find((s) => s.blocks === 'outgoing');
  if (outgoing) return { mayCallOut: false, mayReceive: true, blockedBecause: outgoing.reason };
  return { mayCallOut: true, mayReceive: true, blockedBecause: null };
}

/**
 * Writes the entitlements onto every SIP account of the subscriber. Exported for activation, which
 * creates a number for someone who may already have an open suspension.
 */
export async function projectEntitlements(db: Executor, subscriberId: string, now: Date): Promise<Entitlements> {
  const { entitlements, numbers } = await project(db, subscriberId, now);
  afterCommit(db, () => announce(numbers));
  return entitlements;
}

/** The projection the registrar and proxy read (`sip_accounts`); only this module writes it. */
async function project(db: Kysely<Database>, subscriberId: string, now: Date): Promise<{ entitlements: Entitlements; numbers: string[] }> {
  const entitlements = entitlementsFrom(await activeSuspensions(db, subscriberId));
  const numbers = await numbersOfSubscriber(db, subscriberId);
  for (const number of numbers) {
    if (!entitlements.mayReceive) await setSipAccountStatus(db, number, 'suspended', entitlements.blockedBecause, now);
    else await setSipAccountStatus(db, number, 'active', null, now, entitlements.mayCallOut ? null : entitlements.blockedBecause);
  }
  await suspensionStateMirror?.(db, subscriberId, !(entitlements.mayCallOut && entitlements.mayReceive), now);
  return { entitlements, numbers };
}

/**
 * Suspensions under which rent stops, as instants, for the bill run: those of a cause whose rule says
 * rent stops (clause 5 by setting, false data, a requested termination), started before `until` and not
 * lifted before `since`. The rule is asked here, not the flag stored with the suspension, so a judicial
 * suspension keeps charging rent (clause 10) however it was opened.
 */
export async function rentStoppingSuspensions(
  db: Kysely<Database>,
  settings: Settings,
  subscriberIds: readonly string[],
  since: Date,
  until: Date,
): Promise<Map<string, { startedAt: Date; liftedAt: Date | null }[]>> {
  const bySubscriber = new Map<string, { startedAt: Date; liftedAt: Date | null }[]>();
  const causes = rentStoppingCauses(settings);
  if (subscriberIds.length === 0 || causes.length === 0) return bySubscriber;
  const rows = await db
    .selectFrom('suspensions')
    .select(['subscriber_id', 'started_at', 'lifted_at'])
    .where('subscriber_id', 'in', [...subscriberIds])
    .where('cause', 'in', causes)
    .where('started_at', '<', until)
    .where((eb) => eb.or([eb('lifted_at', 'is', null), eb('lifted_at', '>', since)]))
    .execute();
  for (const row of rows) {
    const list = bySubscriber.get(row.subscriber_id) ?? [];
    list.push({ startedAt: row.started_at, liftedAt: row.lifted_at });
    bySubscriber.set(row.subscriber_id, list);
  }
  return bySubscriber;
}
