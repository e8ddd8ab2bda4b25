import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Staff administration (issue #14): one-time password reset links, and a second factor that an
 * administrator can reset so that the person enrols a new authenticator at the next sign-in.
 */
export const staffAdminResets: Migration = {
  async up(db: Kysely<unknown>) {
    // Null means "no authenticator enrolled": the next sign-in after the password enrols one.
    await sql`alter table staff_accounts alter column totp_secret_sealed drop not null`.execute(db);
    // The secret offered during enrolment; it becomes the account's only after a valid code.
    await sql`alter table staff_accounts add column totp_pending_secret_sealed text`.execute(db);
    await sql`
      create table staff_password_resets (
        id uuid primary key default gen_random_uuid(),
        staff_id uuid not null references staff_accounts (id),
        token_hash text not null unique,
        issued_by uuid references staff_accounts (id),
        issued_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz,
        revoked_at timestamptz
      )`.execute(db);
    await sql`create index staff_password_resets_staff on staff_password_resets (staff_id)`.execute(db);
  },
};
