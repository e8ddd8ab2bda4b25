import { sql } from 'kysely';
import { priceCall } from '../catalog/index.js';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import type { Period } from '../platform/zoned-calendar.js';
import type { CallStart, Hold, MonthCall } from './grant.js';
import type { ChargingTerms } from './charging.js';
import type { ChargingLogKind } from './tables.js';

/** Charging's statements over its own tables, each for a whole batch of calls. */

export interface Month {
  settled_fen: number;
  settled_included_seconds: number;
  last_settled_start: Date | null;
  alerted_80_at: Date | null;
  alerted_100_at: Date | null;
  exhausted_at: Date | null;
}

export type LockedMonth = Month & { subscriber_id: string; period: string };

/**
 * Locks the months of a batch's requests, in one order (subscriber, period) so that two batches
 * never deadlock, creating those not charged yet; by `subscriber|period`.
 */
export async function lockMonths(trx: Executor, requests: { terms: ChargingTerms; period: Period }[]): Promise<Map<string, LockedMonth>> {
  const keys = [...new Map(requests.map((r) => [`${r.terms.subscriberId}|${r.period}`, r])).values()];
  const months = await sql<LockedMonth>`
    insert into charging_months (subscriber_id, period, limit_fen)
    select * from unnest(${keys.map((k) => k.terms.subscriberId)}::uuid[], ${keys.map((k) => k.period)}::date[], ${keys.map((k) => k.terms.limitFen)}::bigint[])
    order by 1, 2
    on conflict (subscriber_id, period) do update set limit_fen = excluded.limit_fen
    returning subscriber_id, period::text as period, settled_fen, settled_included_seconds, last_settled_start, alerted_80_at, alerted_100_at,
              exhausted_at`.execute(trx);
  return new Map(
    months.rows.map((m) => [
      `${m.subscriber_id}|${m.period}`,
      { ...m, settled_fen: Number(m.settled_fen), settled_included_seconds: Number(m.settled_included_seconds) },
    ]),
  );
}

export interface HoldRow {
  call_key: string;
  subscriber_id: string;
  period: string;
  granted_seconds: number;
  included_seconds: number;
  reserved_fen: number;
  record_id: string | null;
  authorized_at: Date;
  answered_at: Date | null;
  expires_at: Date;
}

/** The live holds of these subscribers' calls (any month); lapsed ones are deleted on the way. */
export async function readLiveHolds(trx: Executor, subscribers: string[], at: Date): Promise<HoldRow[]> {
  const { rows } = await sql<HoldRow>`
    with lapsed as (
      delete from charging_reservations where subscriber_id = any(${subscribers}::uuid[]) and expires_at <= ${at}::timestamptz
    )
    select call_key, subscriber_id, period::text as period, granted_seconds, included_seconds, reserved_fen, record_id, authorized_at,
           answered_at, expires_at
    from charging_reservations where subscriber_id = any(${subscribers}::uuid[]) and expires_at > ${at}::timestamptz`.execute(trx);
  return rows;
}

/** Where a call in progress stands in the bill's order. */
export function startOfHold(row: Pick<HoldRow, 'answered_at' | 'authorized_at' | 'record_id' | 'call_key'>): CallStart {
  return { answeredAt: row.answered_at?.getTime() ?? null, authorizedAt: row.authorized_at.getTime(), id: row.record_id ?? row.call_key };
}

/** A call in progress as the month's price counts it: at all it holds. */
export function heldCall(row: HoldRow): MonthCall {
  return { start: startOfHold(row), durationMs: row.granted_seconds * 1000 };
}

export interface SettledCall extends MonthCall {
  includedSeconds: number;
  chargeFen: Fen;
}

/**
 * The completed calls of each month (`subscriber|period`) that started at or after the given
 * moment, the first answer among the month's calls in progress: settling one of those calls can
 * still move included minutes away from them, and so change their price.
 */
export async function settledCallsSince(trx: Executor, since: Map<string, Date>): Promise<Map<string, SettledCall[]>> {
  const result = new Map<string, SettledCall[]>();
  if (since.size === 0) return result;
  const keys = [...since.keys()];
  const { rows } = await sql<{
    subscriber_id: string;
    period: string;
    record_id: string;
    answered_at: Date;
    duration_ms: number;
    included_seconds: number;
    charge_fen: number;
  }>`
    select u.subscriber_id, u.period::text as period, u.record_id, u.answered_at, u.duration_ms, u.included_seconds, u.charge_fen
    from charging_usage u
    join unnest(${keys.map((k) => k.split('|')[0]!)}::uuid[], ${keys.map((k) => k.split('|')[1]!)}::date[],
                ${keys.map((k) => since.get(k)!.toISOString())}::timestamptz[]) as k(subscriber_id, period, since)
      on u.subscriber_id = k.subscriber_id and u.period = k.period and u.answered_at >= k.since`.execute(trx);
  for (const row of rows) {
    const key = `${row.subscriber_id}|${row.period}`;
    const answeredAt = new Date(row.answered_at).getTime();
    const call: SettledCall = {
      start: { answeredAt, authorizedAt: answeredAt, id: row.record_id },
      durationMs: Number(row.duration_ms),
      includedSeconds: row.included_seconds,
      chargeFen: Number(row.charge_fen),
    };
    result.set(key, [...(result.get(key) ?? []), call]);
  }
  return result;
}

export interface ReservationWrite {
  callKey: string;
  subscriberId: string;
  caller: string;
  period: Period;
  recordId: string | null;
  answeredAt: Date | null;
  authorizedAt: Date;
  hold: Hold;
  until: Date;
  expiresAt: Date;
}

export interface LogWrite {
  subscriberId: string;
  at: Date;
  kind: ChargingLogKind;
  callKey: string | null;
  detail: unknown;
}

export async function writeLogs(executor: Executor, logs: LogWrite[]): Promise<void> {
  if (logs.length === 0) return;
  await sql`
    insert into charging_log (subscriber_id, at, kind, call_key, detail)
    select * from unnest(${logs.map((l) => l.subscriberId)}::uuid[], ${logs.map((l) => l.at.toISOString())}::timestamptz[],
                         ${logs.map((l) => l.kind)}::text[], ${logs.map((l) => l.callKey)}::text[],
                         ${logs.map((l) => JSON.stringify(l.detail))}::jsonb[])`.execute(executor);
}

/** One statement for the batch's holds: new calls inserted, the others updated in place. */
export async function writeReservations(trx: Executor, nodeId: string, writes: ReservationWrite[]): Promise<void> {
  if (writes.length === 0) return;
  // The last write of a call in the batch is what it holds.
  const last = [...new Map(writes.map((w) => [w.callKey, w])).values()];
  const col = <T>(pick: (w: ReservationWrite) => T) => last.map(pick);
  await sql`
    insert into charging_reservations (call_key, subscriber_id, caller, period, node_id, record_id, state, authorized_at, answered_at,
                                       granted_seconds, included_seconds, reserved_fen, granted_until, expires_at)
    select t.call_key, t.subscriber_id, t.caller, t.period, ${nodeId}, t.record_id,
           case when t.answered_at is null then 'ringing' else 'answered' end, t.authorized_at, t.answered_at,
           t.granted_seconds, t.included_seconds, t.reserved_fen, t.granted_until, t.expires_at
    from unnest(${col((w) => w.callKey)}::text[], ${col((w) => w.subscriberId)}::uuid[], ${col((w) => w.caller)}::text[],
                ${col((w) => w.period)}::date[], ${col((w) => w.recordId)}::uuid[], ${col((w) => w.authorizedAt.toISOString())}::timestamptz[],
                ${col((w) => w.answeredAt?.toISOString() ?? null)}::timestamptz[], ${col((w) => w.hold.grantedSeconds)}::int[],
                ${col((w) => w.hold.includedSeconds)}::int[], ${col((w) => w.hold.reservedFen)}::bigint[],
                ${col((w) => w.until.toISOString())}::timestamptz[], ${col((w) => w.expiresAt.toISOString())}::timestamptz[])
         as t(call_key, subscriber_id, caller, period, record_id, authorized_at, answered_at, granted_seconds, included_seconds,
              reserved_fen, granted_until, expires_at)
    on conflict (call_key) do update set
      period = excluded.period, state = excluded.state, answered_at = excluded.answered_at,
      record_id = coalesce(excluded.record_id, charging_reservations.record_id),
      granted_seconds = excluded.granted_seconds, included_seconds = excluded.included_seconds, reserved_fen = excluded.reserved_fen,
      granted_until = excluded.granted_until, expires_at = excluded.expires_at`.execute(trx);
}

/** What each call in progress holds, priced again (included seconds and fees), where it changed. */
export async function rewriteHoldShares(
  trx: Executor,
  shares: readonly { callKey: string; includedSeconds: number; reservedFen: Fen }[],
): Promise<void> {
  if (shares.length === 0) return;
  await sql`
    update charging_reservations r set included_seconds = t.included_seconds, reserved_fen = t.reserved_fen
    from unnest(${shares.map((s) => s.callKey)}::text[], ${shares.map((s) => s.includedSeconds)}::int[],
                ${shares.map((s) => s.reservedFen)}::bigint[]) as t(call_key, included_seconds, reserved_fen)
    where r.call_key = t.call_key and (r.included_seconds, r.reserved_fen) is distinct from (t.included_seconds, t.reserved_fen)`.execute(
    trx,
  );
}

export async function log(
  executor: Executor,
  subscriberId: string,
  at: Date,
  kind: ChargingLogKind,
  callKey: string | null,
  detail: unknown,
): Promise<void> {
  await executor
    .insertInto('charging_log')
    .values({ subscriber_id: subscriberId, at, kind, call_key: callKey, detail: JSON.stringify(detail) })
    .execute();
}

/**
 * The last call in start order (answered_at, ties by record id: the bill's order) among each month's
 * settled calls; `keys` are `subscriber|period`.
 */
export async function latestSettledStarts(
  trx: Executor,
  keys: readonly string[],
): Promise<Map<string, { answeredAt: Date; recordId: string }>> {
  if (keys.length === 0) return new Map();
  const { rows } = await sql<{ subscriber_id: string; period: string; answered_at: Date; record_id: string }>`
    select distinct on (u.subscriber_id, u.period) u.subscriber_id, u.period::text as period, u.answered_at, u.record_id
    from charging_usage u
    join unnest(${keys.map((k) => k.split('|')[0]!)}::uuid[], ${keys.map((k) => k.split('|')[1]!)}::date[]) as k(subscriber_id, period)
      on u.subscriber_id = k.subscriber_id and u.period = k.period
    order by u.subscriber_id, u.period, u.answered_at desc, u.record_id desc`.execute(trx);
  return new Map(rows.map((r) => [`${r.subscriber_id}|${r.period}`, { answeredAt: new Date(r.answered_at), recordId: r.record_id }]));
}

/**
 * Prices a month's settled calls again in the order they started (the bill's order: included
 * minutes to the earliest first, ties by record id), after a call that started earlier than others
 * ended after them; rewrites each call's usage and returns the month's totals.
 */
export async function priceMonthInStartOrder(
  trx: Executor,
  terms: ChargingTerms,
  period: Period,
): Promise<{ fen: Fen; includedSeconds: number }> {
  const { rows } = await sql<{ record_id: string; duration_ms: number }>`
    select record_id, duration_ms from charging_usage where subscriber_id = ${terms.subscriberId} and period = ${period}::date
    order by answered_at, record_id`.execute(trx);
  let fen = 0;
  let includedSeconds = 0;
  const priced = rows.map((row) => {
    const price = priceCall(terms.rate, Number(row.duration_ms), terms.allowanceSeconds - includedSeconds);
    fen += price.chargeFen;
    includedSeconds += price.includedSeconds;
    return { recordId: row.record_id, ...price };
  });
  await sql`
    update charging_usage u set billable_seconds = t.billable, included_seconds = t.included, charge_fen = t.fen
    from unnest(${priced.map((p) => p.recordId)}::uuid[], ${priced.map((p) => p.billableSeconds)}::int[],
                ${priced.map((p) => p.includedSeconds)}::int[], ${priced.map((p) => p.chargeFen)}::bigint[]) as t(record_id, billable, included, fen)
    where u.record_id = t.record_id`.execute(trx);
  await sql`
    update charging_months set settled_fen = ${fen}, settled_included_seconds = ${includedSeconds}
    where subscriber_id = ${terms.subscriberId} and period = ${period}::date`.execute(trx);
  return { fen, includedSeconds };
}
