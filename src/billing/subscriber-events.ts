import { systemActor } from '../audit/index.js';
import type { LocationService } from '../calls/index.js';
import { liftSuspensions, suspend } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { EventConsumer } from '../platform/events/index.js';
import { currentOrder, terminateForNonPayment } from '../subscribers/index.js';
import { openBillingAccount } from './accounts.js';
import type { ServiceControl } from './context.js';
import { issueFinalBill } from './issue-bill.js';

/** Billing's cursor over the subscribers module's events. */
export const SUBSCRIBER_EVENTS_CONSUMER = 'billing.subscriber-events';

/**
 * Billing follows the subscribers module through its published events (an outbox consumer), not its
 * tables: `subscriber.activated` opens the billing account on the order's plan version from that
 * local day with the allocated number, billed from the activation's instant;
 * `subscriber.termination-requested` issues the final bill, rent prorated to that day and every call
 * rated so far (`beforeFinalBills` rates first), so the balance termination waits for is the real
 * one. Both are idempotent, so an event handed over twice (delivery is at least once) does nothing
 * the second time. Run by the billing job before its rating pass.
 */
export async function followSubscriberEvents(
  ctx: ServiceContext,
  until: Date,
  options: { beforeFinalBills?: () => Promise<unknown> } = {},
): Promise<{ opened: number; finalBills: number }> {
  let opened = 0;
  let finalBills = 0;
  let ratedFirst = false;
  const consumer = new EventConsumer<{ number?: string }>(
    ctx.db,
    SUBSCRIBER_EVENTS_CONSUMER,
    { types: ['subscriber.activated', 'subscriber.termination-requested'], batchSize: 100, logger: ctx.logger },
    async (events) => {
      for (const event of events) {
        const day = localDateOf(event.occurredAt, ctx.settings.timeZone);
        if (event.type === 'subscriber.activated') {
          const order = await currentOrder(ctx, event.aggregateId);
          if (!order) continue;
          await openBillingAccount(ctx, {
            subscriberId: event.aggregateId,
            planId: order.planId,
            serviceStart: day,
            numbers: event.payload.number ? [event.payload.number] : [],
            // Calls are billed from the activation itself, not from when this job got to the event.
            numbersFrom: event.occurredAt,
          });
          opened += 1;
        } else {
          // Calls that ended before the request belong on the final bill: rate them before it is issued.
          if (!ratedFirst) await options.beforeFinalBills?.();
          ratedFirst = true;
          await issueFinalBill(ctx, event.aggregateId, day);
          finalBills += 1;
        }
      }
    },
  );
  await consumer.consume(until);
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
