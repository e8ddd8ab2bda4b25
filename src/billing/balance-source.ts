import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Fen } from '../platform/money.js';
import { addMonthsClamped, localDateOf, periodOf } from '../platform/zoned-calendar.js';
import { findBillingAccount } from './accounts.js';
import { ledgerBalance } from './ledger.js';
import { proratedRent, serviceDaysIn } from './rules.js';
import { loadTariffs } from './tariffs.js';

/**
 * What a subscriber owes now, for termination (clause 11: the agreement ends once all fees are
 * settled): the ledger balance, plus — while service has not ended on a final bill — the rent
 * accrued to today and the rated calls not billed yet, exactly as the final bill will charge them.
 * Shaped as `BalanceSource` of src/subscribers/termination.ts (contract §6).
 */
export function billingBalanceSource(ctx: ServiceContext): { outstandingFen(subscriberId: string): Promise<Fen> } {
  return {
    async outstandingFen(subscriberId) {
      const balance = await ledgerBalance(ctx.db, subscriberId);
      return balance + (await accruedUnbilledFen(ctx, subscriberId));
    },
  };
}

export async function accruedUnbilledFen(ctx: ServiceContext, subscriberId: string): Promise<Fen> {
  const account = await findBillingAccount(ctx.db, subscriberId);
  if (!account || account.serviceEnd !== null) return 0;
  const today = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  const lastBilled = await sql<{ p: string | null }>`select max(period)::text as p from bills where subscriber_id = ${subscriberId}`
    .execute(ctx.db)
    .then((r) => r.rows[0]?.p ?? null);
  const first = lastBilled ? addMonthsClamped(lastBilled, 1) : periodOf(account.serviceStart);
  const tariff = (await loadTariffs(ctx, [account.planId])).get(account.planId)!;
  let rent = 0;
  for (let period = first; period <= periodOf(today); period = addMonthsClamped(period, 1)) {
    const days = serviceDaysIn(period, account.serviceStart, today);
    if (days) rent += proratedRent(tariff.monthlyRentFen, period, days.days);
  }
  const usage = await sql<{ n: number }>`
    select coalesce(sum(charge_fen), 0)::bigint as n from call_charges where subscriber_id = ${subscriberId} and bill_period >= ${first}::date`.execute(
    ctx.db,
  );
  return rent + Number(usage.rows[0]?.n ?? 0);
}
