import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Billing's first migration indexed completed calls by end time on this module's table, for a rating
 * pass that read call records. Billing has rated from `call.completed` events since
 * 20261203T0110-publish-completed-calls and reads no call record, so nothing uses the index, and
 * every call that completes still paid for an entry in it. The call records' indexes are this
 * module's own again: the dialog (endings), the open calls (the stale-call job), and each party's
 * calls by time (history).
 */
export const callRecordsUnusedIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`drop index if exists call_records_completed_by_end`.execute(db);
  },
};
