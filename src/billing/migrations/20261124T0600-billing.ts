import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** A trigger function that refuses a statement on an append-only or finalised table. */
async function refuseChanges(db: Kysely<unknown>, table: string, operations: string, why: string): Promise<void> {
  await sql
    .raw(
      `create function ${table}_is_immutable() returns trigger language plpgsql as $$
      begin
        raise exception '${table} ${why}: % is not allowed', tg_op using errcode = '42501';
      end
      $$`,
    )
    .execute(db);
  await sql
    .raw(`create trigger ${table}_no_change before ${operations} on ${table} for each row execute function ${table}_is_immutable()`)
    .execute(db);
  await sql
    .raw(`create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function ${table}_is_immutable()`)
    .execute(db);
}

export const billing: Migration = {
  async up(db: Kysely<unknown>) {
    // Who is billed, on which plan version (the order's), from and to which local date (clause 2, 11).
    await sql`
      create table billing_accounts (
        subscriber_id uuid primary key,
        plan_id uuid not null,
        service_start date not null,
        service_end date,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    // Which subscriber pays for calls from a number, and since when (numbers are reused after quarantine).
    await sql`
      create table billing_numbers (
        number text not null,
        subscriber_id uuid not null,
        assigned_at timestamptz not null,
        released_at timestamptz,
        primary key (number, assigned_at)
      )`.execute(db);
    await sql`create index billing_numbers_subscriber on billing_numbers (subscriber_id)`.execute(db);

    // The rating sub-ledger: one 'rating' row per answered call, then 'correction' rows holding deltas.
    await sql`
      create table call_charges (
        id bigserial primary key,
        call_record_id uuid not null,
        subscriber_id uuid not null,
        kind text not null check (kind in ('rating', 'correction')),
        plan_id uuid not null,
        usage_period date not null,
        bill_period date not null,
        answered_at timestamptz not null,
        duration_ms bigint not null,
        billable_seconds integer not null,
        included_seconds integer not null,
        charged_seconds integer not null,
        charge_fen bigint not null,
        rated_at timestamptz not null
      )`.execute(db);
    await sql`create unique index call_charges_one_rating on call_charges (call_record_id) where kind = 'rating'`.execute(db);
    // One index serves both the included-minutes sum (by usage period) and the bill (by subscriber).
    await sql`create index call_charges_subscriber on call_charges (subscriber_id, usage_period)`.execute(db);
    await refuseChanges(db, 'call_charges', 'update or delete', 'is append-only (corrections are new rows)');
    // Rating looks for completed calls by end time; the calls module's own indexes are by party.
    await sql`create index if not exists call_records_completed_by_end on call_records (ended_at, id) where status = 'completed'`.execute(
      db,
    );

    await sql`
      create table bills (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null,
        period date not null,
        kind text not null check (kind in ('regular', 'final')),
        issue_date date not null,
        due_date date not null,
        issued_at timestamptz not null,
        total_fen bigint not null,
        late_fee_fen bigint not null,
        principal_fen bigint not null,
        service_from date,
        service_to date,
        unique (subscriber_id, period)
      )`.execute(db);
    await sql`create index bills_due on bills (due_date)`.execute(db);
    await refuseChanges(db, 'bills', 'update or delete', 'are immutable once issued (corrections are later documents)');

    // Every charge, credit and payment; the balance of a subscriber is the sum of their entries.
    await sql`
      create table ledger_entries (
        id uuid primary key default gen_random_uuid(),
        seq bigserial not null,
        subscriber_id uuid not null,
        kind text not null check (kind in ('rent', 'usage', 'late_fee', 'payment', 'refund', 'credit_note', 'adjustment', 'correction')),
        amount_fen bigint not null,
        bill_id uuid,
        call_record_id uuid,
        payment_id uuid,
        refund_id uuid,
        description text not null,
        detail jsonb,
        idempotency_key text not null unique,
        posted_at timestamptz not null,
        actor text
      )`.execute(db);
    await sql`create index ledger_entries_subscriber on ledger_entries (subscriber_id, seq)`.execute(db);
    await refuseChanges(db, 'ledger_entries', 'update or delete', 'is append-only');

    // Which ledger entries a bill shows: linking, not marking, keeps the ledger append-only.
    await sql`
      create table bill_lines (
        bill_id uuid not null references bills (id),
        ledger_entry_id uuid not null unique references ledger_entries (id),
        position integer not null,
        primary key (bill_id, position)
      )`.execute(db);
    await refuseChanges(db, 'bill_lines', 'update or delete', 'are immutable once issued');

    // Clause 6 hook: an open dispute's amount accrues no late fee.
    await sql`
      create table bill_disputes (
        id uuid primary key default gen_random_uuid(),
        bill_id uuid not null references bills (id),
        amount_fen bigint not null check (amount_fen > 0),
        opened_at timestamptz not null,
        closed_at timestamptz
      )`.execute(db);

    await sql`
      create table payments (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null,
        provider text not null,
        external_reference text not null,
        amount_fen bigint not null check (amount_fen > 0),
        paid_at timestamptz not null,
        recorded_at timestamptz not null,
        channel text not null check (channel in ('webhook', 'bank-file', 'manual')),
        recorded_by text,
        unique (provider, external_reference)
      )`.execute(db);
    await sql`create index payments_subscriber on payments (subscriber_id, paid_at)`.execute(db);
    await refuseChanges(db, 'payments', 'update or delete', 'are append-only (refunds are new records)');

    await sql`
      create table refunds (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null,
        payment_id uuid references payments (id),
        amount_fen bigint not null check (amount_fen > 0),
        reason text not null,
        refunded_at timestamptz not null,
        recorded_by text
      )`.execute(db);

    await sql`
      create table payment_allocations (
        id bigserial primary key,
        subscriber_id uuid not null,
        bill_id uuid not null references bills (id),
        portion text not null check (portion in ('late_fee', 'principal')),
        amount_fen bigint not null check (amount_fen > 0),
        effective_at timestamptz not null,
        created_at timestamptz not null
      )`.execute(db);
    await sql`create index payment_allocations_bill on payment_allocations (bill_id)`.execute(db);
    await sql`create index payment_allocations_subscriber on payment_allocations (subscriber_id)`.execute(db);
    await refuseChanges(db, 'payment_allocations', 'update or delete', 'is append-only');

    // A bill run's progress, so the console can show it and a crashed run resumes where it stopped.
    await sql`
      create table bill_runs (
        period date primary key,
        started_at timestamptz not null,
        finished_at timestamptz,
        subscribers_total integer not null,
        subscribers_billed integer not null,
        last_error text
      )`.execute(db);

    await sql`
      create table billing_cursors (
        name text primary key,
        at timestamptz not null
      )`.execute(db);

    await sql`
      create table dunning_states (
        subscriber_id uuid primary key,
        stage text not null,
        since timestamptz not null,
        oldest_due_date date,
        updated_at timestamptz not null
      )`.execute(db);

    // Clause 5: at termination the arrears and late fees are frozen for the operator to pursue.
    await sql`
      create table collections (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null unique,
        arrears_fen bigint not null,
        late_fees_fen bigint not null,
        total_fen bigint not null,
        frozen_at timestamptz not null,
        bills jsonb not null
      )`.execute(db);
    await refuseChanges(db, 'collections', 'update or delete', 'are frozen at termination');

    await sql`
      create table bank_imports (
        id uuid primary key default gen_random_uuid(),
        file_name text not null,
        imported_at timestamptz not null,
        imported_by text,
        accepted integer not null,
        duplicates integer not null,
        rejected integer not null,
        report jsonb not null
      )`.execute(db);
  },
};
