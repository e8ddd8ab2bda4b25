import type { Logger } from 'pino';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Executor, Database } from '../db/index.js';

/**
 * Transactional outbox: a domain event is written in the same transaction as the change it reports,
 * then delivered after commit by the relay. Delivery is at least once, in id order per relay pass;
 * handlers must be idempotent (they receive the event id to deduplicate).
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

export type EventHandler = (event: DeliveredEvent) => Promise<void> | void;

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

export class OutboxRelay {
  readonly #handlers = new Map<string, EventHandler[]>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
    private readonly batchSize = 100,
  ) {}

  /** `type` may be `*` for every event. */
  subscribe(type: string, handler: EventHandler): void {
    const list = this.#handlers.get(type) ?? [];
    list.push(handler);
    this.#handlers.set(type, list);
  }

  /**
   * Delivers pending events that occurred at or before `until`, batch by batch. Rows are locked with
   * SKIP LOCKED so several nodes can relay without delivering an event twice at the same time.
   * An event whose handler fails stays pending (attempts and error recorded) and is retried next pass.
   */
  async deliverPending(until: Date): Promise<{ delivered: number; failed: number }> {
    let delivered = 0;
    let failed = 0;
    for (;;) {
      const batch = await this.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('outbox_events')
          .selectAll()
          .where('delivered_at', 'is', null)
          .where('occurred_at', '<=', until)
          .where('attempts', '<', 20)
          .orderBy('id')
          .limit(this.batchSize)
          .forUpdate()
          .skipLocked()
          .execute();
        let batchFailed = 0;
        for (const row of rows) {
          const event: DeliveredEvent = {
            id: row.id,
            type: row.event_type,
            aggregateType: row.aggregate_type,
            aggregateId: row.aggregate_id,
            payload: row.payload,
            occurredAt: row.occurred_at,
          };
          try {
            for (const handler of [...(this.#handlers.get(row.event_type) ?? []), ...(this.#handlers.get('*') ?? [])]) {
              await handler(event);
            }
            await trx.updateTable('outbox_events').set({ delivered_at: until }).where('id', '=', row.id).execute();
          } catch (error) {
            batchFailed += 1;
            this.logger.warn({ eventId: row.id, eventType: row.event_type, err: error }, 'outbox handler failed');
            await trx
              .updateTable('outbox_events')
              .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String((error as Error).message ?? error) }))
              .where('id', '=', row.id)
              .execute();
          }
        }
        return { size: rows.length, failed: batchFailed };
      });
      delivered += batch.size - batch.failed;
      failed += batch.failed;
      if (batch.size < this.batchSize || batch.failed === batch.size) return { delivered, failed };
    }
  }
}
