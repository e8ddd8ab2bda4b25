import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Clause 16 for fee disputes: a subscriber who does not accept the operator's answer to a dispute
 * (clause 6) escalates it to a negotiation case, which names the dispute it continues.
 */
export const feeDisputeCases: Migration = {
  async up(db) {
    await sql`alter table negotiation_cases drop constraint negotiation_cases_subject_check`.execute(db);
    await sql`alter table negotiation_cases add constraint negotiation_cases_subject_check check (subject in ('terms-change', 'fee-dispute'))`.execute(
      db,
    );
    await sql`alter table negotiation_cases add column dispute_id uuid`.execute(db);
    await sql`create unique index negotiation_cases_one_per_dispute on negotiation_cases (dispute_id) where subject = 'fee-dispute'`.execute(
      db,
    );
  },
};
