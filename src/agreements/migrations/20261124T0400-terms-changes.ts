import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Clause 15 (terms changes) and clause 16 (negotiation): the notice each subscriber receives when a
 * new agreement version is published, their response, and the negotiation cases objections open.
 */
export const termsChanges: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table terms_change_notices (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        version integer not null references agreement_versions (version),
        notified_at timestamptz not null,
        -- The first instant after the last day to object (operator's time zone): objections are taken before it.
        objection_deadline timestamptz not null,
        response text check (response in ('objected', 'accepted-by-silence', 'accepted')),
        responded_at timestamptz,
        check ((response is null) = (responded_at is null)),
        unique (subscriber_id, version)
      )`.execute(db);
    await sql`create index terms_change_notices_open on terms_change_notices (objection_deadline) where response is null`.execute(db);
    await sql`
      create table negotiation_cases (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        subject text not null check (subject in ('terms-change')),
        version integer references agreement_versions (version),
        status text not null check (status in ('open', 'resolved', 'escalated-to-arbitration')),
        opened_at timestamptz not null,
        resolved_at timestamptz,
        outcome text,
        arbitration_body text,
        check ((status = 'open') = (resolved_at is null)),
        check ((status = 'escalated-to-arbitration') = (arbitration_body is not null))
      )`.execute(db);
    await sql`create unique index negotiation_cases_one_per_terms_change on negotiation_cases (subscriber_id, version) where subject = 'terms-change'`.execute(
      db,
    );
    await sql`create index negotiation_cases_by_status on negotiation_cases (status, opened_at)`.execute(db);
    await sql`
      create table negotiation_case_entries (
        id bigint generated always as identity primary key,
        case_id uuid not null references negotiation_cases (id),
        author_type text not null check (author_type in ('subscriber', 'staff')),
        author_id uuid not null,
        author_name text,
        at timestamptz not null,
        text text not null check (length(text) between 1 and 4000)
      )`.execute(db);
    await sql`create index negotiation_case_entries_case on negotiation_case_entries (case_id, id)`.execute(db);
    // The history of a negotiation is evidence for both parties: entries are only ever added.
    await sql`
      create function negotiation_case_entries_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'negotiation_case_entries is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`
      create trigger negotiation_case_entries_no_update_or_delete before update or delete on negotiation_case_entries
      for each row execute function negotiation_case_entries_is_append_only()`.execute(db);
    await sql`
      create trigger negotiation_case_entries_no_truncate before truncate on negotiation_case_entries
      for each statement execute function negotiation_case_entries_is_append_only()`.execute(db);
  },
};
