import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const sipAccountsAndCallRecords: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table sip_accounts (
        number text primary key,
        display_name text,
        realm text not null,
        ha1_sha256 text not null,
        ha1_md5 text not null,
        status text not null check (status in ('active', 'suspended', 'terminated')),
        status_reason text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`
      create table call_records (
        id uuid primary key default gen_random_uuid(),
        call_id text not null,
        from_tag text not null,
        caller text not null,
        callee text not null,
        caller_device text,
        callee_device text,
        invited_at timestamptz not null,
        answered_at timestamptz,
        ended_at timestamptz,
        duration_ms bigint,
        status text not null check (status in ('ringing', 'answered', 'completed', 'failed', 'cancelled')),
        final_status integer,
        hung_up_by text check (hung_up_by in ('caller', 'callee', 'system')),
        end_reason text,
        session_expires_s integer,
        last_activity_at timestamptz not null,
        end_unseen boolean not null default false
      )`.execute(db);
    // One record per call attempt: a retransmitted or replayed INVITE cannot create a second one.
    await sql`create unique index call_records_dialog on call_records (call_id, from_tag)`.execute(db);
    await sql`create index call_records_open on call_records (last_activity_at) where ended_at is null`.execute(db);
    await sql`create index call_records_caller on call_records (caller, invited_at desc)`.execute(db);
    await sql`create index call_records_callee on call_records (callee, invited_at desc)`.execute(db);
  },
};
