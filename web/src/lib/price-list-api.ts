import type { Language } from '../i18n/i18n';
import type { ApiResponse } from '../types/api';

/** GET /api/catalog/price-list: amounts in minor units (fen) and as the server printed them for the requested language. */
export type PriceList = ApiResponse<'/api/catalog/price-list'>;

export type PriceListPlan = PriceList['plans'][number];

export function priceListPath(language: Language): string {
  return `/api/catalog/price-list?lang=${encodeURIComponent(language)}`;
}
