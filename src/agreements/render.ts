import type { Settings } from '../platform/config/index.js';
import { formatMoney, type Fen } from '../platform/money.js';
import { agreementV1En } from './texts/agreement-v1.en.js';
import { agreementV1ZhCn } from './texts/agreement-v1.zh-CN.js';
import { agreementV2En } from './texts/agreement-v2.en.js';
import { agreementV2ZhCn } from './texts/agreement-v2.zh-CN.js';
import type { FilledParameters } from './texts/filled-parameters.js';

export const agreementLanguages = ['zh-CN', 'en'] as const;
export type AgreementLanguage = (typeof agreementLanguages)[number];

/** What the subscriber ordered (clause 2): the order is an annex, so its summary is printed in the text. */
export interface OrderSummary {
  planName: string;
  monthlyRentFen: Fen;
  creditLimitFen: Fen;
}

/** Everything a rendered text depends on. `order: null` renders the generic text with a placeholder. */
export interface AgreementParameters {
  providerName: string;
  providerWebsite: string;
  currency: string;
  /** Decimal fraction per day, e.g. `0.003`. */
  lateFeeRatePerDay: string;
  warrantyMonths: number;
  outageCreditThresholdHours: number;
  objectionWindowMonths: number;
  arbitrationBody: string;
  order: OrderSummary | null;
}

type Template = (parameters: FilledParameters) => string;

const texts: Record<number, Record<AgreementLanguage, Template>> = {
  1: { 'zh-CN': agreementV1ZhCn, en: agreementV1En },
  2: { 'zh-CN': agreementV2ZhCn, en: agreementV2En },
};

export function hasAgreementText(version: number): boolean {
  return texts[version] !== undefined;
}

/** The operator's parameters from settings plus the subscriber's order. */
export function agreementParameters(settings: Settings, order: OrderSummary | null): AgreementParameters {
  return {
    providerName: settings.providerName,
    providerWebsite: settings.providerWebsite,
    currency: settings.currency,
    lateFeeRatePerDay: settings.lateFeeRatePerDay,
    warrantyMonths: settings.warrantyMonths,
    outageCreditThresholdHours: settings.outageCreditThresholdHours,
    objectionWindowMonths: settings.objectionWindowMonths,
    arbitrationBody: settings.arbitrationBody,
    order,
  };
}

/**
 * The exact text of one version in one language. Pure: the same inputs give the same string, hence
 * the same bytes and hash. A version without a text is a bug (versions are seeded with their texts).
 */
export function renderAgreement(version: number, language: AgreementLanguage, parameters: AgreementParameters): string {
  const template = texts[version]?.[language];
  if (!template) throw new Error(`no text for agreement version ${version} in ${language}`);
  return template(fill(language, parameters));
}

const orderPlaceholder: Record<AgreementLanguage, string> = { 'zh-CN': '以订单为准', en: 'as stated in the order' };

function fill(language: AgreementLanguage, p: AgreementParameters): FilledParameters {
  const money = (fen: Fen) => formatMoney(fen, p.currency, language);
  const placeholder = orderPlaceholder[language];
  return {
    providerName: p.providerName,
    providerWebsite: p.providerWebsite,
    planName: p.order?.planName ?? placeholder,
    monthlyRent: p.order ? money(p.order.monthlyRentFen) : placeholder,
    creditLimit: p.order ? money(p.order.creditLimitFen) : placeholder,
    lateFeeRate: percent(p.lateFeeRatePerDay),
    warrantyMonths: String(p.warrantyMonths),
    outageThresholdHours: String(p.outageCreditThresholdHours),
    objectionWindowMonths: String(p.objectionWindowMonths),
    arbitrationBody: p.arbitrationBody,
  };
}

/** `0.003` → `0.3%`, exactly (string arithmetic, no floats). The setting has at most nine decimals. */
export function percent(fraction: string): string {
  const match = /^0(?:\.([0-9]{1,9}))?$/.exec(fraction);
  if (!match) throw new RangeError(`not a rate between 0 and 1: ${fraction}`);
  const digits = (match[1] ?? '').padEnd(9, '0');
  const whole = String(Number(digits.slice(0, 2)));
  const decimals = digits.slice(2).replace(/0+$/, '');
  return `${whole}${decimals ? '.' + decimals : ''}%`;
}
