import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Warranty claims (clause 4): the subscriber's written notice with photos, whether it was taken
 * within the warranty, the technician's assessment (exclusions, tamper, repair or replace), a quote
 * when not covered and the subscriber's answer, the parts used and those returned to the operator's
 * stock, and the claim's steps as the subscriber follows them (append-only).
 */
export const warrantyClaims: Migration = {
  async up(db) {
    await sql`
      create table warranty_claims (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references terminal_units (id),
        subscriber_id uuid not null,
        cause text not null check (cause in ('fault', 'shipping-damage')),
        description text not null check (length(description) between 1 and 4000),
        filed_at timestamptz not null,
        filed_on date not null,
        filed_by text not null,
        coverage_when_filed text not null check (coverage_when_filed in ('covered', 'not-covered')),
        warranty_ends_on date,
        status text not null check (status in ('filed', 'quoted', 'in-service', 'declined', 'completed')),
        exclusions jsonb not null default '[]',
        tamper_found boolean not null default false,
        covered boolean,
        decision text check (decision in ('repair', 'replace')),
        assessment_note text,
        assessed_at timestamptz,
        assessed_by text,
        quote_fen bigint check (quote_fen > 0),
        quote_response text check (quote_response in ('accepted', 'declined')),
        quote_answered_at timestamptz,
        charge_entry_id uuid,
        replacement_unit_id uuid references terminal_units (id),
        completed_at timestamptz
      )`.execute(db);
    // One claim at a time about a unit; a new one may follow once it is settled.
    await sql`create unique index warranty_claims_one_open on warranty_claims (unit_id) where status in ('filed', 'quoted', 'in-service')`.execute(
      db,
    );
    await sql`create index warranty_claims_queue on warranty_claims (status, filed_at)`.execute(db);
    await sql`create index warranty_claims_subscriber on warranty_claims (subscriber_id, filed_at desc)`.execute(db);
    await sql`
      create table warranty_claim_photos (
        id uuid primary key default gen_random_uuid(),
        claim_id uuid not null references warranty_claims (id),
        name text not null,
        content_type text not null check (content_type in ('image/png', 'image/jpeg')),
        content bytea not null,
        uploaded_at timestamptz not null
      )`.execute(db);
    await sql`create index warranty_claim_photos_claim on warranty_claim_photos (claim_id)`.execute(db);
    await sql`
      create table warranty_claim_steps (
        id bigint generated always as identity primary key,
        claim_id uuid not null references warranty_claims (id),
        at timestamptz not null,
        step text not null,
        actor_type text not null,
        actor_id text,
        note text
      )`.execute(db);
    await sql`create index warranty_claim_steps_claim on warranty_claim_steps (claim_id, id)`.execute(db);
    await sql`
      create table terminal_parts (
        id bigint generated always as identity primary key,
        claim_id uuid not null references warranty_claims (id),
        unit_id uuid not null references terminal_units (id),
        direction text not null check (direction in ('used', 'returned-to-stock')),
        part text not null check (length(part) between 1 and 200),
        serial_number text,
        at timestamptz not null
      )`.execute(db);
    await sql`create index terminal_parts_claim on terminal_parts (claim_id, id)`.execute(db);
    await sql`
      create function warranty_history_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = '42501';
      end
      $$`.execute(db);
    for (const table of ['warranty_claim_steps', 'terminal_parts']) {
      await sql`create trigger ${sql.raw(table)}_no_change before update or delete on ${sql.ref(table)} for each row execute function warranty_history_is_append_only()`.execute(
        db,
      );
    }
  },
};
