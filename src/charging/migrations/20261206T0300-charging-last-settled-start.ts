import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * When the latest-starting settled call of each month was answered. A grant prices the completed
 * calls that started after the first call in progress together with the calls in progress (the bill
 * gives included minutes by start); this says, from the month row a grant locks anyway, whether
 * there are any, so the usual grant reads no call records at all.
 */
export const chargingLastSettledStart: Migration = {
  async up(db) {
    await sql`alter table charging_months add column last_settled_start timestamptz`.execute(db);
    await sql`
      update charging_months m set last_settled_start = u.last_start
      from (select subscriber_id, period, max(answered_at) as last_start from charging_usage group by subscriber_id, period) u
      where u.subscriber_id = m.subscriber_id and u.period = m.period`.execute(db);
  },
};
