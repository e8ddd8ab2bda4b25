import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.js';

export interface CallDay {
  day: string;
  attempts: number;
  answered: number;
  /** Mean packet loss and jitter of the quality reports received that day; null without reports. */
  lossPercent: number | null;
  jitterMs: number | null;
}

/** Calls per day (attempts, answered) and their measured quality, two grouped queries. */
export async function callFiguresByDay(db: Executor, since: Date, timeZone: string): Promise<{ inProgress: number; days: CallDay[] }> {
  const [calls, quality, live] = await Promise.all([
    sql<{ day: string; attempts: string; answered: string }>`
      select to_char(invited_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, count(*)::bigint as attempts,
             count(answered_at)::bigint as answered
      from call_records where invited_at >= ${since} group by 1 order by 1`.execute(db),
    sql<{ day: string; loss: number | null; jitter: number | null }>`
      select to_char(received_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, avg(loss_percent)::float8 as loss,
             avg(jitter_ms)::float8 as jitter
      from call_quality_reports where received_at >= ${since} group by 1 order by 1`.execute(db),
    sql<{ n: string }>`select count(*)::bigint as n from call_records where status in ('ringing', 'answered')`.execute(db),
  ]);
  const days = new Map<string, CallDay>();
  const dayOf = (day: string) =>
    days.get(day) ?? days.set(day, { day, attempts: 0, answered: 0, lossPercent: null, jitterMs: null }).get(day)!;
  for (const row of calls.rows) Object.assign(dayOf(row.day), { attempts: Number(row.attempts), answered: Number(row.answered) });
  for (const row of quality.rows) Object.assign(dayOf(row.day), { lossPercent: row.loss, jitterMs: row.jitter });
  return { inProgress: Number(live.rows[0]?.n ?? 0), days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)) };
}
