// Amounts arrive as integer fen. They are formatted with integer arithmetic only: dividing by 100 in
// floating point can print 0.1 + 0.2 style artefacts and would make the page disagree with the bill.

/** 4116 → "¥41.16", -358 → "-¥3.58", 123456789 → "¥1,234,567.89". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100) // integer division of an integer: exact
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}

/** 4116 → "41.16": what a clerk would type for the amount (the inverse of `parseYuanToFen`). */
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${(abs % 100).toString().padStart(2, '0')}`;
}

/**
 * "41.16" → 4116, "30" → 3000; null when it is not an amount with at most two decimals, or when it is
 * zero and zero is not allowed (a payment is never zero; a credit limit may be).
 */
export function parseYuanToFen(text: string, options: { allowZero?: boolean } = {}): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > 0 || (options.allowZero && fen === 0) ? fen : null;
}

/** How many 1/10000-fen units make a yuan: per-minute rates are kept that precisely (src/platform/money.ts). */
const PRECISE_PER_YUAN = 1_000_000;

/** "0.15" → 150000, "0.125" → 125000: a rate in yuan with up to six decimals as 1/10000 fen, exactly; null otherwise. */
export function parseYuanToPrecise(text: string): number | null {
  const match = /^(\d{1,6})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * PRECISE_PER_YUAN + Number((match[2] ?? '').padEnd(6, '0'));
}

/** 150000 → "0.15", 125000 → "0.125": a precise rate as a clerk would type it (the inverse of `parseYuanToPrecise`). */
export function preciseToYuanText(precise: number): string {
  const whole = Math.floor(precise / PRECISE_PER_YUAN);
  const fraction = (precise % PRECISE_PER_YUAN).toString().padStart(6, '0').replace(/0+$/, '');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
