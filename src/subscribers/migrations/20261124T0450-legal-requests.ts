import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const legalRequests: Migration = {
  async up(db: Kysely<unknown>) {
    // Disclosure to a third party happens only through one of these (clause 1): who asked, on what
    // legal basis, with which document, which fields left, and which staff member handed them over.
    await sql`
      create table legal_requests (
        id uuid primary key default gen_random_uuid(),
        at timestamptz not null,
        subscriber_id uuid not null references subscribers (id),
        authority text not null check (length(authority) > 0),
        legal_basis text not null check (length(legal_basis) > 0),
        document_reference text not null check (length(document_reference) > 0),
        fields jsonb not null,
        purpose text not null,
        staff_id text not null,
        staff_username text not null,
        ip text
      )`.execute(db);
    await sql`create index legal_requests_subscriber on legal_requests (subscriber_id, at desc)`.execute(db);
    await sql`create index legal_requests_at on legal_requests (at desc)`.execute(db);
    // Evidence, like the audit log and the record of reveals: it can only grow.
    await sql`
      create function legal_requests_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'legal_requests is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`
      create trigger legal_requests_no_update_or_delete before update or delete on legal_requests
      for each row execute function legal_requests_is_append_only()`.execute(db);
    await sql`
      create trigger legal_requests_no_truncate before truncate on legal_requests
      for each statement execute function legal_requests_is_append_only()`.execute(db);
  },
};
