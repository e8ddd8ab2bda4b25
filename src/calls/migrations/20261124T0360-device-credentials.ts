import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const deviceCredentials: Migration = {
  async up(db: Kysely<unknown>) {
    // A partial suspension (clause 9: outgoing calls only) leaves registration and incoming calls alone.
    await sql`alter table sip_accounts add column outgoing_blocked_reason text`.execute(db);
    // Each device of a number has its own digest username and password, so one lost phone is revoked
    // without touching the others. The username authenticates; the number is the address-of-record.
    await sql`
      create table sip_device_credentials (
        username text primary key,
        number text not null references sip_accounts (number),
        device_id uuid not null unique,
        device_name text not null,
        realm text not null,
        ha1_sha256 text not null,
        ha1_md5 text not null,
        created_at timestamptz not null,
        rotated_at timestamptz not null,
        revoked_at timestamptz
      )`.execute(db);
    await sql`create index sip_device_credentials_number on sip_device_credentials (number)`.execute(db);
  },
};
