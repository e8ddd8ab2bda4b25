import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Fen } from '../platform/money.js';
import { daysBetween, localDateOf, periodOf, startOfLocalDay } from '../platform/zoned-calendar.js';
import { ledgerBalance } from './ledger.js';
import { amountOwedNow, type AmountOwed } from './owed-now.js';
import { billBalances, lateFeeStatus, type BillBalance } from './receivables.js';
import type { LedgerKind } from './tables.js';

/** What the portal and console show: every amount explained by the entries it is made of. */
export interface BillSummary {
  id: string;
  period: string;
  kind: 'regular' | 'final' | 'supplementary';
  issueDate: string;
  dueDate: string;
  totalFen: Fen;
  outstandingFen: Fen;
  status: 'paid' | 'open' | 'overdue';
}

export interface BillLine {
  position: number;
  /** The ledger entry on this line: what a fee dispute about the line names. */
  entryId: string;
  kind: LedgerKind;
  amountFen: Fen;
  description: string;
  detail: unknown;
}

export interface BillDetail extends BillSummary {
  subscriberId: string;
  serviceFrom: string | null;
  serviceTo: string | null;
  lateFeeFen: Fen;
  principalFen: Fen;
  lines: BillLine[];
  /** Clause 5 explained: days late so far and the late fee accrued, not yet posted. */
  lateFee: { daysLate: number; accruedFen: Fen; postedFen: Fen; ratePerDay: string };
  /** The money that paid this bill: when it was paid, how much went here, and why it was dated back if it was. */
  payments: { paidAt: string; amountFen: Fen; channel: 'webhook' | 'bank-file' | 'manual'; backdateReason: string | null }[];
  /**
   * Credit notes posted since the previous bill (a dispute upheld, an outage credit, a goodwill
   * credit): money given back is applied at once, so it is not a line of the total; the bill shows
   * it so the subscriber sees every correction on the next bill, with what it corrects.
   */
  credits: { postedAt: string; amountFen: Fen; description: string; detail: unknown }[];
}

function summary(bill: BillBalance, today: string): BillSummary {
  return {
    id: bill.billId,
    period: bill.period,
    kind: bill.kind,
    issueDate: bill.issueDate,
    dueDate: bill.dueDate,
    totalFen: bill.totalFen,
    outstandingFen: bill.outstandingFen,
    status: bill.outstandingFen === 0 ? 'paid' : bill.dueDate < today ? 'overdue' : 'open',
  };
}

const todayOf = (ctx: ServiceContext) => localDateOf(ctx.clock.now(), ctx.settings.timeZone);

export async function listBills(ctx: ServiceContext, subscriberId: string): Promise<BillSummary[]> {
  const today = todayOf(ctx);
  return (await billBalances(ctx.db, subscriberId)).reverse().map((b) => summary(b, today));
}

export async function billDetail(ctx: ServiceContext, billId: string, subscriberId?: string): Promise<BillDetail | null> {
  if (!/^[0-9a-f-]{36}$/i.test(billId)) return null;
  const owner = await ctx.db.selectFrom('bills').select(['subscriber_id']).where('id', '=', billId).executeTakeFirst();
  if (!owner || (subscriberId && owner.subscriber_id !== subscriberId)) return null;
  const bill = (await billBalances(ctx.db, owner.subscriber_id)).find((b) => b.billId === billId)!;
  const { rows } = await sql<{
    position: number;
    entry_id: string;
    kind: LedgerKind;
    amount_fen: number;
    description: string;
    detail: unknown;
  }>`
    select l.position, e.id as entry_id, e.kind, e.amount_fen, e.description, e.detail
    from bill_lines l join ledger_entries e on e.id = l.ledger_entry_id
    where l.bill_id = ${billId} order by l.position`.execute(ctx.db);
  const today = todayOf(ctx);
  const late = await lateFeeStatus(ctx.db, ctx.settings, bill, today);
  // Credit is pooled, so an allocation names no payment; it carries the instant the money counted
  // from, which is the payment's own date, or the bill's issue date for money that was waiting.
  const issuedFrom = startOfLocalDay(bill.issueDate, ctx.settings.timeZone);
  const payments = await sql<{
    paid_at: Date;
    amount_fen: number;
    channel: 'webhook' | 'bank-file' | 'manual';
    backdate_reason: string | null;
  }>`
    select p.paid_at, sum(a.amount_fen)::bigint as amount_fen, p.channel, p.backdate_reason
    from payments p
    join payment_allocations a on a.subscriber_id = p.subscriber_id and a.bill_id = ${billId}
                               and a.effective_at = greatest(p.paid_at, ${issuedFrom}::timestamptz)
    where p.subscriber_id = ${owner.subscriber_id}
    group by p.id, p.paid_at, p.channel, p.backdate_reason order by p.paid_at`.execute(ctx.db);
  const credits = await sql<{ posted_at: Date; amount_fen: number; description: string; detail: unknown }>`
    select e.posted_at, -e.amount_fen as amount_fen, e.description, e.detail from ledger_entries e
    where e.subscriber_id = ${owner.subscriber_id} and e.kind = 'credit_note' and e.posted_at <= ${bill.issuedAt}
      and e.posted_at > coalesce((select max(p.issued_at) from bills p where p.subscriber_id = ${owner.subscriber_id} and p.issued_at < ${bill.issuedAt}), '-infinity')
    order by e.seq`.execute(ctx.db);
  const dates = await sql<{ from: string | null; to: string | null }>`
    select service_from::text as from, service_to::text as to from bills where id = ${billId}`.execute(ctx.db);
  return {
    ...summary(bill, today),
    subscriberId: owner.subscriber_id,
    serviceFrom: dates.rows[0]?.from ?? null,
    serviceTo: dates.rows[0]?.to ?? null,
    lateFeeFen: bill.lateFeeFen,
    principalFen: bill.principalFen,
    lines: rows.map((r) => ({
      position: r.position,
      entryId: r.entry_id,
      kind: r.kind,
      amountFen: Number(r.amount_fen),
      description: r.description,
      detail: r.detail,
    })),
    lateFee: { daysLate: late.days, accruedFen: late.accruedFen, postedFen: late.postedFen, ratePerDay: ctx.settings.lateFeeRatePerDay },
    payments: payments.rows.map((p) => ({
      paidAt: new Date(p.paid_at).toISOString(),
      amountFen: Number(p.amount_fen),
      channel: p.channel,
      backdateReason: p.backdate_reason,
    })),
    credits: credits.rows.map((c) => ({
      postedAt: new Date(c.posted_at).toISOString(),
      amountFen: Number(c.amount_fen),
      description: c.description,
      detail: c.detail,
    })),
  };
}

export interface BalanceView {
  balanceFen: Fen;
  outstandingFen: Fen;
  overdueFen: Fen;
  creditFen: Fen;
  /** Late fees accrued on overdue bills and not yet posted (a payment posts them through its day). */
  accruingLateFeesFen: Fen;
  /** What paying today settles, and what it is made of: `amountOwedNow`, the same figure everywhere. */
  owedNow: AmountOwed;
}

export async function balanceOf(ctx: ServiceContext, subscriberId: string): Promise<BalanceView> {
  const today = todayOf(ctx);
  const bills = await billBalances(ctx.db, subscriberId);
  const owedNow = await amountOwedNow(ctx, subscriberId);
  return {
    balanceFen: await ledgerBalance(ctx.db, subscriberId),
    outstandingFen: bills.reduce((s, b) => s + b.outstandingFen, 0),
    overdueFen: bills.filter((b) => b.dueDate < today).reduce((s, b) => s + b.outstandingFen, 0),
    creditFen: owedNow.creditFen,
    accruingLateFeesFen: owedNow.lateFeesAccruingFen,
    owedNow,
  };
}

/** This month's rated calls (clause 5): what is included, what is charged, so far. */
export async function usageOf(ctx: ServiceContext, subscriberId: string, period = periodOf(todayOf(ctx))) {
  const { rows } = await sql<{ calls: number; billable: number; included: number; charged: number; charge: number }>`
    select count(distinct call_record_id)::int as calls, coalesce(sum(billable_seconds), 0)::bigint as billable,
           coalesce(sum(included_seconds), 0)::bigint as included, coalesce(sum(charged_seconds), 0)::bigint as charged,
           coalesce(sum(charge_fen), 0)::bigint as charge
    from call_charges where subscriber_id = ${subscriberId} and usage_period = ${period}::date`.execute(ctx.db);
  const row = rows[0]!;
  return {
    period,
    calls: row.calls,
    billableSeconds: Number(row.billable),
    includedSeconds: Number(row.included),
    chargedSeconds: Number(row.charged),
    chargeFen: Number(row.charge),
  };
}

/** Receivables by days past due, as the console's ageing chart draws them. */
export async function receivablesAgeing(ctx: ServiceContext): Promise<{ bucket: string; bills: number; amountFen: Fen }[]> {
  const today = todayOf(ctx);
  const { rows } = await sql<{ due_date: string; outstanding: number }>`
    select b.due_date::text as due_date, (b.total_fen - coalesce(sum(a.amount_fen), 0))::bigint as outstanding
    from bills b left join payment_allocations a on a.bill_id = b.id
    group by b.id having b.total_fen - coalesce(sum(a.amount_fen), 0) > 0`.execute(ctx.db);
  const buckets = [
    { bucket: 'not-due', bills: 0, amountFen: 0 },
    { bucket: '1-30', bills: 0, amountFen: 0 },
    { bucket: '31-60', bills: 0, amountFen: 0 },
    { bucket: '61-90', bills: 0, amountFen: 0 },
    { bucket: '90+', bills: 0, amountFen: 0 },
  ];
  for (const row of rows) {
    const late = daysBetween(row.due_date, today);
    const index = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
    buckets[index]!.bills += 1;
    buckets[index]!.amountFen += Number(row.outstanding);
  }
  return buckets;
}

/** Whose bill this is (staff search by bill number), or null when there is no such bill. */
export async function billOwner(
  ctx: ServiceContext,
  billId: string,
): Promise<{ billId: string; subscriberId: string; period: string } | null> {
  const row = await ctx.db
    .selectFrom('bills')
    .select(['id', 'subscriber_id', sql<string>`period::text`.as('period')])
    .where('id', '=', billId)
    .executeTakeFirst();
  return row ? { billId: row.id, subscriberId: row.subscriber_id, period: row.period } : null;
}
