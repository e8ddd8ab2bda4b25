import { sql, type RawBuilder } from 'kysely';
import { PRECISE_PER_FEN } from '../platform/money.js';

/**
 * The rating rule in SQL, the form `rateCompletedCalls` uses so a million records never travel to
 * the application. It is the catalogue's `priceCall` term by term (its property test,
 * test/billing/rating-rule.sql.test.ts, evaluates both on the engine and holds them equal); change
 * one, change the other. Every argument is a bigint expression; integer division truncates, which
 * for the non-negative values here is the floor. Arguments are parenthesised, so any expression will do.
 */

/** A duration rounded up to whole billing increments: ⌈ms / (inc·1000)⌉ · inc. */
export function billableSecondsSql(durationMs: RawBuilder<unknown>, incrementSeconds: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(((${durationMs}) + (${incrementSeconds}) * 1000 - 1) / ((${incrementSeconds}) * 1000)) * (${incrementSeconds})`;
}

/** The billable seconds the included seconds still left cover: never more than the call, never negative. */
export function includedSecondsSql(billableSeconds: RawBuilder<unknown>, includedSecondsLeft: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`least(${billableSeconds}, greatest(0, ${includedSecondsLeft}))`;
}

/** Per-minute rate in ten-thousandths of a fen, for the charged seconds, rounded half up once: (2·s·rate + d) / 2d, d = 60 s × 10⁴. */
export function chargeFenSql(chargedSeconds: RawBuilder<unknown>, perMinuteRatePrecise: RawBuilder<unknown>): RawBuilder<number> {
  const perMinute = 60 * PRECISE_PER_FEN;
  return sql<number>`(2 * (${chargedSeconds}) * (${perMinuteRatePrecise}) + ${sql.lit(perMinute)}) / ${sql.lit(2 * perMinute)}`;
}
