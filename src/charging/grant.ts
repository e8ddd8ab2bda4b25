import { chargeForSeconds, type CallRate } from '../catalog/index.js';
import type { Fen } from '../platform/money.js';

/** What one call of a subscriber holds while it is in progress. */
export interface Hold {
  /** Call seconds granted, counted from the answer (or, while ringing, from the last grant). */
  grantedSeconds: number;
  /** Of those, the seconds the plan's included minutes cover. */
  includedSeconds: number;
  /** The price of the rest: what the call may cost if it lasts all it was granted. */
  reservedFen: Fen;
}

/** The subscriber's month as charging sees it when a call asks for time. */
export interface Headroom {
  rate: CallRate;
  /** The plan's included seconds per month. */
  allowanceSeconds: number;
  limitFen: Fen;
  /** Money paid and not yet consumed by an issued bill: it pays for fees incurred (clause 9). */
  creditFen: Fen;
  /** Fees and included seconds of the month's completed calls. */
  settledFen: Fen;
  settledIncludedSeconds: number;
  /** What the subscriber's other calls in progress hold. */
  others: readonly Hold[];
}

/**
 * Money the subscriber may still commit: the limit, plus what was paid ahead, less the month's fees
 * and what other calls hold. Clause 9 limits the fees not yet paid.
 */
export function moneyLeft(h: Headroom): Fen {
  return h.limitFen + h.creditFen - h.settledFen - h.others.reduce((sum, o) => sum + o.reservedFen, 0);
}

function includedLeft(h: Headroom): number {
  return Math.max(0, h.allowanceSeconds - h.settledIncludedSeconds - h.others.reduce((sum, o) => sum + o.includedSeconds, 0));
}

/** A call's price if it lasts `seconds` (a whole number of increments), included seconds first: the rating rule. */
export function holdFor(h: Headroom, seconds: number): Hold {
  const included = Math.min(seconds, includedLeft(h));
  return { grantedSeconds: seconds, includedSeconds: included, reservedFen: chargeForSeconds(h.rate, seconds - included) };
}

/**
 * The grant rule for one call asking for more time (at INVITE, at answer, before its slice ends).
 *
 * The call may be granted any length whose price — the whole call rated as the bill will rate it,
 * rounded once, never per slice — fits the money left once the subscriber's other calls' holds are
 * counted. It is given at most one slice, and when several calls share what is left, an equal part
 * of it each (never less than one increment while one increment fits), so parallel calls drain one
 * headroom together and run out together rather than one starving the other.
 *
 * `usedSeconds` is what the call already holds (its grant so far, counted from its answer); the
 * result is the call's new total. `null` means not one more increment fits: the headroom is gone.
 */
export function nextGrant(h: Headroom, call: { grantedSeconds: number; callsSharing: number; sliceSeconds: number }): Hold | null {
  const increment = h.rate.billingIncrementSeconds;
  const slice = Math.max(increment, Math.floor(call.sliceSeconds / increment) * increment);
  const money = moneyLeft(h);
  // Free calls (a zero rate) are limited by nothing but the slice.
  const fits = (seconds: number) => holdFor(h, seconds).reservedFen <= money;
  const sharing = Math.max(1, call.callsSharing);
  // The longest whole number of increments that fits, searched up to what this call could be given.
  let low = call.grantedSeconds / increment;
  let high = low + (slice / increment) * sharing;
  // What it holds no longer fits (the limit was lowered, a payment reversed): nothing more.
  if (!fits(low * increment)) return null;
  if (fits(high * increment)) low = high;
  else {
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (fits(mid * increment)) low = mid;
      else high = mid;
    }
  }
  const extraIncrements = low - call.grantedSeconds / increment;
  if (extraIncrements < 1) return null;
  const share = Math.max(1, Math.floor(extraIncrements / sharing));
  const granted = Math.min(slice / increment, share, extraIncrements);
  return holdFor(h, call.grantedSeconds + granted * increment);
}
