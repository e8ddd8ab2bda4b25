import type { TFunction } from 'i18next';
import { formatFen } from '../../lib/money';
import type { ApiResponse } from '../../types/api';

// Shapes of the console's charging routes (src/charging/routes.ts), generated from their schemas.

export type SubscriberCredit = ApiResponse<'/api/console/charging/subscribers/{id}'>;

export type ChargingEntry = SubscriberCredit['history'][number];

export type LimitChanged = ApiResponse<'/api/console/charging/subscribers/{id}/credit-limit', 'put'>;

function record(detail: unknown): Record<string, unknown> {
  return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
}

const fen = (value: unknown) => formatFen(Number(value ?? 0));
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * One charging event in the reader's language, from its structured detail (src/charging writes it):
 * what was granted and held, what was refused or cut off and what it cost, the alert's figures, and
 * who changed the limit from what to what.
 */
export function explainChargingEntry(t: TFunction, entry: Pick<ChargingEntry, 'kind' | 'detail'>): string {
  const detail = record(entry.detail);
  switch (entry.kind) {
    case 'authorized':
      return t('credit.console.explain.authorized', {
        caller: text(detail.caller),
        seconds: Number(detail.grantedSeconds ?? 0),
        amount: fen(detail.reservedFen),
      });
    case 'refused':
      return t('credit.console.explain.refused', { caller: text(detail.caller) });
    case 'cutoff': {
      // A ringing call cancelled at the limit carries `answered: false`; an answered one its length and charge.
      if (detail.answered === false) return t('credit.console.explain.cutoffRinging', { caller: text(detail.caller) });
      const totalSeconds = Math.round(Number(detail.durationMs ?? 0) / 1000);
      const duration = t('credit.console.explain.duration', { minutes: Math.floor(totalSeconds / 60), seconds: totalSeconds % 60 });
      return t('credit.console.explain.cutoffAnswered', { duration, amount: fen(detail.chargeFen) });
    }
    case 'exhausted':
      return t('credit.console.explain.exhausted', { caller: text(detail.caller) });
    case 'restored':
      return t('credit.console.explain.restored', { limit: fen(detail.limitFen), settled: fen(detail.settledFen) });
    case 'alert':
      return t('credit.console.explain.alert', {
        percent: Number(detail.percent ?? 0),
        fees: fen(detail.feesFen),
        limit: fen(detail.limitFen),
      });
    case 'limit-changed': {
      const by = t(detail.by === 'subscriber' ? 'credit.console.explain.by.subscriber' : 'credit.console.explain.by.staff');
      // The first change after the order has the order's limit as `fromFen`; null only without one.
      return typeof detail.fromFen === 'number'
        ? t('credit.console.explain.limitChanged', { from: fen(detail.fromFen), to: fen(detail.toFen), by })
        : t('credit.console.explain.limitSet', { to: fen(detail.toFen), by });
    }
  }
}
