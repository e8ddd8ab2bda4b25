import { priceCall } from '../catalog/index.js';
import { roundHalfUp, type Fen } from '../platform/money.js';
import {
  addDays,
  addMonthsClamped,
  daysBetween,
  maxDate,
  minDate,
  periodDays,
  periodEnd,
  type LocalDate,
  type Period,
} from '../platform/zoned-calendar.js';

/**
 * The pure rules of billing: no database, no clock. The operations in this module gather a snapshot,
 * call these, and write the result in one place (STYLE.md, "rules that operators tune are data").
 */

// ── Rating (clause 5, priced by the clause 2 price list) ─────────────────────────────────────────

export interface PlanTariff {
  planId: string;
  includedMinutes: number;
  perMinuteRatePrecise: number;
  billingIncrementSeconds: number;
}

export interface CallToRate {
  callRecordId: string;
  durationMs: number;
}

export interface CallRating {
  callRecordId: string;
  billableSeconds: number;
  /** Seconds covered by the period's included minutes. */
  includedSeconds: number;
  chargedSeconds: number;
  chargeFen: Fen;
}

/**
 * Rates a subscriber's calls of one period in the order given, by the catalogue's rule (`priceCall`):
 * each call's duration is rounded up to the billing increment (per call, never per increment);
 * included minutes are consumed first, by billable seconds, starting from what earlier calls of the
 * period already used; the rest is charged at the per-minute rate and rounded half up once, for the call.
 */
export function rateCallsInOrder(tariff: PlanTariff, includedSecondsUsed: number, calls: readonly CallToRate[]): CallRating[] {
  let allowance = Math.max(0, tariff.includedMinutes * 60 - includedSecondsUsed);
  return calls.map((call) => {
    const price = priceCall(tariff, call.durationMs, allowance);
    allowance -= price.includedSeconds;
    return { callRecordId: call.callRecordId, ...price };
  });
}

// ── Rent (clause 5, 11) ──────────────────────────────────────────────────────────────────────────

/** The days of `period` the service ran, given its first day and (inclusive) last day, if any. */
export function serviceDaysIn(
  period: Period,
  serviceStart: LocalDate,
  serviceEnd: LocalDate | null,
): { from: LocalDate; to: LocalDate; days: number } | null {
  const from = maxDate(period, serviceStart);
  const to = serviceEnd ? minDate(periodEnd(period), serviceEnd) : periodEnd(period);
  if (to < from) return null;
  return { from, to, days: daysBetween(from, to) + 1 };
}

/**
 * Days from `from` to `to` (local dates, inclusive) that lie wholly inside a suspension under which
 * rent stops. A day is rent-free only when the suspension covered all of it: the day it started
 * (unless at midnight) and the day it was lifted are charged.
 */
export function rentFreeDays(
  from: LocalDate,
  to: LocalDate,
  suspensions: readonly { firstFullDay: LocalDate; lastFullDay: LocalDate | null }[],
): number {
  let free = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (suspensions.some((s) => s.firstFullDay <= day && (s.lastFullDay === null || day <= s.lastFullDay))) free += 1;
  }
  return free;
}

/** Monthly rent prorated by day for a partial month, rounded half up once: 30.00 for 10 of 28 days is 10.71. */
export function proratedRent(monthlyRentFen: Fen, period: Period, days: number): Fen {
  const total = periodDays(period);
  if (days >= total) return monthlyRentFen;
  return Number(roundHalfUp(BigInt(monthlyRentFen) * BigInt(days), BigInt(total)));
}

// ── Bill dates (clause 5) ────────────────────────────────────────────────────────────────────────

/**
 * A bill's issue and due dates follow from what it bills, never from when the job happened to run,
 * so a late or repeated run issues the same bill and every late fee counts from the same due date:
 * a monthly bill is dated the day after its period ends; a final bill the last day of service, or
 * the day it is issued when that day is still to come; a supplementary bill (charges posted after
 * the final bill) the day its newest charge was posted. Due `dueDays` after issue.
 */
export function billDates(
  bill:
    | { kind: 'regular'; period: Period }
    | { kind: 'final'; lastDay: LocalDate; today: LocalDate }
    | { kind: 'supplementary'; lastPosted: LocalDate },
  dueDays: number,
): { issueDate: LocalDate; dueDate: LocalDate } {
  const issueDate =
    bill.kind === 'regular'
      ? addDays(periodEnd(bill.period), 1)
      : bill.kind === 'final'
        ? minDate(bill.lastDay, bill.today)
        : bill.lastPosted;
  return { issueDate, dueDate: addDays(issueDate, dueDays) };
}

// ── Late fees (clause 5) ─────────────────────────────────────────────────────────────────────────

/** Rates are kept in billionths so 0.3 % a day (0.003) is exact: 3_000_000. */
export const RATE_SCALE = 1_000_000_000n;

/** `"0.003"` → 3_000_000n billionths. */
export function parseDailyRate(text: string): bigint {
  const match = /^0(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a daily rate: ${text}`);
  return BigInt((match[1] ?? '').padEnd(9, '0'));
}

export interface LateFeeSnapshot {
  /** The bill's principal: its total without late-fee lines (late fees never bear late fees). */
  principalFen: Fen;
  dueDate: LocalDate;
  /** Principal paid, by the local date it was paid. */
  principalPayments: readonly { date: LocalDate; amountFen: Fen }[];
  /** Disputed amounts with the local dates they were open (clause 6: no late fee on them while open). */
  disputes: readonly { amountFen: Fen; from: LocalDate; to: LocalDate | null }[];
  ratePerDay: bigint;
}

/**
 * The exact late fee of one bill through `throughDate`, in billionths of a fen, unrounded. A day D
 * after the due date is a late day when principal was still unpaid when D began: paid on the due date
 * is on time, paid the next day is one day late. Each late day charges the rate on the unpaid,
 * undisputed principal of that morning.
 */
export function accruedLateFee(snapshot: LateFeeSnapshot, throughDate: LocalDate): { days: number; exact: bigint } {
  let days = 0;
  let exact = 0n;
  const payments = [...snapshot.principalPayments].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let unpaid = snapshot.principalFen;
  let next = 0;
  // Principal paid on or before the due date never counts.
  for (let day = addDays(snapshot.dueDate, 1); day <= throughDate; day = addDays(day, 1)) {
    while (next < payments.length && payments[next]!.date < day) unpaid -= payments[next++]!.amountFen;
    if (unpaid <= 0) break;
    const disputed = snapshot.disputes
      .filter((d) => d.from < day && (d.to === null || d.to >= day))
      .reduce((sum, d) => sum + d.amountFen, 0);
    const base = Math.max(0, unpaid - disputed);
    if (base > 0) {
      days += 1;
      exact += BigInt(base) * snapshot.ratePerDay;
    }
  }
  return { days, exact };
}

/** An exact late fee as fen: rounded half up once, when posted. */
export function lateFeeFen(exact: bigint): Fen {
  return Number(roundHalfUp(exact, RATE_SCALE));
}

// ── Allocation of payments (PRC Civil Code art. 561) ────────────────────────────────────────────

export type AllocationOrder = 'late-fees-first' | 'principal-first';

export interface OpenBill {
  billId: string;
  lateFeeOutstandingFen: Fen;
  principalOutstandingFen: Fen;
}

export interface Allocation {
  billId: string;
  portion: 'late_fee' | 'principal';
  amountFen: Fen;
}

/** Spends `creditFen` on bills oldest first (the caller orders them), each bill's portions in `order`. */
export function allocate(creditFen: Fen, bills: readonly OpenBill[], order: AllocationOrder): Allocation[] {
  const allocations: Allocation[] = [];
  let left = creditFen;
  for (const bill of bills) {
    const portions: [Allocation['portion'], Fen][] =
      order === 'late-fees-first'
        ? [
            ['late_fee', bill.lateFeeOutstandingFen],
            ['principal', bill.principalOutstandingFen],
          ]
        : [
            ['principal', bill.principalOutstandingFen],
            ['late_fee', bill.lateFeeOutstandingFen],
          ];
    for (const [portion, outstanding] of portions) {
      if (left <= 0) return allocations;
      const amount = Math.min(left, outstanding);
      if (amount > 0) {
        allocations.push({ billId: bill.billId, portion, amountFen: amount });
        left -= amount;
      }
    }
  }
  return allocations;
}

// ── Dunning (clause 5) ───────────────────────────────────────────────────────────────────────────

export type DunningAction = 'none' | 'suspend' | 'terminate';

/** One stage of the dunning ladder: reached when the oldest unpaid bill is more than `overdueMonths` past due. */
export interface DunningStage {
  name: string;
  overdueMonths: number;
  action: DunningAction;
}

export function dunningStagesFromSettings(settings: {
  suspendAfterOverdueMonths: number;
  terminateAfterOverdueMonths: number;
}): DunningStage[] {
  return [
    { name: 'current', overdueMonths: 0, action: 'none' },
    { name: 'suspended', overdueMonths: settings.suspendAfterOverdueMonths, action: 'suspend' },
    { name: 'terminated', overdueMonths: settings.terminateAfterOverdueMonths, action: 'terminate' },
  ];
}

export interface DunningSnapshot {
  today: LocalDate;
  /** Due date of the oldest bill with anything outstanding, null when nothing is owed. */
  oldestUnpaidDueDate: LocalDate | null;
}

/**
 * The stage a subscriber should be in. "More than N months past due" is later than the same date N
 * months after the due date, clamped to month end: due Feb 21 is suspended from Mar 22, due Jan 31
 * from Mar 1 (Feb 28 + 1 day).
 */
export function desiredDunningStage(stages: readonly DunningStage[], snapshot: DunningSnapshot): DunningStage {
  const sorted = [...stages].sort((a, b) => a.overdueMonths - b.overdueMonths);
  let chosen = sorted[0]!;
  if (snapshot.oldestUnpaidDueDate === null) return chosen;
  for (const stage of sorted) {
    if (stage.overdueMonths === 0 || snapshot.today > addMonthsClamped(snapshot.oldestUnpaidDueDate, stage.overdueMonths)) chosen = stage;
  }
  return chosen;
}
