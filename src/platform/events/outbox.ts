import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/index.js';

/**
 * Transactional outbox: a domain event is written in the same transaction as the change it reports,
 * then read after commit by each consumer through its own cursor (consumers.ts: billing's rating,
 * charging, notices). Delivery is at least once, in id order; handlers must be idempotent (they
 * receive the event id to deduplicate).
 */
export interface DomainEvent<P = unknown> {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  occurredAt: Date;
}

export interface DeliveredEvent<P = unknown> extends DomainEvent<P> {
  id: number;
}

/**
 * Taken by every statement that writes an event, before the event gets its id, and held until the
 * writing transaction ends; consumers take it exclusively to read (see consumers.ts). Named per schema,
 * so databases that share a server (one schema each) do not wait for each other.
 */
export const outboxWriteLock = sql`pg_advisory_xact_lock_shared(hashtext('outbox_events:' || current_schema()))`;

export async function appendEvent<P>(executor: Executor, event: DomainEvent<P>): Promise<void> {
  // The lock is taken in the FROM clause, so before the id (the column default) is drawn.
  await sql`
    insert into outbox_events (event_type, aggregate_type, aggregate_id, payload, occurred_at)
    select ${event.type}, ${event.aggregateType}, ${event.aggregateId}, ${JSON.stringify(event.payload ?? null)}::jsonb,
           ${event.occurredAt}::timestamptz
    from (select ${outboxWriteLock}) as write_lock`.execute(executor);
}

/**
 * Appends one event of `type` per row of `rows` — a SELECT of `aggregate_id` (text), `payload`
 * (jsonb) and `occurred_at` — inside the statement that computes them, so a change and its events
 * commit together in one round trip (the call recorder completes records and publishes them so).
 */
export function appendEventsFrom(type: string, aggregateType: string, rows: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into outbox_events (event_type, aggregate_type, aggregate_id, payload, occurred_at)
    select ${type}, ${aggregateType}, r.aggregate_id, r.payload, r.occurred_at
    -- The outbox's write lock, taken before any event id is drawn (consumers read behind it).
    from (${rows}) as r cross join (select ${outboxWriteLock}) as write_lock`;
}
