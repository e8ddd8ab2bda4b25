import type { Language } from '../../i18n/i18n';

// The shape of GET /api/catalog/price-list, as the server documents it in OpenAPI.

/** An amount in minor units (fen) and as the server printed it for the requested language. */
export type MoneyAmount = { fen: number; formatted: string };

export type PriceListPlan = {
  id: string;
  code: string;
  name: string;
  description: string;
  monthlyRent: MoneyAmount;
  includedMinutes: number;
  /** `precise` is 1/10000 fen per minute. */
  perMinuteRate: { precise: number; formatted: string };
  billingIncrement: { seconds: number; description: string };
  exampleCall: { durationSeconds: number; billableSeconds: number; charge: MoneyAmount };
  validFrom: string;
  validTo: string | null;
};

export type PriceList = {
  language: Language;
  currency: string;
  asOf: string;
  provider: { name: string; website: string };
  rounding: string;
  plans: PriceListPlan[];
  creditLimits: { amount: MoneyAmount; isDefault: boolean }[];
  terminals: { code: string; name: string; description: string; price: MoneyAmount }[];
};

export function priceListPath(language: Language): string {
  return `/api/catalog/price-list?lang=${encodeURIComponent(language)}`;
}
