import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A mismatch is closed by a person who says what they did about it (refunded the payer, applied the
 * payment by hand, confirmed with the provider): the console shows who, when and what, and the audit
 * log holds the same.
 */
export const paymentsMismatchResolution: Migration = {
  async up(db) {
    await sql`alter table payment_mismatches add column resolved_by uuid`.execute(db);
    await sql`alter table payment_mismatches add column resolved_name text`.execute(db);
    await sql`alter table payment_mismatches add column resolution text`.execute(db);
    await sql`create index payment_intents_recent on payment_intents (created_at desc)`.execute(db);
  },
};
