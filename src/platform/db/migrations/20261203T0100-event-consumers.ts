import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Consumers of the outbox: each keeps a cursor over the events it has handled, and the events it
 * could not handle after a bounded number of attempts wait in `event_failures` for staff.
 */
export const eventConsumers: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table event_consumers (
        consumer text primary key,
        last_event_id bigint not null default 0,
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create table event_failures (
        consumer text not null,
        event_id bigint not null references outbox_events (id),
        attempts integer not null,
        last_error text not null,
        first_failed_at timestamptz not null,
        last_failed_at timestamptz not null,
        dead_at timestamptz,
        resolved_at timestamptz,
        resolution text check (resolution in ('retried', 'dismissed')),
        primary key (consumer, event_id)
      )`.execute(db);
    await sql`create index event_failures_dead on event_failures (dead_at) where dead_at is not null and resolved_at is null`.execute(db);
  },
};
