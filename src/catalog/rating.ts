import { PRECISE_PER_FEN, roundHalfUp, type Fen, type PreciseFen } from '../platform/money.js';

/** What a plan charges for call time beyond its included minutes. */
export interface CallRate {
  perMinuteRatePrecise: PreciseFen;
  billingIncrementSeconds: number;
}

/** A call's duration rounded up to whole billing increments: with 6-second billing, 61 s is billed as 66 s. */
export function billableSeconds(durationMs: number, incrementSeconds: number): number {
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) throw new RangeError(`invalid call duration ${durationMs} ms`);
  if (!Number.isInteger(incrementSeconds) || incrementSeconds < 1) throw new RangeError(`invalid billing increment ${incrementSeconds} s`);
  return Math.ceil(durationMs / (incrementSeconds * 1000)) * incrementSeconds;
}

/**
 * The charge for billable seconds at a per-minute rate, rounded half up to the fen once, for the
 * whole call (never per increment): 66 s at 0.15 yuan/min is 16.5 fen, charged 17 fen.
 */
export function chargeForSeconds(rate: CallRate, seconds: number): Fen {
  return Number(roundHalfUp(BigInt(rate.perMinuteRatePrecise) * BigInt(seconds), 60n * BigInt(PRECISE_PER_FEN)));
}

/** One call priced: its billable seconds, how many of them the plan's included minutes covered, and the charge for the rest. */
export interface CallPrice {
  billableSeconds: number;
  includedSeconds: number;
  chargedSeconds: number;
  chargeFen: Fen;
}

/**
 * The rating rule, the one TypeScript form of it (billing's `rateCallsInOrder` applies it call by
 * call; its SQL form is `src/billing/rating-rule.sql.ts`, held equal by a property test): the
 * duration is rounded up to the billing increment, included seconds still left cover what they can,
 * and the rest is charged at the per-minute rate, rounded half up once for the call.
 */
export function priceCall(rate: CallRate, durationMs: number, includedSecondsLeft: number): CallPrice {
  const billable = billableSeconds(durationMs, rate.billingIncrementSeconds);
  const included = Math.min(Math.max(0, includedSecondsLeft), billable);
  const charged = billable - included;
  return { billableSeconds: billable, includedSeconds: included, chargedSeconds: charged, chargeFen: chargeForSeconds(rate, charged) };
}

/** Billable seconds and charge of one call with no included minutes, as the price list illustrates it. */
export function rateCall(rate: CallRate, durationMs: number): { billableSeconds: number; chargeFen: Fen } {
  const { billableSeconds: seconds, chargeFen } = priceCall(rate, durationMs, 0);
  return { billableSeconds: seconds, chargeFen };
}
