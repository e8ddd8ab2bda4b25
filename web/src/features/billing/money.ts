// Formatting and parsing of fen are shared with the other features' pages (lib/money.ts).
export { fenToYuanText, formatFen, parseYuanToFen } from '../../lib/money';

/** The server's daily rate as a decimal string ("0.003") → "0.3%", moving the point by string, not by float. */
export function rateAsPercent(rate: string): string {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) return rate;
  const digits = `${match[1]}${(match[2] ?? '').padEnd(2, '0')}`;
  const pointAt = match[1]!.length + 2;
  const whole = digits.slice(0, pointAt).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(pointAt).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}

/** Seconds as whole minutes and seconds, for usage. */
export function minutesAndSeconds(totalSeconds: number): { minutes: number; seconds: number } {
  return { minutes: Math.floor(totalSeconds / 60), seconds: totalSeconds % 60 };
}
