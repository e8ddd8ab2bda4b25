import { sql } from 'kysely';
import { systemActor } from '../audit/index.js';
import type { LocationService } from '../calls/index.js';
import { liftSuspensions, suspend } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { currentOrder, terminateForNonPayment } from '../subscribers/index.js';
import { openBillingAccount } from './accounts.js';
import type { ServiceControl } from './context.js';
import { issueFinalBill } from './issue-bill.js';

/** Events can commit a little out of order; billing looks back this far behind its cursor. */
const EVENT_GRACE_MS = 3_600_000;

/**
 * Billing follows the subscribers module through its published events (the outbox), not its tables:
 * `subscriber.activated` opens the billing account on the order's plan version from that local day
 * with the allocated number, billed from the activation's instant; `subscriber.termination-requested`
 * issues the final bill, rent prorated to that day and every call rated so far (`beforeFinalBills`
 * rates first), so the balance termination waits for is the real one. Both are idempotent,
 * so reading an event twice does nothing the second time. Run by the billing job before its rating pass.
 */
export async function followSubscriberEvents(
  ctx: ServiceContext,
  until: Date,
  options: { beforeFinalBills?: () => Promise<unknown> } = {},
): Promise<{ opened: number; finalBills: number }> {
  const cursor = await ctx.db.selectFrom('billing_cursors').select('at').where('name', '=', 'subscriber-events').executeTakeFirst();
  const from = new Date((cursor?.at.getTime() ?? 0) - EVENT_GRACE_MS);
  const { rows } = await sql<{ event_type: string; aggregate_id: string; payload: { number?: string }; occurred_at: Date }>`
    select event_type, aggregate_id, payload, occurred_at from outbox_events
    where event_type in ('subscriber.activated', 'subscriber.termination-requested')
      and occurred_at > ${from} and occurred_at <= ${until}
    order by id`.execute(ctx.db);
  let opened = 0;
  let finalBills = 0;
  let ratedFirst = false;
  for (const event of rows) {
    const day = localDateOf(event.occurred_at, ctx.settings.timeZone);
    if (event.event_type === 'subscriber.activated') {
      const order = await currentOrder(ctx, event.aggregate_id);
      if (!order) continue;
      await openBillingAccount(ctx, {
        subscriberId: event.aggregate_id,
        planId: order.planId,
        serviceStart: day,
        numbers: event.payload.number ? [event.payload.number] : [],
        // Calls are billed from the activation itself, not from when this job got to the event.
        numbersFrom: event.occurred_at,
      });
      opened += 1;
    } else {
      // Calls that ended before the request belong on the final bill: rate them before it is issued.
      if (!ratedFirst) await options.beforeFinalBills?.();
      ratedFirst = true;
      await issueFinalBill(ctx, event.aggregate_id, day);
      finalBills += 1;
    }
  }
  await ctx.db
    .insertInto('billing_cursors')
    .values({ name: 'subscriber-events', at: until })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ at: eb.fn('greatest', ['billing_cursors.at', eb.ref('excluded.at')]) })))
    .execute();
  return { opened, finalBills };
}

/**
 * Dunning's effects through the entitlements module (contract §5, §6): an 'overdue' suspension (what
 * it blocks and its rent rule are the cause's, in entitlements), lifted by cause; termination for non-payment.
 */
export function entitlementsServiceControl(ctx: ServiceContext, location: LocationService | null): ServiceControl {
  const actor = { ...systemActor, name: 'billing dunning' };
  return {
    async suspendForOverdue(subscriberId, { reason }) {
      await suspend(ctx, { subscriberId, cause: 'overdue', reason }, actor);
    },
    async liftOverdueSuspension(subscriberId) {
      await liftSuspensions(ctx, { subscriberId, cause: 'overdue' }, actor);
    },
    async terminateForNonPayment(subscriberId) {
      await terminateForNonPayment(ctx, subscriberId, { location }, actor);
    },
  };
}
