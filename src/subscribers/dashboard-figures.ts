import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.js';

/** Subscribers by status, one grouped scan (the managers' dashboard). */
export async function subscribersByStatus(db: Executor): Promise<{ status: string; count: number }[]> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.n) }));
}

/** New (activated) and terminated subscribers per month in `timeZone`, from `since`, one query. */
export async function subscriberFlowByMonth(
  db: Executor,
  since: Date,
  timeZone: string,
): Promise<{ month: string; joined: number; terminated: number }[]> {
  const { rows } = await sql<{ month: string; joined: string; terminated: string }>`
    with events as (
      select to_char(activated_at at time zone ${timeZone}, 'YYYY-MM') as month, 1 as joined, 0 as terminated
        from subscribers where activated_at >= ${since}
      union all
      select to_char(terminated_at at time zone ${timeZone}, 'YYYY-MM'), 0, 1
        from subscribers where terminated_at >= ${since}
    )
    select month, sum(joined)::bigint as joined, sum(terminated)::bigint as terminated from events group by month order by month`.execute(
    db,
  );
  return rows.map((row) => ({ month: row.month, joined: Number(row.joined), terminated: Number(row.terminated) }));
}
