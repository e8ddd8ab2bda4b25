import { sql } from 'kysely';
import { unappliedCredit } from '../billing/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Fen } from '../platform/money.js';
import { localDateOf, periodOf, type Period } from '../platform/zoned-calendar.js';
import { creditLimitOf } from './charging.js';
import type { ChargingLogKind } from './tables.js';

/** The gauge the portal and the console show: this month's fees against the credit limit. */
export interface CreditGauge {
  period: Period;
  limitFen: Fen;
  /** Fees of the month's completed calls. */
  settledFen: Fen;
  /** What calls in progress hold (the most they may still cost). */
  reservedFen: Fen;
  callsInProgress: number;
  /** Money paid ahead, which pays for fees incurred. */
  creditFen: Fen;
  /** What may still be spent: limit + credit − settled − reserved (never below zero). */
  headroomFen: Fen;
  /** Fees (settled and held) as a share of the limit, in whole percent. */
  percent: number;
  blocked: boolean;
  alerts: { percent: 80 | 100; at: string }[];
}

export async function creditGauge(ctx: ServiceContext, subscriberId: string): Promise<CreditGauge | null> {
  const limitFen = await creditLimitOf(ctx, subscriberId);
  if (limitFen === null) return null;
  const now = ctx.clock.now();
  const period = periodOf(localDateOf(now, ctx.settings.timeZone));
  const month = await ctx.db
    .selectFrom('charging_months')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .where('period', '=', period)
    .executeTakeFirst();
  const holds = await ctx.db
    .selectFrom('charging_reservations')
    .select([sql<number>`coalesce(sum(reserved_fen), 0)::bigint`.as('reserved'), sql<number>`count(*)::int`.as('calls')])
    .where('subscriber_id', '=', subscriberId)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  const creditFen = Math.max(0, await unappliedCredit(ctx.db, subscriberId));
  const settledFen = Number(month?.settled_fen ?? 0);
  const reservedFen = Number(holds.reserved);
  const fees = settledFen + reservedFen;
  const alerts: CreditGauge['alerts'] = [];
  if (month?.alerted_80_at) alerts.push({ percent: 80, at: month.alerted_80_at.toISOString() });
  if (month?.alerted_100_at) alerts.push({ percent: 100, at: month.alerted_100_at.toISOString() });
  return {
    period,
    limitFen,
    settledFen,
    reservedFen,
    callsInProgress: Number(holds.calls),
    creditFen,
    headroomFen: Math.max(0, limitFen + creditFen - fees),
    percent: limitFen === 0 ? (fees > 0 ? 100 : 0) : Math.floor((fees * 100) / limitFen),
    blocked: month?.exhausted_at != null,
    alerts,
  };
}

export interface ChargingHistoryEntry {
  at: string;
  kind: ChargingLogKind;
  callKey: string | null;
  detail: unknown;
}

/** Authorisations, refusals, cutoffs, alerts and limit changes, newest first. */
export async function chargingHistory(ctx: ServiceContext, subscriberId: string, limit = 100): Promise<ChargingHistoryEntry[]> {
  const rows = await ctx.db
    .selectFrom('charging_log')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(1, limit), 500))
    .execute();
  return rows.map((row) => ({ at: row.at.toISOString(), kind: row.kind, callKey: row.call_key, detail: row.detail }));
}

export interface NearLimit {
  subscriberId: string;
  period: Period;
  limitFen: Fen;
  feesFen: Fen;
  percent: number;
  blocked: boolean;
}

/** This month's subscribers at or above `thresholdPercent` of their limit, the fullest first. */
export async function subscribersNearLimit(ctx: ServiceContext, thresholdPercent = 80): Promise<NearLimit[]> {
  const now = ctx.clock.now();
  const period = periodOf(localDateOf(now, ctx.settings.timeZone));
  const { rows } = await sql<{ subscriber_id: string; limit_fen: number; fees: number; blocked: boolean }>`
    select m.subscriber_id, m.limit_fen, (m.settled_fen + coalesce(r.reserved, 0))::bigint as fees, m.exhausted_at is not null as blocked
    from charging_months m
    left join lateral (select sum(reserved_fen) as reserved from charging_reservations x
                       where x.subscriber_id = m.subscriber_id and x.expires_at > ${now}::timestamptz) r on true
    where m.period = ${period}::date and m.limit_fen is not null
      and (m.exhausted_at is not null or (m.settled_fen + coalesce(r.reserved, 0)) * 100 >= m.limit_fen * ${thresholdPercent})
    order by case when m.limit_fen = 0 then 1 else (m.settled_fen + coalesce(r.reserved, 0))::numeric / m.limit_fen end desc
    limit 500`.execute(ctx.db);
  return rows.map((row) => {
    const limitFen = Number(row.limit_fen);
    const feesFen = Number(row.fees);
    return {
      subscriberId: row.subscriber_id,
      period,
      limitFen,
      feesFen,
      percent: limitFen === 0 ? 100 : Math.floor((feesFen * 100) / limitFen),
      blocked: row.blocked,
    };
  });
}
