import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The transactional outbox and job progress: the platform's own tables.
export const outboxAndJobs: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table outbox_events (
        id bigserial primary key,
        event_type text not null,
        aggregate_type text not null,
        aggregate_id text not null,
        payload jsonb not null,
        occurred_at timestamptz not null,
        delivered_at timestamptz,
        attempts integer not null default 0,
        last_error text
      )`.execute(db);
    await sql`create index outbox_events_pending on outbox_events (id) where delivered_at is null`.execute(db);
    await sql`
      create table job_progress (
        job_name text primary key,
        advanced_to timestamptz,
        last_run_at timestamptz,
        last_duration_ms integer,
        last_error text
      )`.execute(db);
  },
};
