import type { Settings } from '../platform/config/index.js';
import { formatMoney, formatPreciseMoney, type Fen, type PreciseFen } from '../platform/money.js';
import type { Catalogue, Plan } from './catalog.js';
import { rateCall } from './rating.js';

/**
 * The published price list (agreement clause 2), generated from the catalogue with the same Money
 * and rating functions billing uses, so what is published is what is billed.
 */
export const priceListLanguages = ['zh-CN', 'en'] as const;
export type PriceListLanguage = (typeof priceListLanguages)[number];

export interface MoneyAmount {
  fen: Fen;
  formatted: string;
}

export interface PreciseAmount {
  /** 1/10000 fen. */
  precise: PreciseFen;
  formatted: string;
}

export interface PriceListPlan {
  id: string;
  code: string;
  name: string;
  description: string;
  monthlyRent: MoneyAmount;
  includedMinutes: number;
  perMinuteRate: PreciseAmount;
  billingIncrement: { seconds: number; description: string };
  /** A call just over a minute, rated as billing will rate it: shows the rounding up and the rounding to the fen. */
  exampleCall: { durationSeconds: number; billableSeconds: number; charge: MoneyAmount };
  validFrom: string;
  validTo: string | null;
}

export interface PriceList {
  language: PriceListLanguage;
  currency: string;
  asOf: string;
  provider: { name: string; website: string };
  /** How a call's charge becomes whole fen, in words. */
  rounding: string;
  plans: PriceListPlan[];
  creditLimits: { amount: MoneyAmount; isDefault: boolean }[];
  terminals: { code: string; name: string; description: string; price: MoneyAmount }[];
}

const exampleCallSeconds = 61;

export function buildPriceList(
  catalogue: Catalogue,
  settings: Pick<Settings, 'currency' | 'providerName' | 'providerWebsite'>,
  language: PriceListLanguage,
): PriceList {
  const { currency } = settings;
  const money = (fen: Fen): MoneyAmount => ({ fen, formatted: formatMoney(fen, currency, language) });
  const zh = language === 'zh-CN';
  return {
    language,
    currency,
    asOf: catalogue.asOf.toISOString(),
    provider: { name: settings.providerName, website: settings.providerWebsite },
    rounding: zh
      ? `每次通话单独计费，费用四舍五入到 ${formatMoney(1, currency, language)}。`
      : `Each call is charged on its own, rounded to the nearest ${formatMoney(1, currency, language)} (halves up).`,
    plans: catalogue.plans.map((plan) => {
      const example = rateCall(plan, exampleCallSeconds * 1000);
      return {
        id: plan.id,
        code: plan.code,
        name: zh ? plan.nameZh : plan.nameEn,
        description: zh ? plan.descriptionZh : plan.descriptionEn,
        monthlyRent: money(plan.monthlyRentFen),
        includedMinutes: plan.includedMinutes,
        perMinuteRate: { precise: plan.perMinuteRatePrecise, formatted: formatPreciseMoney(plan.perMinuteRatePrecise, currency, language) },
        billingIncrement: { seconds: plan.billingIncrementSeconds, description: describeIncrement(plan, language) },
        exampleCall: { durationSeconds: exampleCallSeconds, billableSeconds: example.billableSeconds, charge: money(example.chargeFen) },
        validFrom: plan.validFrom.toISOString(),
        validTo: plan.validTo?.toISOString() ?? null,
      };
    }),
    creditLimits: catalogue.creditLimits.map((option) => ({ amount: money(option.amountFen), isDefault: option.isDefault })),
    terminals: catalogue.terminals.map((model) => ({
      code: model.code,
      name: zh ? model.nameZh : model.nameEn,
      description: zh ? model.descriptionZh : model.descriptionEn,
      price: money(model.priceFen),
    })),
  };
}

/** "per 6 seconds, rounded up per call" / "按 6 秒计费，每次通话不足 6 秒按 6 秒计". */
export function describeIncrement(plan: Pick<Plan, 'billingIncrementSeconds'>, language: PriceListLanguage): string {
  const seconds = plan.billingIncrementSeconds;
  const minutes = seconds % 60 === 0 ? seconds / 60 : null;
  if (language === 'zh-CN') {
    const span = minutes === null ? `${seconds} 秒` : `${minutes} 分钟`;
    return `按${minutes === 1 ? '分钟' : ' ' + span}计费，每次通话不足 ${span}按 ${span}计`;
  }
  const unit = minutes === null ? (seconds === 1 ? 'second' : `${seconds} seconds`) : minutes === 1 ? 'minute' : `${minutes} minutes`;
  return `per ${unit}, rounded up per call`;
}
