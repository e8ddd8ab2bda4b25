import type { TFunction } from 'i18next';
import { formatFen, minutesAndSeconds } from './money';

// Response shapes of src/billing/routes.ts (statements.ts, bill-run.ts, dunning.ts, ledger.ts,
// bank-import.ts, payments.ts). Amounts are integer fen.

export type BillStatus = 'paid' | 'open' | 'overdue';

export type BillSummary = {
  id: string;
  period: string;
  kind: 'regular' | 'final';
  issueDate: string;
  dueDate: string;
  totalFen: number;
  outstandingFen: number;
  status: BillStatus;
};

export type BillLine = { position: number; kind: string; amountFen: number; description: string; detail: unknown };

export type BillDetail = BillSummary & {
  subscriberId: string;
  serviceFrom: string | null;
  serviceTo: string | null;
  lateFeeFen: number;
  principalFen: number;
  lines: BillLine[];
  lateFee: { daysLate: number; accruedFen: number; postedFen: number; ratePerDay: string };
};

export type Balance = { balanceFen: number; outstandingFen: number; overdueFen: number; creditFen: number; accruingLateFeesFen: number };

export type Usage = {
  period: string;
  calls: number;
  billableSeconds: number;
  includedSeconds: number;
  chargedSeconds: number;
  chargeFen: number;
};

export type BillRun = {
  period: string;
  startedAt: string;
  finishedAt: string | null;
  subscribersTotal: number;
  subscribersBilled: number;
  lastError: string | null;
};

export type AgeingBucket = { bucket: string; bills: number; amountFen: number };

export type LedgerLine = {
  id: string;
  seq: number;
  kind: string;
  amountFen: number;
  billId: string | null;
  description: string;
  detail: unknown;
  postedAt: string;
  onBillId: string | null;
  position: number | null;
};

export type Dunning = { stage: string; since: string | null; oldestUnpaidDueDate: string | null; overdueFen: number };

export type SubscriberAccount = { balance: Balance; dunning: Dunning; bills: BillSummary[]; ledger: LedgerLine[] };

export type RecordedPayment = { paymentId: string; duplicate: boolean; allocatedFen: number; creditFen: number; lateFeesPostedFen: number };

export type ReconciliationRow = {
  line: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason: string | null;
  reference: string | null;
  subscriberId: string | null;
  amountFen: number | null;
  date: string | null;
};

export type ReconciliationReport = {
  importId: string | null;
  accepted: number;
  duplicates: number;
  rejected: number;
  totalAcceptedFen: number;
  rows: ReconciliationRow[];
};

/** "2026-01-01" → "2026-01": a bill's period is a month. */
export function periodLabel(period: string): string {
  return period.slice(0, 7);
}

function record(detail: unknown): Record<string, unknown> {
  return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
}

/**
 * A line explained in the reader's language from its structured detail; the server's description
 * (English, for the ledger) is the fallback for kinds without one.
 */
export function explainLine(t: TFunction, line: { kind: string; description: string; detail: unknown }): string {
  const detail = record(line.detail);
  if (line.kind === 'rent' && typeof detail.days === 'number') {
    const rent = t('bills.explainRent', {
      from: String(detail.from),
      to: String(detail.to),
      days: detail.days,
      monthly: formatFen(Number(detail.monthlyRentFen ?? 0)),
    });
    // Days wholly inside a suspension that stops rent are not charged (they are not in `days`).
    return typeof detail.rentFreeDays === 'number' ? `${rent}${t('bills.explainRentFreeDays', { days: detail.rentFreeDays })}` : rent;
  }
  if ((line.kind === 'usage' || line.kind === 'correction') && typeof detail.calls === 'number') {
    if (line.kind === 'correction') return t('bills.explainCorrection', { calls: detail.calls });
    const { minutes, seconds } = minutesAndSeconds(Number(detail.chargedSeconds ?? 0));
    return t('bills.explainUsage', { calls: detail.calls, minutes: t('bills.minutesSeconds', { minutes, seconds }) });
  }
  if (line.kind === 'late_fee' && typeof detail.days === 'number') {
    return t('bills.explainLateFee', { days: detail.days, dueDate: String(detail.dueDate) });
  }
  if (line.kind === 'payment' && typeof detail.provider === 'string') {
    return t('bills.explainPayment', {
      provider: t(`bills.providers.${detail.provider as 'bank'}`, { defaultValue: detail.provider }),
      reference: String(detail.externalReference),
    });
  }
  // Refunds, adjustments and credit notes carry the reason staff gave, in the words they gave it.
  if ((line.kind === 'refund' || line.kind === 'adjustment' || line.kind === 'credit_note') && typeof detail.reason === 'string') {
    return t(`bills.explainReason.${line.kind}`, { reason: detail.reason });
  }
  return line.description;
}
