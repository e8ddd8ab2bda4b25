import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const terminalProvisioning: Migration = {
  async up(db: Kysely<unknown>) {
    // A unit holds at most one live provisioning, and a MAC belongs to one live unit; ended rows stay
    // as history (which device credentials a unit had, until when).
    await sql`
      create table terminal_provisioning (
        id uuid primary key,
        unit_id text not null,
        mac text not null check (mac ~ '^[0-9a-f]{12}$'),
        serial text,
        number text not null,
        device_id uuid not null,
        sip_username text not null,
        sip_password_sealed text not null,
        secret_sha256 text not null,
        secret_issued_at timestamptz not null,
        assigned_at timestamptz not null,
        unassigned_at timestamptz,
        last_fetch_at timestamptz
      )`.execute(db);
    await sql`create unique index terminal_provisioning_live_unit on terminal_provisioning (unit_id) where unassigned_at is null`.execute(
      db,
    );
    await sql`create unique index terminal_provisioning_live_mac on terminal_provisioning (mac) where unassigned_at is null`.execute(db);
    await sql`create index terminal_provisioning_number on terminal_provisioning (number)`.execute(db);
    await sql`
      create table provisioning_fetches (
        id uuid primary key default gen_random_uuid(),
        at timestamptz not null,
        provisioning_id uuid references terminal_provisioning (id),
        mac text not null,
        source_ip text not null,
        user_agent text,
        format text not null check (format in ('linphone-xml', 'json')),
        outcome text not null check (outcome in ('served', 'denied', 'rate-limited'))
      )`.execute(db);
    await sql`create index provisioning_fetches_at on provisioning_fetches (at)`.execute(db);
    await sql`create index provisioning_fetches_mac on provisioning_fetches (mac, at)`.execute(db);
  },
};
