import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { periodsToBill, runBills, type BillRunHooks } from './bill-run.js';
import type { BillingContext } from './context.js';
import { runDunning } from './dunning.js';
import { issueSupplementaryBills } from './issue-bill.js';
import { rateCompletedCalls } from './rating.js';
import { followSubscriberEvents } from './subscriber-events.js';

/**
 * Everything billing does because time passes, in the order it must happen: follow subscribers'
 * activations and termination requests, rate the calls that
 * ended, bill every period that has ended (in the operator's zone), bill what was charged to accounts
 * after their final bill, then re-evaluate dunning. One job,
 * so one advisory lock orders them; each step is idempotent, so `advanceTo(T)` twice changes nothing.
 */
export function billingCycleJob(ctx: BillingContext, options: { hooks?: BillRunHooks } = {}): TimeDrivenJob {
  return {
    name: 'billing.cycle',
    intervalSeconds: 60,
    async advanceTo(instant: Date) {
      const subscribers = await followSubscriberEvents(ctx, instant, { beforeFinalBills: () => rateCompletedCalls(ctx, instant) });
      const rating = await rateCompletedCalls(ctx, instant);
      const today = localDateOf(instant, ctx.settings.timeZone);
      const runs = [];
      // periodsToBill lists only periods that ended before today began in the operator's zone.
      for (const period of await periodsToBill(ctx, today)) {
        runs.push(await runBills(ctx, period, options.hooks ? { hooks: options.hooks } : {}));
      }
      const supplementary = await issueSupplementaryBills(ctx, instant);
      const dunning = await runDunning(ctx);
      return {
        subscribers,
        rated: rating.rated,
        billRuns: runs.map((r) => ({ period: r.period, billed: r.subscribersBilled })),
        supplementaryBills: supplementary,
        dunning,
      };
    },
  };
}
