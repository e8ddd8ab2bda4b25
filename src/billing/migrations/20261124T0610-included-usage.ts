import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * How much of each subscriber's included minutes each month has used, kept as rating writes charges
 * (a counter, as rating engines keep balances), so rating a batch reads one row per subscriber and
 * month instead of summing every charge of the month again. Always equal to
 * `sum(included_seconds)` of `call_charges` for the same key; filled from them here.
 */
export const includedUsage: Migration = {
  async up(db) {
    await sql`
      create table included_usage (
        subscriber_id uuid not null,
        usage_period date not null,
        used_seconds bigint not null check (used_seconds >= 0),
        primary key (subscriber_id, usage_period)
      )`.execute(db);
    await sql`
      insert into included_usage (subscriber_id, usage_period, used_seconds)
      select subscriber_id, usage_period, sum(included_seconds) from call_charges group by subscriber_id, usage_period`.execute(db);
  },
};
