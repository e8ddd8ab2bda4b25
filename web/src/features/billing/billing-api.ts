import type { TFunction } from 'i18next';
import type { ApiBody, ApiResponse } from '../../types/api';
import { formatFen, minutesAndSeconds } from './money';

// Response shapes of billing's routes (src/billing/routes/), generated from their schemas. Amounts are integer fen.

export type BillSummary = ApiResponse<'/api/portal/bills'>['bills'][number];

export type BillStatus = BillSummary['status'];

export type BillDetail = ApiResponse<'/api/portal/bills/{id}'>;

export type Balance = ApiResponse<'/api/portal/balance'>;

export type Usage = ApiResponse<'/api/portal/usage'>;

export type BillRun = ApiResponse<'/api/console/billing/bill-runs'>['runs'][number];

export type AgeingBucket = ApiResponse<'/api/console/billing/receivables/ageing'>['buckets'][number];

export type SubscriberAccount = ApiResponse<'/api/console/billing/subscribers/{subscriberId}'>;

export type RecordedPayment = ApiResponse<'/api/console/billing/payments', 'post'>;

export type ReconciliationReport = ApiResponse<'/api/console/billing/reconciliation/import', 'post'>;

export type AdjustmentRequest = ApiBody<'/api/console/billing/subscribers/{subscriberId}/adjustments', 'post'>;

export type AdjustmentKind = AdjustmentRequest['kind'];

export type PostedAdjustment = ApiResponse<'/api/console/billing/subscribers/{subscriberId}/adjustments', 'post'>;

export type RefundRequest = ApiBody<'/api/console/billing/subscribers/{subscriberId}/refunds', 'post'>;

export type RecordedRefund = ApiResponse<'/api/console/billing/subscribers/{subscriberId}/refunds', 'post'>;

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

/** The subject words of a dispute credit's reason (src/disputes answerDispute): "Fee dispute upheld: bill <id>". */
const disputeCredit = /^Fee dispute (upheld|partly-upheld): (bill-line|bill|call)\b/;

/**
 * A credit note given back since the previous bill, explained in the reader's language where its
 * reason names what it corrects: a fee dispute's outcome, or an outage (whose reason is written in
 * both languages, "English · 中文"); any other credit shows the reason staff gave.
 */
export function explainCredit(t: TFunction, language: string, credit: { description: string; detail: unknown }): string {
  const reason = typeof record(credit.detail).reason === 'string' ? String(record(credit.detail).reason) : credit.description;
  // A dispute's credit names its dispute in `detail.source`; older ones only in the reason's words.
  const source = record(record(credit.detail).source);
  const dispute =
    source.kind === 'dispute' && typeof source.outcome === 'string' && typeof source.subject === 'string'
      ? [reason, source.outcome, source.subject]
      : disputeCredit.exec(reason);
  if (dispute) {
    return t('bills.creditDispute', {
      outcome: t(`disputes.outcomes.${dispute[1] as 'upheld'}`),
      subject: t(`disputes.subjects.${dispute[2] as 'bill'}`),
    });
  }
  if (/^Outage \S+/.test(reason)) {
    const [english, chinese] = reason.split(' · ');
    return t('bills.creditOutage', { text: (language.startsWith('zh') ? chinese : english) ?? reason });
  }
  return t('bills.explainReason.credit_note', { reason });
}
