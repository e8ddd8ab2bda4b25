import { recordAudit, type Actor } from '../audit/index.js';
import { type LocationService, revokeDeviceCredentials } from '../calls/index.js';
import { suspend, withdrawCallRights } from '../entitlements/index.js';
import { releaseNumbers } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import type { Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';

/**
 * Ending the agreement (clause 11): the subscriber asks, and the agreement ends once every fee is
 * settled. Billing answers "what is owed"; until a balance is zero or less the request waits, and
 * the `subscribers.complete-terminations` job completes it as soon as it is.
 */
export interface BalanceSource {
  /** What the subscriber owes now, in fen; zero or negative (credit) means settled. */
  outstandingFen(subscriberId: string): Promise<Fen>;
}

/** Until billing provides the real one: nothing is ever owed. */
export const nothingOwed: BalanceSource = { outstandingFen: async () => 0 };

export interface TerminationDeps {
  balance: BalanceSource;
  /** Registrations are dropped at once, not left to expire. */
  location: LocationService | null;
}

export type TerminationOutcome = { status: 'terminated'; terminatedAt: string } | { status: 'awaiting-settlement'; outstandingFen: Fen };

export async function requestTermination(
  ctx: ServiceContext,
  subscriberId: string,
  deps: TerminationDeps,
  actor: Actor,
): Promise<Result<TerminationOutcome>> {
  const now = ctx.clock.now();
  const subscriber = await ctx.db
    .selectFrom('subscribers')
    .select(['id', 'status', 'termination_requested_at'])
    .where('id', '=', subscriberId)
    .executeTakeFirst();
  if (!subscriber) return fail('not_found', 'not-found', 'No such subscriber');
  if (subscriber.status === 'terminated') return fail('conflict', 'conflict', 'The agreement has already ended');
  if (!['active', 'suspended', 'approved'].includes(subscriber.status)) {
    return fail('conflict', 'conflict', `An application that is ${subscriber.status} has no agreement to end`);
  }
  if (!subscriber.termination_requested_at) {
    await inTransaction(ctx.db, async (trx) => {
      await trx.updateTable('subscribers').set({ termination_requested_at: now, updated_at: now }).where('id', '=', subscriberId).execute();
      await recordAudit(trx, {
        at: now,
        actor,
        action: 'subscriber.termination.request',
        target: { type: 'subscriber', id: subscriberId },
      });
      await appendEvent(trx, {
        type: 'subscriber.termination-requested',
        aggregateType: 'subscriber',
        aggregateId: subscriberId,
        payload: {},
        occurredAt: now,
      });
    });
  }
  const outstandingFen = await deps.balance.outstandingFen(subscriberId);
  if (outstandingFen > 0) {
    // The final bill closes the account as of the request: from now on the subscriber can still be
    // called (the caller pays) but places no new chargeable calls that no bill would ever carry.
    await suspend(
      ctx,
      {
        subscriberId,
        cause: 'termination',
        reason: 'termination requested; the agreement ends once the final bill is paid',
      },
      actor,
    );
    return ok({ status: 'awaiting-settlement', outstandingFen });
  }
  return ok(await completeTermination(ctx, subscriberId, 'requested by the subscriber', deps, actor));
}

/**
 * Ends the agreement now: the numbers go into quarantine, the devices' credentials are revoked, the
 * SIP accounts refuse everything, and live registrations are dropped. Idempotent.
 */
export async function completeTermination(
  ctx: ServiceContext,
  subscriberId: string,
  reason: string,
  deps: Pick<TerminationDeps, 'location'>,
  actor: Actor,
): Promise<TerminationOutcome> {
  const now = ctx.clock.now();
  const released = await inTransaction(ctx.db, async (trx) => {
    const subscriber = await trx
      .selectFrom('subscribers')
      .select(['status', 'terminated_at'])
      .where('id', '=', subscriberId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (subscriber.status === 'terminated') return { numbers: [] as string[], terminatedAt: subscriber.terminated_at ?? now };
    const numbers = await releaseNumbers(trx, subscriberId, now, ctx.settings.numberQuarantineDays);
    for (const number of numbers) await revokeDeviceCredentials(trx, { number }, now);
    await withdrawCallRights(trx, numbers, 'Agreement ended', now);
    await trx
      .updateTable('subscribers')
      .set({ status: 'terminated', terminated_at: now, termination_reason: reason, updated_at: now })
      .where('id', '=', subscriberId)
      .execute();
    await trx
      .updateTable('orders')
      .set({ status: 'cancelled', updated_at: now })
      .where('subscriber_id', '=', subscriberId)
      .where('status', '!=', 'cancelled')
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'subscriber.termination.complete',
      target: { type: 'subscriber', id: subscriberId },
      before: { status: subscriber.status },
      after: { status: 'terminated', releasedNumbers: numbers },
      detail: { reason },
    });
    await appendEvent(trx, {
      type: 'subscriber.terminated',
      aggregateType: 'subscriber',
      aggregateId: subscriberId,
      payload: { reason, releasedNumbers: numbers },
      occurredAt: now,
    });
    return { numbers, terminatedAt: now };
  });
  for (const number of released.numbers) deps.location?.remove(number, () => true);
  return { status: 'terminated', terminatedAt: released.terminatedAt.toISOString() };
}

/** Clause 5: more than three months overdue ends the agreement whatever is owed (billing pursues it). */
export function terminateForNonPayment(
  ctx: ServiceContext,
  subscriberId: string,
  deps: Pick<TerminationDeps, 'location'>,
  actor: Actor,
): Promise<TerminationOutcome> {
  return completeTermination(ctx, subscriberId, 'non-payment (agreement clause 5)', deps, actor);
}

/** Completes every waiting termination whose balance has been settled by T. Idempotent. */
export function completeTerminationsJob(ctx: ServiceContext, deps: TerminationDeps): TimeDrivenJob {
  return {
    name: 'subscribers.complete-terminations',
    intervalSeconds: 300,
    async advanceTo() {
      const waiting = await ctx.db
        .selectFrom('subscribers')
        .select('id')
        .where('termination_requested_at', 'is not', null)
        .where('status', '!=', 'terminated')
        .execute();
      let completed = 0;
      for (const { id } of waiting) {
        if ((await deps.balance.outstandingFen(id)) > 0) continue;
        await completeTermination(ctx, id, 'requested by the subscriber', deps, { type: 'system', id: null, name: 'system' });
        completed++;
      }
      return { waiting: waiting.length, completed };
    },
  };
}

/** Whether the subscriber asked to end the agreement and it waits for the account to be settled (clause 11). */
export async function terminationAwaitingSettlement(ctx: ServiceContext, subscriberId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('subscribers')
    .select(['status', 'termination_requested_at'])
    .where('id', '=', subscriberId)
    .executeTakeFirst();
  return row !== undefined && row.termination_requested_at !== null && row.status !== 'terminated';
}

/**
 * A payment has just settled the account of a subscriber whose termination waits for it: the
 * agreement ends now, not when the job next runs. Nothing happens while anything is still owed.
 */
export async function completeTerminationIfSettled(
  ctx: ServiceContext,
  subscriberId: string,
  deps: TerminationDeps,
  actor: Actor,
): Promise<TerminationOutcome | null> {
  if (!(await terminationAwaitingSettlement(ctx, subscriberId))) return null;
  if ((await deps.balance.outstandingFen(subscriberId)) > 0) return null;
  return completeTermination(ctx, subscriberId, 'requested by the subscriber', deps, actor);
}
