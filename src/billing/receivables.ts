import { sql } from 'kysely';
import type { Settings } from '../platform/config/index.js';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import { localDateOf, startOfLocalDay, type LocalDate } from '../platform/zoned-calendar.js';
import { openDisputedByBill } from './disputed-amounts.js';
import { postEntry } from './ledger.js';
import { accruedLateFee, allocate, lateFeeFen, parseDailyRate, type AllocationOrder, type LateFeeSnapshot } from './rules.js';

/** A bill with what has been paid against it, portion by portion (late fees, then principal by default). */
export interface BillBalance {
  billId: string;
  subscriberId: string;
  period: LocalDate;
  kind: 'regular' | 'final' | 'supplementary';
  issueDate: LocalDate;
  dueDate: LocalDate;
  issuedAt: Date;
  totalFen: Fen;
  lateFeeFen: Fen;
  principalFen: Fen;
  lateFeeOutstandingFen: Fen;
  principalOutstandingFen: Fen;
  outstandingFen: Fen;
}

interface BillRow {
  id: string;
  subscriber_id: string;
  period: string;
  kind: 'regular' | 'final' | 'supplementary';
  issue_date: string;
  due_date: string;
  issued_at: Date;
  total_fen: number;
  late_fee_fen: number;
  principal_fen: number;
  paid_late_fee: number;
  paid_principal: number;
}

/** Every bill of a subscriber, oldest first (the order payments are applied in). */
export async function billBalances(executor: Executor, subscriberId: string): Promise<BillBalance[]> {
  const { rows } = await sql<BillRow>`
    select b.id, b.subscriber_id, b.period::text as period, b.kind, b.issue_date::text as issue_date, b.due_date::text as due_date,
           b.issued_at, b.total_fen, b.late_fee_fen, b.principal_fen,
           coalesce(sum(a.amount_fen) filter (where a.portion = 'late_fee'), 0)::bigint as paid_late_fee,
           coalesce(sum(a.amount_fen) filter (where a.portion = 'principal'), 0)::bigint as paid_principal
    from bills b left join payment_allocations a on a.bill_id = b.id
    where b.subscriber_id = ${subscriberId}
    group by b.id
    order by b.period, b.issued_at`.execute(executor);
  return rows.map(toBalance);
}

function toBalance(row: BillRow): BillBalance {
  const lateFeeOutstanding = Math.max(0, Number(row.late_fee_fen) - Number(row.paid_late_fee));
  const principalOutstanding = Math.max(0, Number(row.principal_fen) - Number(row.paid_principal));
  return {
    billId: row.id,
    subscriberId: row.subscriber_id,
    period: row.period,
    kind: row.kind,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    issuedAt: row.issued_at,
    totalFen: Number(row.total_fen),
    lateFeeFen: Number(row.late_fee_fen),
    principalFen: Number(row.principal_fen),
    lateFeeOutstandingFen: lateFeeOutstanding,
    principalOutstandingFen: principalOutstanding,
    outstandingFen: lateFeeOutstanding + principalOutstanding,
  };
}

/**
 * Credit not yet applied to a bill: payments and credit notes, less refunds, plus any bill whose
 * lines came to less than zero, less what has been allocated.
 */
export async function unappliedCredit(executor: Executor, subscriberId: string): Promise<Fen> {
  const { rows } = await sql<{ credit: number }>`
    select (coalesce((select -sum(amount_fen) from ledger_entries where subscriber_id = ${subscriberId} and kind in ('payment', 'refund', 'credit_note')), 0)
          + coalesce((select sum(-total_fen) from bills where subscriber_id = ${subscriberId} and total_fen < 0), 0)
          - coalesce((select sum(amount_fen) from payment_allocations where subscriber_id = ${subscriberId}), 0))::bigint as credit`.execute(
    executor,
  );
  return Number(rows[0]?.credit ?? 0);
}

/** Serialises money operations of one subscriber (two deliveries of a webhook must not both allocate). */
export async function lockSubscriber(executor: Executor, subscriberId: string): Promise<boolean> {
  const { rows } = await sql`select 1 from billing_accounts where subscriber_id = ${subscriberId} for update`.execute(executor);
  return rows.length > 0;
}

export function allocationOrder(settings: Settings): AllocationOrder {
  return settings.paymentAllocationOrder;
}

/**
 * Applies the subscriber's unapplied credit to their bills, oldest first, each bill's portions in the
 * operator's order (default late fees then principal, PRC Civil Code art. 561). `effectiveAt` is when
 * the money arrived: a bill whose principal this settles after its due date gets its late fee posted,
 * computed through that day (clause 5), for the next bill. Call inside the caller's transaction with
 * the subscriber locked.
 */
export async function applyCredit(
  executor: Executor,
  settings: Settings,
  subscriberId: string,
  effectiveAt: Date,
  now: Date,
): Promise<{ allocatedFen: Fen; lateFeesPostedFen: Fen }> {
  const credit = await unappliedCredit(executor, subscriberId);
  if (credit <= 0) return { allocatedFen: 0, lateFeesPostedFen: 0 };
  // Clause 6: money is not applied to an amount under open dispute; the subscriber withholds it.
  const disputed = await openDisputedByBill(executor, subscriberId);
  const bills = (await billBalances(executor, subscriberId))
    .map((b) => {
      const held = Math.min(disputed.get(b.billId) ?? 0, b.principalOutstandingFen);
      return held === 0 ? b : { ...b, principalOutstandingFen: b.principalOutstandingFen - held, outstandingFen: b.outstandingFen - held };
    })
    .filter((b) => b.outstandingFen > 0);
  const allocations = allocate(credit, bills, allocationOrder(settings));
  if (allocations.length === 0) return { allocatedFen: 0, lateFeesPostedFen: 0 };
  for (const a of allocations) {
    await executor
      .insertInto('payment_allocations')
      .values({
        subscriber_id: subscriberId,
        bill_id: a.billId,
        portion: a.portion,
        amount_fen: a.amountFen,
        // Money cannot pay a bill before the bill's issue date (the date, not when a late run wrote it).
        effective_at: new Date(
          Math.max(
            effectiveAt.getTime(),
            startOfLocalDay(bills.find((b) => b.billId === a.billId)!.issueDate, settings.timeZone).getTime(),
          ),
        ),
        created_at: now,
      })
      .execute();
  }
  // Clause 5: every bill this money finds overdue has its late fee posted through the day the money
  // arrived, before anything else, so a payment of "principal plus the fees so far" settles both
  // (the fee is then a charge, the money beyond the principal credit that pays it on the bill that
  // shows it) and the figure quoted as owed today is the figure that clears the account.
  const paidDate = await lateFeeEndDate(executor, settings, subscriberId, localDateOf(effectiveAt, settings.timeZone));
  let lateFeesPosted = 0;
  for (const bill of bills) {
    if (bill.principalOutstandingFen > 0 && paidDate > bill.dueDate)
      lateFeesPosted += await postLateFee(executor, settings, bill, paidDate, now);
  }
  return { allocatedFen: allocations.reduce((s, a) => s + a.amountFen, 0), lateFeesPostedFen: lateFeesPosted };
}

/**
 * The last day late fees can accrue to, seen from `date`: `date` itself, unless termination for
 * arrears froze what is owed earlier (clause 5: money that arrives later settles that amount and
 * accrues no further late fee).
 */
export async function lateFeeEndDate(executor: Executor, settings: Settings, subscriberId: string, date: LocalDate): Promise<LocalDate> {
  const frozen = await executor.selectFrom('collections').select('frozen_at').where('subscriber_id', '=', subscriberId).executeTakeFirst();
  const frozenOn = frozen ? localDateOf(frozen.frozen_at, settings.timeZone) : null;
  return frozenOn !== null && frozenOn < date ? frozenOn : date;
}

/** The inputs of a bill's late fee, read from its allocations and disputes. */
export async function lateFeeSnapshot(executor: Executor, settings: Settings, bill: BillBalance): Promise<LateFeeSnapshot> {
  const allocations = await executor
    .selectFrom('payment_allocations')
    .select(['amount_fen', 'effective_at'])
    .where('bill_id', '=', bill.billId)
    .where('portion', '=', 'principal')
    .execute();
  const disputes = await executor
    .selectFrom('bill_disputes')
    .select(['amount_fen', 'opened_at', 'closed_at'])
    .where('bill_id', '=', bill.billId)
    .execute();
  return {
    principalFen: Math.max(0, bill.principalFen),
    dueDate: bill.dueDate,
    principalPayments: allocations.map((a) => ({ date: localDateOf(a.effective_at, settings.timeZone), amountFen: Number(a.amount_fen) })),
    disputes: disputes.map((d) => ({
      amountFen: Number(d.amount_fen),
      from: localDateOf(d.opened_at, settings.timeZone),
      to: d.closed_at ? localDateOf(d.closed_at, settings.timeZone) : null,
    })),
    ratePerDay: parseDailyRate(settings.lateFeeRatePerDay),
  };
}

/** Late fee of a bill accrued exactly through `throughDate`, and what has been posted for it so far. */
export async function lateFeeStatus(
  executor: Executor,
  settings: Settings,
  bill: BillBalance,
  throughDate: LocalDate,
): Promise<{ days: number; accruedFen: Fen; postedFen: Fen }> {
  const { days, exact } = accruedLateFee(await lateFeeSnapshot(executor, settings, bill), throughDate);
  const posted = await sql<{ posted: number }>`
    select coalesce(sum(amount_fen), 0)::bigint as posted from ledger_entries where kind = 'late_fee' and bill_id = ${bill.billId}`.execute(
    executor,
  );
  return { days, accruedFen: lateFeeFen(exact), postedFen: Number(posted.rows[0]?.posted ?? 0) };
}

/**
 * Posts the late fee of `bill` accrued through `throughDate` (or through the latest day an earlier
 * posting counted, if later), less what was posted before: rounded once, half up, on the total.
 * The difference may be negative when a payment dated earlier than a posting was recorded after it
 * (a bank file, an allowed back-dated desk payment): the fee is then recalculated downwards, never
 * kept for days the money was in fact paid. Idempotent per bill and day (the key names both).
 */
export async function postLateFee(
  executor: Executor,
  settings: Settings,
  bill: BillBalance,
  throughDate: LocalDate,
  now: Date,
): Promise<Fen> {
  const { rows } = await sql<{ through: string | null }>`
    select max(detail->>'through') as through from ledger_entries where kind = 'late_fee' and bill_id = ${bill.billId}`.execute(executor);
  const postedThrough = rows[0]?.through ?? null;
  const through = postedThrough !== null && postedThrough > throughDate ? postedThrough : throughDate;
  const status = await lateFeeStatus(executor, settings, bill, through);
  const amount = status.accruedFen - status.postedFen;
  if (amount === 0) return 0;
  const posted = await postEntry(executor, {
    subscriberId: bill.subscriberId,
    kind: 'late_fee',
    amountFen: amount,
    billId: bill.billId,
    description:
      amount > 0
        ? `Late fee: ${status.days} days late on the bill due ${bill.dueDate}`
        : `Late fee recalculated: ${status.days} days late on the bill due ${bill.dueDate}, after a payment dated earlier`,
    detail: { billId: bill.billId, dueDate: bill.dueDate, through, days: status.days, ratePerDay: settings.lateFeeRatePerDay },
    idempotencyKey: `late-fee:${bill.billId}:${through}:${status.accruedFen}`,
    postedAt: now,
  });
  return posted.created ? amount : 0;
}
