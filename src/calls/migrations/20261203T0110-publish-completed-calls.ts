import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { publishCompletedFrom } from '../call-events.js';

/**
 * Billing now rates from `call.completed` events instead of reading call records: publish the calls
 * completed before the events existed, in the order they ended, so none goes unrated. Billing's
 * rating skips those it already charged (one charge per record), so publishing them all is safe.
 */
export const publishCompletedCalls: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      with completed as (
        select id, caller, callee, answered_at, ended_at, duration_ms from call_records
        where status = 'completed' and answered_at is not null
        order by ended_at, id
      )
      ${publishCompletedFrom('completed')}`.execute(db);
  },
};
