import { priceCall, type CallRate } from '../catalog/index.js';
import type { Fen } from '../platform/money.js';

/** What one call of a subscriber holds while it is in progress. */
export interface Hold {
  /** Call seconds granted, counted from the answer (or, while ringing, from the last grant). */
  grantedSeconds: number;
  /** Of those, the seconds the plan's included minutes cover when the month is priced in start order. */
  includedSeconds: number;
  /** The price of the rest: what the call may cost if it lasts all it was granted. */
  reservedFen: Fen;
}

/**
 * Where a call stands in the bill's order, which gives included minutes to the call that started
 * first (answered first; ties by record id). A call still ringing starts later than every call
 * answered so far, whenever it is answered; among ringing calls, the one authorised first is
 * guessed first (its answer fixes its place, and it is granted again then).
 */
export interface CallStart {
  /** Epoch milliseconds of the answer; null while ringing. */
  answeredAt: number | null;
  authorizedAt: number;
  /** The call record's id (the bill's tie-break); the call key while it has none. */
  id: string;
}

/** A call of the month whose price the calls in progress can still change, and how long it lasts (at most). */
export interface MonthCall {
  start: CallStart;
  /** Completed: its duration; in progress: all it was granted. */
  durationMs: number;
}

/** The subscriber's month as charging sees it when a call asks for time. */
export interface Headroom {
  rate: CallRate;
  /** The plan's included seconds per month. */
  allowanceSeconds: number;
  limitFen: Fen;
  /** Money paid and not yet consumed by an issued bill: it pays for fees incurred (clause 9). */
  creditFen: Fen;
  /**
   * Fees and included seconds of the month's completed calls that started before every call in
   * progress: nothing still running can change their price.
   */
  settledFen: Fen;
  settledIncludedSeconds: number;
  /**
   * The month's other calls whose price a call in progress can still change: the subscriber's other
   * calls in progress (at what they hold) and the completed calls that started after the first of them.
   */
  others: readonly MonthCall[];
}

/** Orders calls as the bill gives them included minutes. */
export function byCallStart(a: CallStart, b: CallStart): number {
  if (a.answeredAt !== b.answeredAt) {
    if (a.answeredAt === null) return 1;
    if (b.answeredAt === null) return -1;
    return a.answeredAt - b.answeredAt;
  }
  if (a.answeredAt === null && a.authorizedAt !== b.authorizedAt) return a.authorizedAt - b.authorizedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The month's calls priced by the rating rule, included minutes to the calls in the order they
 * started, each call's charge rounded once; the completed calls that started before them all
 * (`settledFen`, `settledIncludedSeconds`) come first. Each call's price, in the order given.
 */
export function priceInStartOrder(
  h: Headroom,
  calls: readonly MonthCall[],
): { totalFen: Fen; prices: { includedSeconds: number; fen: Fen }[] } {
  const order = calls.map((call, index) => ({ call, index })).sort((a, b) => byCallStart(a.call.start, b.call.start));
  const prices = new Array<{ includedSeconds: number; fen: Fen }>(calls.length);
  let includedLeft = h.allowanceSeconds - h.settledIncludedSeconds;
  let totalFen = h.settledFen;
  for (const { call, index } of order) {
    const price = priceCall(h.rate, call.durationMs, includedLeft);
    includedLeft -= price.includedSeconds;
    totalFen += price.chargeFen;
    prices[index] = { includedSeconds: price.includedSeconds, fen: price.chargeFen };
  }
  return { totalFen, prices };
}

/**
 * What the month costs if the call at `start` lasts `seconds` and the others all they may. Fees
 * only grow with a call's duration (its own, and its included minutes shrink those of the calls
 * after it), so this bounds the bill while no call outlasts its grant. Also the call's own share,
 * as the bill would price it then.
 */
export function monthPrice(h: Headroom, call: { start: CallStart; seconds: number }): { totalFen: Fen; call: Hold } {
  const { totalFen, prices } = priceInStartOrder(h, [{ start: call.start, durationMs: call.seconds * 1000 }, ...h.others]);
  const own = prices[0]!;
  return { totalFen, call: { grantedSeconds: call.seconds, includedSeconds: own.includedSeconds, reservedFen: own.fen } };
}

/**
 * The grant rule for one call asking for more time (at INVITE, at answer, before its slice ends).
 *
 * The call may be granted any length for which the whole month — its completed calls and its calls
 * in progress at all they hold, rated as the bill will rate them (included minutes in start order,
 * each call rounded once, never per slice) — fits the limit and the money paid ahead. It is given
 * at most one slice, and when several calls share what is left, an equal part of it each (never
 * less than one increment while one increment fits), so parallel calls drain one headroom together
 * and run out together rather than one starving the other.
 *
 * `grantedSeconds` is what the call already holds (its grant so far, counted from its answer); the
 * result is the call's new total. `null` means not one more increment fits: the headroom is gone.
 */
export function nextGrant(
  h: Headroom,
  call: { start: CallStart; grantedSeconds: number; callsSharing: number; sliceSeconds: number },
): Hold | null {
  const increment = h.rate.billingIncrementSeconds;
  const slice = Math.max(increment, Math.floor(call.sliceSeconds / increment) * increment);
  const money = h.limitFen + h.creditFen;
  // Free calls (a zero rate) are limited by nothing but the slice.
  const fits = (increments: number) => monthPrice(h, { start: call.start, seconds: increments * increment }).totalFen <= money;
  const sharing = Math.max(1, call.callsSharing);
  // The longest whole number of increments that fits, searched up to what this call could be given.
  let low = call.grantedSeconds / increment;
  let high = low + (slice / increment) * sharing;
  // What it holds no longer fits (the limit was lowered, a payment reversed): nothing more.
  if (!fits(low)) return null;
  if (fits(high)) low = high;
  else {
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (fits(mid)) low = mid;
      else high = mid;
    }
  }
  const extraIncrements = low - call.grantedSeconds / increment;
  if (extraIncrements < 1) return null;
  const share = Math.max(1, Math.floor(extraIncrements / sharing));
  const granted = Math.min(slice / increment, share, extraIncrements);
  return monthPrice(h, { start: call.start, seconds: call.grantedSeconds + granted * increment }).call;
}

/** What the month is committed to once `hold` is granted: settled fees and every call in progress at all it holds. */
export function committedFen(h: Headroom, call: { start: CallStart; hold: Hold }): Fen {
  return monthPrice(h, { start: call.start, seconds: call.hold.grantedSeconds }).totalFen;
}
