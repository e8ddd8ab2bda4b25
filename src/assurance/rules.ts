import { roundHalfUp, type Fen } from '../platform/money.js';
import type { FieldError } from '../platform/result.js';
import {
  addDays,
  localDateOf,
  nextPeriod,
  periodDays,
  periodOf,
  startOfLocalDay,
  type LocalDate,
  type Period,
} from '../platform/zoned-calendar.js';
import type { OutageCause, OutageScope } from './tables.js';

/**
 * The pure rules of outages (clauses 7, 12–14): which causes earn a credit, who a scope reaches, and
 * what an outage is worth to one subscriber. The job gathers a snapshot, calls these, and posts the
 * result in one place.
 */

/** What each cause means for credits, in one table. */
export const OUTAGE_CAUSES: Readonly<Record<OutageCause, { clause: string; credited: boolean }>> = {
  // Clause 13: the operator's own fault, liable once the interruption reaches the threshold, capped.
  platform: { clause: '13', credited: true },
  // Clause 13: "the operator and its service providers" are liable for their faults, capped the same way.
  'third-party': { clause: '13', credited: true },
  // Clause 14: neither party is liable.
  'force-majeure': { clause: '14', credited: false },
  'government-action': { clause: '14', credited: false },
  // Clause 7: announced in advance, no liability; its window also excuses other outages' time inside it.
  'announced-maintenance': { clause: '7', credited: false },
};

export const OUTAGE_CAUSE_NAMES = Object.keys(OUTAGE_CAUSES) as OutageCause[];

// ── Spans of time ───────────────────────────────────────────────────────────────────────────────

/** A half-open span of instants [from, to), in epoch milliseconds. */
export interface Span {
  from: number;
  to: number;
}

/** Sorted, with overlapping and touching spans merged, empty ones dropped. */
export function merge(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else out.push({ ...span });
  }
  return out;
}

export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const x of merge(a)) for (const y of merge(b)) out.push({ from: Math.max(x.from, y.from), to: Math.min(x.to, y.to) });
  return merge(out);
}

export function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  let rest = merge(a);
  for (const cut of merge(b)) {
    rest = rest.flatMap((s) =>
      cut.to <= s.from || cut.from >= s.to
        ? [s]
        : [
            { from: s.from, to: cut.from },
            { from: cut.to, to: s.to },
          ].filter((p) => p.to > p.from),
    );
  }
  return rest;
}

// ── Scope ───────────────────────────────────────────────────────────────────────────────────────

/**
 * A number pattern: a prefix ending in `*` (`+86106000*`) or an inclusive range of numbers of the same
 * length (`+8610600000-+8610600999`). Numbers compare as strings of equal length.
 */
export function parseNumberPattern(text: string): { first: string; last: string } | { prefix: string } | null {
  const prefix = /^(\+?\d{1,20})\*$/.exec(text.trim());
  if (prefix) return { prefix: prefix[1]! };
  const range = /^(\+?\d{1,20})-(\+?\d{1,20})$/.exec(text.trim());
  if (!range) return null;
  const [, first, last] = range as unknown as [string, string, string];
  if (first.length !== last.length || first.startsWith('+') !== last.startsWith('+') || first > last) return null;
  return { first, last };
}

export function numberMatches(number: string, patterns: readonly string[]): boolean {
  return patterns.some((text) => {
    const pattern = parseNumberPattern(text);
    if (!pattern) return false;
    if ('prefix' in pattern) return number.startsWith(pattern.prefix);
    return number.length === pattern.first.length && number >= pattern.first && number <= pattern.last;
  });
}

/** A subscriber as billing served them: the span of their service and the numbers they held. */
export interface ServedSubscriber {
  subscriberId: string;
  service: Span;
  numbers: readonly { number: string; from: number; to: number | null }[];
}

/** When the scope reached the subscriber: all of their service, or the time they held a number in it. */
export function reachOf(scope: OutageScope, subscriber: ServedSubscriber): Span[] {
  switch (scope.kind) {
    case 'everyone':
      return [subscriber.service];
    case 'subscribers':
      return scope.subscriberIds.includes(subscriber.subscriberId) ? [subscriber.service] : [];
    case 'numbers':
      return intersect(
        [subscriber.service],
        subscriber.numbers
          .filter((n) => numberMatches(n.number, scope.ranges))
          .map((n) => ({ from: n.from, to: n.to ?? Number.MAX_SAFE_INTEGER })),
      );
  }
}

// ── Credit (clause 13) ──────────────────────────────────────────────────────────────────────────

/** Clause 13: only an interruption of at least the threshold's consecutive hours, of a credited cause, once ended. */
export function earnsCredit(outage: { startsAt: Date; endsAt: Date | null; cause: OutageCause }, thresholdHours: number): boolean {
  if (!OUTAGE_CAUSES[outage.cause].credited || outage.endsAt === null) return false;
  return outage.endsAt.getTime() - outage.startsAt.getTime() >= thresholdHours * 3_600_000;
}

export interface MonthShare {
  period: Period;
  /** Whole minutes of the month the subscriber was affected. */
  minutes: number;
  monthMinutes: number;
  /** Rent × minutes / month's minutes, rounded half up once. */
  proratedFen: Fen;
  /** Local days of the month the affected time touched, and the rent the bill charges for them. */
  days: number;
  feesFen: Fen;
  creditFen: Fen;
}

export interface OutageCredit {
  minutes: number;
  months: MonthShare[];
  creditFen: Fen;
  /** The fees of the affected time: the cap. */
  feesFen: Fen;
  /** Whether the cap lowered the credit. */
  capped: boolean;
}

/**
 * Clause 13's cap, applied here and nowhere else: a credit is never more than the service fees of the
 * affected time.
 */
export function capAtFeesOfAffectedTime(creditFen: Fen, feesFen: Fen): Fen {
  return Math.min(creditFen, feesFen);
}

/**
 * What the affected time is worth to a subscriber on a plan of `monthlyRentFen`: per local calendar
 * month, the rent prorated by the minute over the month's minutes, rounded half up once; capped at
 * the fees of that time, which are the rent the bill charges for the days the affected time touched
 * (billing's own day proration).
 */
export function outageCredit(monthlyRentFen: Fen, affected: readonly Span[], timeZone: string): OutageCredit {
  const spans = merge(affected);
  const months: MonthShare[] = [];
  if (spans.length > 0) {
    let period = periodOf(localDateOf(new Date(spans[0]!.from), timeZone));
    const lastPeriod = periodOf(localDateOf(new Date(spans[spans.length - 1]!.to - 1), timeZone));
    for (; period <= lastPeriod; period = nextPeriod(period)) {
      const month = { from: startOfLocalDay(period, timeZone).getTime(), to: startOfLocalDay(nextPeriod(period), timeZone).getTime() };
      const inMonth = intersect(spans, [month]);
      if (inMonth.length === 0) continue;
      const minutes = Math.floor(inMonth.reduce((sum, s) => sum + s.to - s.from, 0) / 60_000);
      const monthMinutes = (month.to - month.from) / 60_000;
      const days = daysTouched(inMonth, timeZone);
      const proratedFen = Number(roundHalfUp(BigInt(monthlyRentFen) * BigInt(minutes), BigInt(monthMinutes)));
      const feesFen = Number(roundHalfUp(BigInt(monthlyRentFen) * BigInt(days), BigInt(periodDays(period))));
      months.push({ period, minutes, monthMinutes, proratedFen, days, feesFen, creditFen: capAtFeesOfAffectedTime(proratedFen, feesFen) });
    }
  }
  const creditFen = months.reduce((sum, m) => sum + m.creditFen, 0);
  return {
    minutes: months.reduce((sum, m) => sum + m.minutes, 0),
    months,
    creditFen,
    feesFen: months.reduce((sum, m) => sum + m.feesFen, 0),
    capped: months.some((m) => m.creditFen < m.proratedFen),
  };
}

function daysTouched(spans: readonly Span[], timeZone: string): number {
  const days = new Set<LocalDate>();
  for (const span of spans) {
    const last = localDateOf(new Date(span.to - 1), timeZone);
    for (let day = localDateOf(new Date(span.from), timeZone); day <= last; day = addDays(day, 1)) days.add(day);
  }
  return days.size;
}

// ── Validation ──────────────────────────────────────────────────────────────────────────────────

export interface OutageFacts {
  startsAt: Date;
  endsAt: Date | null;
  cause: OutageCause;
  scope: OutageScope;
  descriptionZh: string;
  descriptionEn: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Field errors of a version of an outage, recorded at `now`. Times are whole minutes (credits are by the
 * minute). An outage other than maintenance has begun and, if ended, ended by now. Announced
 * maintenance (clause 7) is a window published at least `noticeLeadHours` before it begins; once
 * announced it may shrink at any time, but grow or move only with the full notice again.
 */
export function validateOutage(
  facts: OutageFacts,
  now: Date,
  noticeLeadHours: number,
  previous: Pick<OutageFacts, 'startsAt' | 'endsAt' | 'cause'> | null,
): FieldError[] {
  const errors: FieldError[] = [];
  const wholeMinute = (d: Date) => d.getTime() % 60_000 === 0;
  if (!wholeMinute(facts.startsAt)) errors.push({ field: 'startsAt', message: 'must be a whole minute' });
  if (facts.endsAt && !wholeMinute(facts.endsAt)) errors.push({ field: 'endsAt', message: 'must be a whole minute' });
  if (facts.endsAt && facts.endsAt <= facts.startsAt)
    errors.push({ field: 'endsAt', message: 'must be after the start', code: 'out-of-order' });
  if (facts.cause === 'announced-maintenance') {
    if (!facts.endsAt) errors.push({ field: 'endsAt', message: 'an announced maintenance window has an end' });
    const noticed = facts.startsAt.getTime() >= now.getTime() + noticeLeadHours * 3_600_000;
    const within =
      previous?.cause === 'announced-maintenance' &&
      previous.endsAt !== null &&
      facts.endsAt !== null &&
      facts.startsAt >= previous.startsAt &&
      facts.endsAt <= previous.endsAt;
    if (!noticed && !within)
      errors.push({
        field: 'startsAt',
        message: `maintenance must be announced at least ${noticeLeadHours} hours before it begins (clause 7)`,
      });
  } else {
    if (facts.startsAt > now) errors.push({ field: 'startsAt', message: 'an outage is recorded once it has begun' });
    if (facts.endsAt && facts.endsAt > now) errors.push({ field: 'endsAt', message: 'an outage ends no later than now' });
    if (previous?.cause === 'announced-maintenance')
      errors.push({ field: 'cause', message: 'an announced maintenance window stays one; record the outage separately' });
  }
  if (facts.scope.kind === 'numbers') {
    if (facts.scope.ranges.length === 0) errors.push({ field: 'scope.ranges', message: 'name at least one range or prefix' });
    facts.scope.ranges.forEach((text, i) => {
      if (!parseNumberPattern(text))
        errors.push({ field: `scope.ranges.${i}`, message: 'is a prefix ending in * or a range first-last of equal length' });
    });
  }
  if (facts.scope.kind === 'subscribers') {
    if (facts.scope.subscriberIds.length === 0) errors.push({ field: 'scope.subscriberIds', message: 'name at least one subscriber' });
    facts.scope.subscriberIds.forEach((id, i) => {
      if (!UUID.test(id)) errors.push({ field: `scope.subscriberIds.${i}`, message: 'is not a subscriber id' });
    });
  }
  if (facts.descriptionZh.trim() === '') errors.push({ field: 'descriptionZh', message: 'is required', code: 'required' });
  if (facts.descriptionEn.trim() === '') errors.push({ field: 'descriptionEn', message: 'is required', code: 'required' });
  return errors;
}
