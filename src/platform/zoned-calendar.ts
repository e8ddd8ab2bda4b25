/**
 * The operator's calendar (settings.timeZone, Asia/Shanghai by default), the one calendar of the
 * service. Deadlines the agreement states in days and months ("within one month of the notice",
 * "more than one month overdue"), billing months and due dates are local calendar dates, never UTC
 * instants; instants stay `Date`s. A local date is an ISO `YYYY-MM-DD` string; arithmetic on it is
 * done on the proleptic Gregorian calendar with no time zone, so February, month ends and leap years
 * come out exact. Built on Intl only, so conversions follow the zone's rules including DST.
 */
export type LocalDate = string;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateParts(
  instant: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The operator's calendar date of an instant. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = dateParts(instant, timeZone);
  return formatDate(year, month, day);
}

/** The instant a local date begins in the zone (00:00 local). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  const { year, month, day } = parseDate(date);
  const utcGuess = Date.UTC(year, month - 1, day);
  // The zone's offset at the guess, applied twice to settle on the right side of an offset change.
  let instant = utcGuess - offsetMs(new Date(utcGuess), timeZone);
  instant = utcGuess - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function offsetMs(instant: Date, timeZone: string): number {
  const p = dateParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

export function parseDate(date: LocalDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a local date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function formatDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseDate(date);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Calendar days from `from` to `to` (positive when `to` is later): Feb 21 → Mar 8 2026 is 15. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const a = parseDate(from);
  const b = parseDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/**
 * The same date `months` later, clamped to the month's end: Jan 31 + 1 month is Feb 28 (Feb 29 in a
 * leap year). Clause 5's "more than one month overdue" and clause 15's objection window are measured
 * against this date.
 */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return formatDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** A billing period is named by its first day: `2026-02-01` is February 2026. */
export type Period = LocalDate;

export function periodOf(date: LocalDate): Period {
  const { year, month } = parseDate(date);
  return formatDate(year, month, 1);
}

export function nextPeriod(period: Period): Period {
  return addMonthsClamped(periodOf(period), 1);
}

/** The last day of the period (inclusive). */
export function periodEnd(period: Period): LocalDate {
  return addDays(nextPeriod(period), -1);
}

export function periodDays(period: Period): number {
  const { year, month } = parseDate(period);
  return daysInMonth(year, month);
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}
