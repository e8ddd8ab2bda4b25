import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import { setSipAccountStatus } from '../calls/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor, Database } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { reflectSuspensionState } from '../subscribers/index.js';
import type { SuspensionCause, SuspensionScope } from './tables.js';

/**
 * Entitlements (DESIGN §2): the one place where suspensions become "may call out / may receive".
 * A suspension is a blocking record; several may be open at once (overdue, credit limit, judicial,
 * false data) and each lifts on its own. After every change the open set is projected onto the SIP
 * accounts of the subscriber's numbers in the same transaction, so the registrar and proxy (which
 * read those rows through a 2-second cache) act on it within seconds.
 */
export interface SuspensionInput {
  subscriberId: string;
  cause: SuspensionCause;
  blocks: SuspensionScope;
  /** Clause 10: a judicial suspension keeps charging rent; clause 5: overdue per setting. */
  rentContinues: boolean;
  reason: string;
  reference?: string | null | undefined;
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

/** Opens a suspension unless the same cause and reference is already open; returns its id either way. */
export async function suspend(ctx: ServiceContext, input: SuspensionInput, actor: Actor): Promise<string> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => suspendWithin(trx, input, actor, now));
}

/** `suspend` inside the caller's transaction, for a decision whose suspension must commit with it. */
export async function suspendWithin(trx: Executor, input: SuspensionInput, actor: Actor, now: Date): Promise<string> {
  const open = await trx
    .selectFrom('suspensions')
    .select('id')
    .where('subscriber_id', '=', input.subscriberId)
    .where('cause', '=', input.cause)
    .where('reference', input.reference ? '=' : 'is', input.reference ?? null)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  if (open) return open.id;
  const { id } = await trx
    .insertInto('suspensions')
    .values({
      subscriber_id: input.subscriberId,
      cause: input.cause,
      blocks: input.blocks,
      rent_continues: input.rentContinues,
      reason: input.reason,
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
    detail: { suspensionId: id, cause: input.cause, blocks: input.blocks, rentContinues: input.rentContinues, reason: input.reason },
  });
  await appendEvent(trx, {
    type: 'subscriber.suspension-started',
    aggregateType: 'subscriber',
    aggregateId: input.subscriberId,
    payload: { suspensionId: id, cause: input.cause, blocks: input.blocks, reason: input.reason },
    occurredAt: now,
  });
  await projectEntitlements(trx, input.subscriberId, now);
  return id;
}

/** Lifts the open suspensions of one cause (and reference, when given); returns how many. */
export async function liftSuspensions(
  ctx: ServiceContext,
  filter: { subscriberId: string; cause: SuspensionCause; reference?: string | null | undefined },
  actor: Actor,
): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable('suspensions')
      .set({ lifted_at: now, lifted_by: actor.name ?? actor.type })
      .where('subscriber_id', '=', filter.subscriberId)
      .where('cause', '=', filter.cause)
      .where('lifted_at', 'is', null);
    if (filter.reference !== undefined) query = query.where('reference', filter.reference === null ? 'is' : '=', filter.reference);
    const lifted = await query.returning('id').execute();
    if (lifted.length === 0) return 0;
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'entitlements.lift',
      target: { type: 'subscriber', id: filter.subscriberId },
      detail: { cause: filter.cause, suspensionIds: lifted.map((row) => row.id) },
    });
    await appendEvent(trx, {
      type: 'subscriber.suspension-lifted',
      aggregateType: 'subscriber',
      aggregateId: filter.subscriberId,
      payload: { cause: filter.cause, suspensionIds: lifted.map((row) => row.id) },
      occurredAt: now,
    });
    await projectEntitlements(trx, filter.subscriberId, now);
    return lifted.length;
  });
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
export async function projectEntitlements(db: Kysely<Database>, subscriberId: string, now: Date): Promise<Entitlements> {
  const entitlements = entitlementsFrom(await activeSuspensions(db, subscriberId));
  for (const number of await numbersOfSubscriber(db, subscriberId)) {
    if (!entitlements.mayReceive) await setSipAccountStatus(db, number, 'suspended', entitlements.blockedBecause, now);
    else await setSipAccountStatus(db, number, 'active', null, now, entitlements.mayCallOut ? null : entitlements.blockedBecause);
  }
  await reflectSuspensionState(db, subscriberId, !(entitlements.mayCallOut && entitlements.mayReceive), now);
  return entitlements;
}

/**
 * Suspensions under which rent stops (clause 5 by setting; false data), as instants, for the bill
 * run: those that started before `until` and were not lifted before `since`. A judicial suspension
 * keeps charging rent (clause 10) and is not among them.
 */
export async function rentStoppingSuspensions(
  db: Kysely<Database>,
  subscriberIds: readonly string[],
  since: Date,
  until: Date,
): Promise<Map<string, { startedAt: Date; liftedAt: Date | null }[]>> {
  const bySubscriber = new Map<string, { startedAt: Date; liftedAt: Date | null }[]>();
  if (subscriberIds.length === 0) return bySubscriber;
  const rows = await db
    .selectFrom('suspensions')
    .select(['subscriber_id', 'started_at', 'lifted_at'])
    .where('subscriber_id', 'in', [...subscriberIds])
    .where('rent_continues', '=', false)
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
