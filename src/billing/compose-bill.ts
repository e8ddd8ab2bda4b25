import type { Fen } from '../platform/money.js';
import type { LocalDate, Period } from '../platform/zoned-calendar.js';
import { proratedRent, rentFreeDays, serviceDaysIn } from './rules.js';
import type { LedgerKind } from './tables.js';

/**
 * What one bill is made of, gathered by `issueBill` before anything is written: the account's days
 * of service, its plan's rent, the period's rated calls from the rating sub-ledger, and the charges
 * posted since the last bill.
 */
export interface BillSnapshot {
  subscriberId: string;
  period: Period;
  serviceStart: LocalDate;
  serviceEnd: LocalDate | null;
  plan: { planId: string; code: string; monthlyRentFen: Fen };
  /** Suspensions that stop rent, as the local days they covered wholly (see `rentFreeDays`). */
  rentStoppingDays: readonly { firstFullDay: LocalDate; lastFullDay: LocalDate | null }[];
  /** The period's call charges, summed per kind: the first rating and later re-rating corrections. */
  usage: readonly { kind: 'rating' | 'correction'; chargeFen: Fen; calls: number; chargedSeconds: number; billableSeconds: number }[];
  /** A supplementary bill carries only `pendingCharges`: the period's rent and calls are on the final bill. */
  chargesOnly?: boolean;
  /** Ledger entries posted since the last bill and on none yet (late fees, adjustments, corrections), in posting order. */
  pendingCharges: readonly { entryId: string; kind: LedgerKind; amountFen: Fen }[];
}

/** A line this bill posts to the ledger as it is issued. */
export interface NewBillLine {
  kind: 'rent' | 'usage' | 'correction';
  amountFen: Fen;
  description: string;
  detail: Record<string, unknown>;
  idempotencyKey: string;
}

/** A line carrying an entry already in the ledger. */
export interface PostedBillLine {
  kind: LedgerKind;
  amountFen: Fen;
  entryId: string;
}

export type BillLine = NewBillLine | PostedBillLine;

export interface ComposedBill {
  subscriberId: string;
  /** In the order they are printed. */
  lines: BillLine[];
  totalFen: Fen;
  /** The part of the total that is late fees (late fees never bear late fees: principal is the rest). */
  lateFeeFen: Fen;
  serviceFrom: LocalDate | null;
  serviceTo: LocalDate | null;
}

export function isPosted(line: BillLine): line is PostedBillLine {
  return 'entryId' in line;
}

/**
 * The lines of one bill (clause 5, 11), pure: rent for the days of service in the period less the
 * days wholly suspended without rent, prorated by day and rounded once; the period's usage and
 * re-rating corrections as one line each; then every charge posted since the last bill.
 */
export function composeBill(snapshot: BillSnapshot): ComposedBill {
  const { subscriberId, period, plan } = snapshot;
  const lines: BillLine[] = [];
  const days = snapshot.chargesOnly ? null : serviceDaysIn(period, snapshot.serviceStart, snapshot.serviceEnd);
  const freeDays = days ? rentFreeDays(days.from, days.to, snapshot.rentStoppingDays) : 0;
  if (days && days.days > freeDays) {
    lines.push({
      kind: 'rent',
      amountFen: proratedRent(plan.monthlyRentFen, period, days.days - freeDays),
      description:
        `Monthly rent ${plan.code}, ${days.from} – ${days.to}` + (freeDays > 0 ? `, less ${freeDays} days suspended without rent` : ''),
      detail: {
        planId: plan.planId,
        monthlyRentFen: plan.monthlyRentFen,
        from: days.from,
        to: days.to,
        days: days.days - freeDays,
        ...(freeDays > 0 ? { rentFreeDays: freeDays } : {}),
      },
      idempotencyKey: `rent:${subscriberId}:${period}`,
    });
  }
  for (const usage of snapshot.chargesOnly ? [] : snapshot.usage) {
    const rating = usage.kind === 'rating';
    lines.push({
      kind: rating ? 'usage' : 'correction',
      amountFen: usage.chargeFen,
      description: rating
        ? `Video calls: ${usage.calls} calls, ${usage.chargedSeconds} s charged`
        : `Re-rating corrections: ${usage.calls} calls`,
      detail: { calls: usage.calls, billableSeconds: usage.billableSeconds, chargedSeconds: usage.chargedSeconds, period },
      idempotencyKey: `${rating ? 'usage' : 'usage-correction'}:${subscriberId}:${period}`,
    });
  }
  for (const charge of snapshot.pendingCharges) lines.push({ kind: charge.kind, amountFen: charge.amountFen, entryId: charge.entryId });
  return {
    subscriberId,
    lines,
    totalFen: lines.reduce((sum, line) => sum + line.amountFen, 0),
    lateFeeFen: lines.filter((line) => line.kind === 'late_fee').reduce((sum, line) => sum + line.amountFen, 0),
    serviceFrom: days?.from ?? null,
    serviceTo: days?.to ?? null,
  };
}
