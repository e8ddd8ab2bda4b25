import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const charging: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table credit_limits (
        subscriber_id uuid primary key references subscribers (id),
        limit_fen bigint not null check (limit_fen >= 0),
        changed_at timestamptz not null,
        changed_by text not null
      )`.execute(db);
    await sql`
      create table charging_months (
        subscriber_id uuid not null references subscribers (id),
        period date not null,
        -- The limit in force when the month was last charged against (the console's list reads it).
        limit_fen bigint,
        settled_fen bigint not null default 0,
        settled_included_seconds bigint not null default 0,
        settled_calls integer not null default 0,
        alerted_80_at timestamptz,
        alerted_100_at timestamptz,
        exhausted_at timestamptz,
        primary key (subscriber_id, period)
      )`.execute(db);
    // Reservations are the one hot table: unlogged would lose them on a crash, which is what their
    // expiry is for anyway, but PGlite has no unlogged tables, so it is an ordinary one.
    await sql`create index charging_months_exhausted on charging_months (period) where exhausted_at is not null`.execute(db);
    await sql`
      create table charging_reservations (
        call_key text primary key,
        subscriber_id uuid not null,
        caller text not null,
        period date not null,
        node_id text not null,
        record_id uuid,
        state text not null check (state in ('ringing', 'answered')),
        authorized_at timestamptz not null,
        answered_at timestamptz,
        granted_seconds integer not null check (granted_seconds >= 0),
        included_seconds integer not null check (included_seconds >= 0),
        reserved_fen bigint not null check (reserved_fen >= 0),
        granted_until timestamptz not null,
        expires_at timestamptz not null
      )`.execute(db);
    await sql`create index charging_reservations_subscriber on charging_reservations (subscriber_id)`.execute(db);
    await sql`create index charging_reservations_node on charging_reservations (node_id)`.execute(db);
    await sql`create index charging_reservations_record on charging_reservations (record_id) where record_id is not null`.execute(db);
    await sql`
      create table charging_usage (
        record_id uuid primary key,
        subscriber_id uuid not null,
        period date not null,
        duration_ms bigint not null,
        billable_seconds integer not null,
        included_seconds integer not null,
        charge_fen bigint not null,
        settled_at timestamptz not null
      )`.execute(db);
    await sql`create index charging_usage_month on charging_usage (subscriber_id, period)`.execute(db);
    await sql`
      create table charging_log (
        id bigserial primary key,
        subscriber_id uuid not null,
        at timestamptz not null,
        kind text not null check (kind in ('authorized', 'refused', 'cutoff', 'exhausted', 'restored', 'alert', 'limit-changed')),
        call_key text,
        detail jsonb
      )`.execute(db);
    await sql`create index charging_log_subscriber on charging_log (subscriber_id, at desc)`.execute(db);
  },
};
