import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import { addMonthsClamped, localDateOf, periodOf, type LocalDate } from '../platform/zoned-calendar.js';
import { findBillingAccount } from './accounts.js';
import { proratedRent, serviceDaysIn } from './rules.js';
import { loadTariffs } from './tariffs.js';
import { billBalances, lateFeeEndDate, lateFeeStatus, unappliedCredit } from './receivables.js';

/**
 * What a subscriber owes at this instant, and what it is made of (clause 5, 9, 11). It is the one
 * figure every place that shows or takes money uses: the portal, the console and its payment desk,
 * and the termination that waits for the account to be settled. Paying `totalFen` today leaves
 * nothing owed: late fees count through today, as a payment today posts them.
 */
export interface AmountOwed {
  /** The operator's local date the figure is for. */
  asOf: LocalDate;
  /** Outstanding on issued bills: principal and the late-fee lines they carry. */
  onBillsFen: Fen;
  /** Charges posted and on no bill yet: late fees, staff adjustments, re-rating corrections. */
  unbilledChargesFen: Fen;
  /** Late fees accrued through today on overdue bills and not posted yet (posted when money arrives). */
  lateFeesAccruingFen: Fen;
  /** While service runs: rent accrued to today and rated calls, not billed yet (the final bill's share). */
  unbilledServiceFen: Fen;
  /** Money on the account not yet applied to a bill (overpayments, credit notes). */
  creditFen: Fen;
  /** The sum of the above less the credit; never below zero (credit beyond it stays credit). */
  totalFen: Fen;
}

export async function amountOwedNow(ctx: ServiceContext, subscriberId: string): Promise<AmountOwed> {
  const now = ctx.clock.now();
  const asOf = localDateOf(now, ctx.settings.timeZone);
  const bills = await billBalances(ctx.db, subscriberId);
  const through = await lateFeeEndDate(ctx.db, ctx.settings, subscriberId, asOf);
  let lateFeesAccruing = 0;
  for (const bill of bills) {
    if (bill.principalOutstandingFen > 0 && bill.dueDate < through) {
      const status = await lateFeeStatus(ctx.db, ctx.settings, bill, through);
      lateFeesAccruing += Math.max(0, status.accruedFen - status.postedFen);
    }
  }
  const onBills = bills.reduce((sum, b) => sum + b.outstandingFen, 0);
  const unbilledCharges = await unbilledChargesFen(ctx.db, subscriberId);
  const unbilledService = await accruedUnbilledFen(ctx, subscriberId);
  const credit = await unappliedCredit(ctx.db, subscriberId);
  return {
    asOf,
    onBillsFen: onBills,
    unbilledChargesFen: unbilledCharges,
    lateFeesAccruingFen: lateFeesAccruing,
    unbilledServiceFen: unbilledService,
    creditFen: credit,
    totalFen: Math.max(0, onBills + unbilledCharges + lateFeesAccruing + unbilledService - credit),
  };
}

/**
 * What paying one bill takes today: its outstanding amount and the late fee accrued on it through
 * today, not posted yet (a payment today posts it). Null when the subscriber has no such bill.
 * Money is still applied oldest bill first (clause 5), whatever the payer had in mind.
 */
export async function amountOwedOnBill(
  ctx: ServiceContext,
  subscriberId: string,
  billId: string,
): Promise<{ billId: string; period: string; amountFen: Fen } | null> {
  const bill = (await billBalances(ctx.db, subscriberId)).find((b) => b.billId === billId);
  if (!bill) return null;
  const asOf = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  const through = await lateFeeEndDate(ctx.db, ctx.settings, subscriberId, asOf);
  let accruing = 0;
  if (bill.principalOutstandingFen > 0 && bill.dueDate < through) {
    const status = await lateFeeStatus(ctx.db, ctx.settings, bill, through);
    accruing = Math.max(0, status.accruedFen - status.postedFen);
  }
  return { billId: bill.billId, period: bill.period, amountFen: bill.outstandingFen + accruing };
}

/** Charges in the ledger that no bill carries yet. */
async function unbilledChargesFen(executor: Executor, subscriberId: string): Promise<Fen> {
  const { rows } = await sql<{ n: number }>`
    select coalesce(sum(e.amount_fen), 0)::bigint as n from ledger_entries e
    where e.subscriber_id = ${subscriberId} and e.kind in ('late_fee', 'adjustment', 'correction')
      and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)`.execute(executor);
  return Number(rows[0]?.n ?? 0);
}

/** Rent accrued to today and rated calls not billed yet, exactly as the final bill will charge them; 0 once service ended. */
async function accruedUnbilledFen(ctx: ServiceContext, subscriberId: string): Promise<Fen> {
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
