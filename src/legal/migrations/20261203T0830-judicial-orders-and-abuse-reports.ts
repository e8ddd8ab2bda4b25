import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const judicialOrdersAndAbuseReports: Migration = {
  async up(db: Kysely<unknown>) {
    // Clause 10: the order as received, its document sealed; the suspension it causes is entitlements'
    // (cause judicial, reference = the order's id).
    await sql`
      create table judicial_orders (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        authority text not null check (length(authority) > 0),
        case_number text not null check (length(case_number) > 0),
        legal_basis text not null check (length(legal_basis) > 0),
        document_content_type text not null,
        document_size_bytes integer not null check (document_size_bytes > 0),
        document_sha256 text not null,
        document_sealed text not null,
        scope text not null check (scope in ('all', 'outgoing')),
        effective_from timestamptz not null,
        effective_until timestamptz check (effective_until is null or effective_until > effective_from),
        end_calls_in_progress boolean not null,
        disclose_to_subscriber boolean not null,
        created_at timestamptz not null,
        created_by_id text not null,
        created_by_name text not null,
        applied_at timestamptz,
        ended_at timestamptz,
        lifted_at timestamptz,
        lifted_by_id text,
        lifted_by_name text,
        lift_reason text
      )`.execute(db);
    await sql`create index judicial_orders_subscriber on judicial_orders (subscriber_id, created_at desc)`.execute(db);
    // What the job looks at each second: orders still to start or to end.
    await sql`create index judicial_orders_open on judicial_orders (effective_from) where ended_at is null`.execute(db);

    // Clause 3: reports of unlawful use, with their evidence sealed.
    await sql`
      create table abuse_reports (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        description text not null check (length(description) > 0),
        reported_at timestamptz not null,
        reported_by_id text not null,
        reported_by_name text not null,
        decision text not null default 'pending' check (decision in ('pending', 'suspend', 'dismiss')),
        decision_note text,
        decided_at timestamptz,
        decided_by_name text,
        lifted_at timestamptz,
        lifted_by_name text,
        lift_reason text
      )`.execute(db);
    await sql`create index abuse_reports_subscriber on abuse_reports (subscriber_id, reported_at desc)`.execute(db);
    await sql`
      create table abuse_evidence (
        id uuid primary key default gen_random_uuid(),
        report_id uuid not null references abuse_reports (id),
        file_name text not null,
        content_type text not null,
        size_bytes integer not null,
        sha256 text not null,
        sealed text not null
      )`.execute(db);
    await sql`create index abuse_evidence_report on abuse_evidence (report_id)`.execute(db);
  },
};
