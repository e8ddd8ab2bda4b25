import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const staffAccounts: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table staff_accounts (
        id uuid primary key default gen_random_uuid(),
        username text not null,
        display_name text not null,
        password_hash text not null,
        totp_secret_sealed text not null,
        status text not null check (status in ('active', 'disabled')),
        failed_login_count integer not null default 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        totp_last_step bigint,
        is_demo boolean not null default false,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create unique index staff_accounts_username on staff_accounts (lower(username))`.execute(db);
    await sql`
      create table staff_roles (
        staff_id uuid not null references staff_accounts (id),
        role text not null,
        primary key (staff_id, role)
      )`.execute(db);
    await sql`
      create table staff_sessions (
        token_hash text primary key,
        staff_id uuid not null references staff_accounts (id),
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        expires_at timestamptz not null,
        ip text,
        user_agent text
      )`.execute(db);
    await sql`create index staff_sessions_staff on staff_sessions (staff_id)`.execute(db);
    await sql`create index staff_sessions_expiry on staff_sessions (expires_at)`.execute(db);
  },
};
