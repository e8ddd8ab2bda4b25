import { PAYMENT_RECORDED, type PaymentRecorded } from '../billing/index.js';
import { CALL_COMPLETED, type CallCompleted } from '../calls/index.js';
import type { ServiceContext } from '../platform/context.js';
import { localDateOf, periodOf } from '../platform/zoned-calendar.js';
import { EventConsumer } from '../platform/events/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import type { Charging } from './charging.js';

export const SETTLEMENT_CONSUMER = 'charging.settlement';
export const PAYMENTS_CONSUMER = 'charging.payments';

/**
 * Charging's time-driven work, every second, idempotent for any instant:
 * - every completed call (`call.completed`) is settled once: the proxy settles a call when it ends,
 *   and a call it could not (a node that died mid-call, a database outage at its end) is settled
 *   here from the record's own duration, so the month's fees equal the rated calls;
 * - a payment (`payment.recorded`) lifts a credit-limit block as soon as the fees are paid;
 * - a subscriber blocked in an earlier month gets the new month's headroom.
 */
export function chargingJob(ctx: ServiceContext, charging: Charging): TimeDrivenJob {
  return { name: 'charging.follow', intervalSeconds: 1, advanceTo: (instant) => followChargingEvents(ctx, charging, instant) };
}

export async function followChargingEvents(
  ctx: ServiceContext,
  charging: Charging,
  until: Date,
): Promise<{ settled: number; restored: number }> {
  let settled = 0;
  let restored = 0;
  const calls = new EventConsumer<CallCompleted>(
    ctx.db,
    SETTLEMENT_CONSUMER,
    { types: [CALL_COMPLETED], batchSize: 500, logger: ctx.logger },
    async (events) => {
      // Most were settled by the proxy as they ended: one read finds those.
      const known = new Set(
        (
          await ctx.db
            .selectFrom('charging_usage')
            .select('record_id')
            .where(
              'record_id',
              'in',
              events.map((event) => event.payload.recordId),
            )
            .execute()
        ).map((row) => row.record_id),
      );
      // The callers' terms all at once (one statement for those this node does not know), not one
      // round trip per call: most callers are not charged, and their calls have nothing to settle.
      const unsettled = events.filter((event) => !known.has(event.payload.recordId));
      const termsOfCalls = await Promise.all(
        unsettled.map(({ payload }) => charging.termsOf(payload.caller, new Date(payload.answeredAt))),
      );
      for (const [index, { payload }] of unsettled.entries()) {
        const terms = termsOfCalls[index];
        if (!terms) continue;
        const answeredAt = new Date(payload.answeredAt);
        const done = await charging.settle(terms, {
          recordId: payload.recordId,
          callKey: null,
          answeredAt,
          durationMs: Number(payload.durationMs),
          at: new Date(payload.endedAt),
        });
        if (done) settled += 1;
      }
    },
  );
  await calls.consume(until);
  const payments = new EventConsumer<PaymentRecorded>(
    ctx.db,
    PAYMENTS_CONSUMER,
    { types: [PAYMENT_RECORDED], batchSize: 500, logger: ctx.logger },
    async (events) => {
      for (const subscriberId of new Set(events.map((event) => event.payload.subscriberId))) {
        if (await charging.restoreIfPossible(subscriberId, until)) restored += 1;
      }
    },
  );
  await payments.consume(until);
  // A new month: whoever was blocked in an earlier one has a new headroom.
  const blocked = await ctx.db
    .selectFrom('charging_months')
    .select('subscriber_id')
    .distinct()
    .where('exhausted_at', 'is not', null)
    .where('period', '<', periodOf(localDateOf(until, ctx.settings.timeZone)))
    .execute();
  for (const { subscriber_id } of blocked) if (await charging.restoreIfPossible(subscriber_id, until)) restored += 1;
  return { settled, restored };
}
