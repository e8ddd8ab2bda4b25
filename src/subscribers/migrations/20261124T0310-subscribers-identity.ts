import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const subscribersIdentity: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table subscribers (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('individual', 'organisation')),
        status text not null check (status in ('applied', 'documents_requested', 'approved', 'rejected', 'active', 'suspended', 'terminated')),
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`
      create table subscriber_identities (
        subscriber_id uuid primary key references subscribers (id),
        id_type text not null,
        id_number_index text not null,
        sealed jsonb not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create index subscriber_identities_id_number on subscriber_identities (id_number_index)`.execute(db);
    await sql`
      create table identity_reveals (
        id bigserial primary key,
        at timestamptz not null,
        subscriber_id uuid not null references subscribers (id),
        field text not null,
        staff_id text not null,
        staff_username text not null,
        purpose text not null,
        ip text
      )`.execute(db);
    await sql`create index identity_reveals_subscriber on identity_reveals (subscriber_id, at desc)`.execute(db);
    // Who saw what is evidence; like the audit log it can only grow.
    await sql`
      create function identity_reveals_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'identity_reveals is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`
      create trigger identity_reveals_no_update_or_delete before update or delete on identity_reveals
      for each row execute function identity_reveals_is_append_only()`.execute(db);
    await sql`
      create trigger identity_reveals_no_truncate before truncate on identity_reveals
      for each statement execute function identity_reveals_is_append_only()`.execute(db);
  },
};
