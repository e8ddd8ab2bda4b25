import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * When each settled call started (was answered): included minutes go to a month's calls in the order
 * they started, as the bill gives them, so a call that ends after calls it started before reprices
 * the month. Calls settled before this column are dated back from their settlement by their length.
 */
export const usageByStart: Migration = {
  async up(db) {
    await sql`alter table charging_usage add column answered_at timestamptz`.execute(db);
    await sql`update charging_usage set answered_at = settled_at - duration_ms * interval '1 millisecond'`.execute(db);
    await sql`alter table charging_usage alter column answered_at set not null`.execute(db);
    await sql`drop index charging_usage_month`.execute(db);
    await sql`create index charging_usage_month on charging_usage (subscriber_id, period, answered_at)`.execute(db);
  },
};
