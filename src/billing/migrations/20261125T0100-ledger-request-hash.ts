import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The request an idempotency key was first used for, as a SHA-256 of its canonical body, so the same
 * key sent again with another amount, reason or subscriber is told apart from a retry. Null for
 * entries posted before this column and for entries whose keys the system makes itself.
 */
export const ledgerRequestHash: Migration = {
  async up(db) {
    await sql`alter table ledger_entries add column request_hash text`.execute(db);
  },
};
