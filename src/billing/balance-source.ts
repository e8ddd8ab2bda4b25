import type { ServiceContext } from '../platform/context.js';
import type { Fen } from '../platform/money.js';
import { amountOwedNow } from './owed-now.js';
import { rateCompletedCalls } from './rating.js';

/**
 * What a subscriber owes now, for termination (clause 11: the agreement ends once all fees are
 * settled): `amountOwedNow`, the figure the portal and the desk show, so the amount quoted when
 * termination is asked for is the amount that ends it, late fees to the day included. Calls that
 * ended since the billing job last ran are rated first (clause 9's incurred fees), so a settlement
 * never leaves out the call just made. Shaped as `BalanceSource` of src/subscribers/termination.ts
 * (contract §6).
 */
export function billingBalanceSource(ctx: ServiceContext): { outstandingFen(subscriberId: string): Promise<Fen> } {
  // One rating pass serves every subscriber asked about within a second (the termination job asks
  // for each subscriber awaiting settlement in turn).
  let ratedAt = -Infinity;
  return {
    async outstandingFen(subscriberId) {
      const now = ctx.clock.now();
      if (now.getTime() - ratedAt >= 1000) {
        await rateCompletedCalls(ctx, now);
        ratedAt = now.getTime();
      }
      return (await amountOwedNow(ctx, subscriberId)).totalFen;
    },
  };
}
