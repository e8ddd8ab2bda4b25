import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Failed portal sign-ins per (account, source address): a stranger guessing from one address locks
 * only that address out, not the subscriber. The account-wide count stays on portal_accounts.
 */
export const portalSignInFailures: Migration = {
  async up(db) {
    await sql`
      create table portal_sign_in_failures (
        subscriber_id uuid not null references portal_accounts (subscriber_id) on delete cascade,
        source text not null,
        failed_count integer not null check (failed_count > 0),
        locked_until timestamptz,
        updated_at timestamptz not null,
        primary key (subscriber_id, source)
      )`.execute(db);
  },
};
