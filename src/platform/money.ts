/**
 * Money is an integer number of minor units (fen for CNY) plus the operator's currency, never a float.
 * Rates may be more precise than a fen: they are stored as integers of 1/10000 of a minor unit
 * ("precise" amounts, like Lago's `precise_amount_cents`) and become fen once per line, through
 * `roundHalfUp` — the one rounding rule of the system.
 */

/** An amount in minor units (fen). Always a safe integer; may be negative for credits. */
export type Fen = number;

/** An amount in 1/10000 of a minor unit, for per-minute rates. Always a safe integer. */
export type PreciseFen = number;

/** How many precise units make one minor unit: rates carry four more decimal places than fen. */
export const PRECISE_PER_FEN = 10_000;
const PRECISE_DIGITS = 4;

export function isFen(value: unknown): value is Fen {
  return Number.isSafeInteger(value);
}

/** For amounts computed in code: a non-integer or unsafe amount is a bug, not a user error. */
export function assertFen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an amount of whole minor units: ${value}`);
  return value;
}

/**
 * numerator / denominator rounded to the nearest integer, halves away from zero (2.5 → 3, −2.5 → −3).
 * The only rounding rule for money: every conversion from a precise amount to fen goes through here.
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('roundHalfUp: division by zero');
  const sign = numerator < 0n !== denominator < 0n ? -1n : 1n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  return sign * ((2n * n + d) / (2n * d));
}

/** A precise amount (1/10000 fen) as whole fen, rounded half up. */
export function preciseToFen(precise: PreciseFen): Fen {
  return toSafeNumber(roundHalfUp(BigInt(assertPrecise(precise)), BigInt(PRECISE_PER_FEN)));
}

/** Whole fen as a precise amount (exact). */
export function fenToPrecise(fen: Fen): PreciseFen {
  return assertPrecise(assertFen(fen) * PRECISE_PER_FEN);
}

/** How many decimal places the currency's minor unit has (CNY 2, JPY 0), as ICU knows it. */
export function minorUnitDigits(currency: string): number {
  return currencyFormat('en', currency, 0).resolvedOptions().maximumFractionDigits ?? 2;
}

/** `30_00` → `¥30.00` in both zh-CN and en; the narrow symbol, since the currency is named beside every list. */
export function formatMoney(fen: Fen, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  return currencyFormat(locale, currency, 0).format(decimalString(BigInt(assertFen(fen)), digits));
}

/** A precise amount with as many decimals as it needs, at least the currency's: `150_000` → `¥0.15`, `125_000` → `¥0.125`. */
export function formatPreciseMoney(precise: PreciseFen, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency) + PRECISE_DIGITS;
  return currencyFormat(locale, currency, PRECISE_DIGITS).format(decimalString(BigInt(assertPrecise(precise)), digits));
}

/** `"30.00"`, `"30.5"`, `"30"` → fen; null when the text is not a plain decimal with at most the currency's decimals. */
export function parseMoney(text: string, currency: string): Fen | null {
  return parseScaled(text, minorUnitDigits(currency));
}

/**
 * `12_34` → `"12.34"`: the plain decimal text that files and payment providers exchange (Alipay's
 * `total_amount`), with exactly the currency's decimals and no float in between. `parseMoney` reads it back.
 */
export function toDecimalText(fen: Fen, currency: string): string {
  return decimalString(BigInt(assertFen(fen)), minorUnitDigits(currency));
}

/** `"0.15"` → `150_000` (1/10000 fen); up to four decimals more than the currency's. */
export function parsePreciseMoney(text: string, currency: string): PreciseFen | null {
  return parseScaled(text, minorUnitDigits(currency) + PRECISE_DIGITS);
}

function parseScaled(text: string, scale: number): number | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, minus, whole = '0', fraction = ''] = match;
  if (fraction.length > scale) return null;
  const scaled = BigInt(whole + fraction.padEnd(scale, '0')) * (minus ? -1n : 1n);
  const value = Number(scaled);
  return Number.isSafeInteger(value) ? value : null;
}

/** An exact decimal string of `value / 10^scale`, which Intl formats without passing through a float. */
function decimalString(value: bigint, scale: number): `${number}` {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? '.' + fraction : ''}` as `${number}`;
}

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string, extraDigits: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${extraDigits}`;
  let format = formats.get(key);
  if (!format) {
    const base = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).resolvedOptions();
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: base.minimumFractionDigits,
      maximumFractionDigits: (base.maximumFractionDigits ?? 2) + extraDigits,
    });
    formats.set(key, format);
  }
  return format;
}

function assertPrecise(value: number): PreciseFen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an amount of whole precise units: ${value}`);
  return value;
}

function toSafeNumber(value: bigint): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`amount ${value} exceeds the safe integer range`);
  return number;
}
