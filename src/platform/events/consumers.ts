import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/index.js';
import type { DeliveredEvent } from './outbox.js';

/**
 * A consumer of outbox events: a named cursor over the outbox's ids, delivery in batches in id order,
 * at least once. The handler commits its own work; the cursor moves after that, in its own
 * statement, so a crash between the two hands the same events over again: handlers must be
 * idempotent (they get the event ids to deduplicate by). An event whose handler keeps failing is
 * tried `maxAttempts` times, then dead-lettered (`event_failures.dead_at`) for staff to retry or
 * dismiss, and the cursor moves past it so one bad event does not stop the others.
 *
 * Why reading `id > cursor` skips nothing: ids are drawn from a sequence when the row is inserted,
 * but become visible when the transaction commits, so on PostgreSQL event 5 can appear after event 6
 * was read, and a plain `id > cursor` would pass over it for ever. Every statement that writes an
 * event first takes `outboxWriteLock` in shared mode (held to its transaction's end); a consumer reads
 * holding it exclusively, which waits until every transaction that has drawn an event id has ended
 * and keeps new ones from drawing ids until the read is done. What the read sees is then a prefix of
 * the sequence (it is monotonic: no cache), and every later event gets a larger id. Chosen over a
 * snapshot-xmin filter because xmin is server-wide (any long transaction, in any database, holds
 * delivery back) and over a re-read window because a window is a guess. The price: a reader waits for
 * open event-writing transactions (at most `lockTimeoutMs`, then the pass delivers nothing), and
 * writers wait for the read (one indexed query).
 */
export interface ConsumerOptions {
  /** Event types this consumer handles; it never reads the others. */
  types: readonly string[];
  batchSize?: number;
  /** Attempts per event before it is dead-lettered. */
  maxAttempts?: number;
  logger?: Logger;
  /** How long a read waits for open event-writing transactions before this pass gives up. */
  lockTimeoutMs?: number;
}

export type BatchHandler<P = unknown> = (events: DeliveredEvent<P>[]) => Promise<void>;

/**
 * A delivered batch named by its ids, for a handler that reads it in one set-based statement through
 * `eventPayloadsSql`: every event of the consumer's types with an id from `firstId` to `lastId`,
 * `count` of them. Delivery is in id order and skips nothing, so the range names the batch exactly.
 */
export interface EventRange {
  firstId: number;
  lastId: number;
  count: number;
}

export type RangeHandler = (range: EventRange) => Promise<void>;

export interface ConsumeResult {
  delivered: number;
  deadLettered: number;
  /** True when an event failed (not yet dead) and delivery stopped before it, to keep the order. */
  stalled: boolean;
}

interface EventRow {
  id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  occurred_at: Date;
}

/** A batch as the cursor sees it: its range, its rows when the read brought them, and whether more may follow. */
interface Batch {
  range: EventRange;
  rows?: EventRow[];
  /** The read was full and nothing in it occurred too late: the next batch may be waiting already. */
  more: boolean;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The cursor, the locked read, failures and dead letters, shared by the two ways of handing a batch
 * over: as events (`EventConsumer`) or as an id range (`EventRangeConsumer`).
 */
abstract class OutboxConsumer {
  readonly #batchSize: number;
  readonly #maxAttempts: number;

  constructor(
    private readonly db: Kysely<Database>,
    readonly name: string,
    protected readonly options: ConsumerOptions,
  ) {
    this.#batchSize = options.batchSize ?? 1000;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Reads, under the outbox's lock, the next batch after `cursor`: at most `limit` events, none that occurred after `until`. */
  protected abstract read(trx: Transaction<Database>, cursor: string, limit: number, until: Date): Promise<Batch | null>;
  protected abstract deliver(batch: Batch): Promise<void>;
  protected abstract deliverOne(row: EventRow): Promise<void>;

  /**
   * Delivers, batch by batch in id order, the events that occurred by `until`. Delivery stops (not skips) at the
   * first event that occurred later, so an event is never handled before its time on a test clock.
   * Runs under the caller's serialisation (the job runner's lock): two passes of one consumer at
   * the same time would both deliver, which is allowed (at least once) but wasteful.
   */
  async consume(until: Date): Promise<ConsumeResult> {
    const result: ConsumeResult = { delivered: 0, deadLettered: 0, stalled: false };
    for (;;) {
      const batch = await this.#next(await this.#cursor(), until);
      if (!batch) return result;
      try {
        await this.deliver(batch);
        await this.#advance(batch.range.lastId);
        result.delivered += batch.range.count;
      } catch {
        // Find the failing event: one by one up to it, so the events before it are not held back.
        const single = await this.#oneByOne(batch.rows ?? (await this.#rowsIn(batch.range)));
        result.delivered += single.delivered;
        result.deadLettered += single.deadLettered;
        if (single.stalled) return { ...result, stalled: true };
      }
      if (!batch.more) return result;
    }
  }

  async #oneByOne(batch: EventRow[]): Promise<ConsumeResult> {
    const result: ConsumeResult = { delivered: 0, deadLettered: 0, stalled: false };
    for (const row of batch) {
      try {
        await this.deliverOne(row);
        result.delivered += 1;
      } catch (error) {
        const dead = await this.#recordFailure(row, error);
        if (!dead) return { ...result, stalled: true };
        result.deadLettered += 1;
      }
      await this.#advance(Number(row.id));
    }
    return result;
  }

  /** Counts a failed attempt; true when this was the last one and the event is now dead-lettered. */
  async #recordFailure(row: EventRow, error: unknown): Promise<boolean> {
    const message = error instanceof Error ? error.message : String(error);
    const now = new Date();
    const failure = await this.db
      .insertInto('event_failures')
      .values({
        consumer: this.name,
        event_id: Number(row.id),
        attempts: 1,
        last_error: message,
        first_failed_at: now,
        last_failed_at: now,
        dead_at: null,
        resolved_at: null,
        resolution: null,
      })
      .onConflict((oc) =>
        oc.columns(['consumer', 'event_id']).doUpdateSet((eb) => ({
          attempts: eb('event_failures.attempts', '+', 1),
          last_error: message,
          last_failed_at: now,
        })),
      )
      .returning('attempts')
      .executeTakeFirstOrThrow();
    const dead = failure.attempts >= this.#maxAttempts;
    if (dead) {
      await this.db
        .updateTable('event_failures')
        .set({ dead_at: now })
        .where('consumer', '=', this.name)
        .where('event_id', '=', Number(row.id))
        .execute();
    }
    this.options.logger?.warn(
      { consumer: this.name, eventId: Number(row.id), eventType: row.event_type, attempts: failure.attempts, dead, err: error },
      dead ? 'event dead-lettered after repeated handler failures' : 'event handler failed; will retry',
    );
    return dead;
  }

  async #cursor(): Promise<string> {
    const row = await this.db
      .selectFrom('event_consumers')
      .select(sql<string>`last_event_id::text`.as('id'))
      .where('consumer', '=', this.name)
      .executeTakeFirst();
    return row?.id ?? '0';
  }

  async #next(cursor: string, until: Date): Promise<Batch | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        await sql`select set_config('lock_timeout', ${`${this.options.lockTimeoutMs ?? 10_000}ms`}, true)`.execute(trx);
        await sql`select pg_advisory_xact_lock(hashtext('outbox_events:' || current_schema()))`.execute(trx);
        return this.read(trx, cursor, this.#batchSize, until);
      });
    } catch (error) {
      // 55P03 lock_not_available: a writer kept its transaction open; the next pass reads on.
      if ((error as { code?: string }).code === '55P03') return null;
      throw error;
    }
  }

  /**
   * The events of a delivered range, without payloads (to hand over one by one). No lock: the range
   * was read behind it, so every id in it has committed or never will.
   */
  async #rowsIn(range: EventRange): Promise<EventRow[]> {
    const { rows } = await sql<EventRow>`
      select id::text as id, event_type, aggregate_type, aggregate_id, null::jsonb as payload, occurred_at
      from outbox_events
      where id between ${range.firstId} and ${range.lastId} and event_type = any(${[...this.options.types]}::text[])
      order by outbox_events.id`.execute(this.db);
    return rows;
  }

  /** The cursor only moves forward, also when two passes overlap. */
  async #advance(lastId: number): Promise<void> {
    await sql`
      insert into event_consumers (consumer, last_event_id, updated_at)
      values (${this.name}, ${lastId}::bigint, now())
      on conflict (consumer) do update set last_event_id = excluded.last_event_id, updated_at = excluded.updated_at
      where event_consumers.last_event_id < excluded.last_event_id`.execute(this.db);
  }

  /**
   * Hands one dead-lettered event to the handler again (staff asked for it). On success the
   * failure is resolved as retried; on failure it stays dead with one more attempt counted.
   */
  async retryDeadLetter(eventId: number): Promise<'retried' | 'failed' | 'not-found'> {
    const rows = await sql<EventRow>`
      select o.id::text as id, o.event_type, o.aggregate_type, o.aggregate_id, o.payload, o.occurred_at
      from event_failures f join outbox_events o on o.id = f.event_id
      where f.consumer = ${this.name} and f.event_id = ${eventId} and f.dead_at is not null and f.resolved_at is null`
      .execute(this.db)
      .then((r) => r.rows);
    const row = rows[0];
    if (!row) return 'not-found';
    try {
      await this.deliverOne(row);
    } catch (error) {
      await this.#recordFailure(row, error);
      return 'failed';
    }
    await this.db
      .updateTable('event_failures')
      .set({ resolved_at: new Date(), resolution: 'retried' })
      .where('consumer', '=', this.name)
      .where('event_id', '=', eventId)
      .execute();
    return 'retried';
  }
}

/** A consumer whose handler gets the batch's events, payloads and all. */
export class EventConsumer<P = unknown> extends OutboxConsumer {
  constructor(
    db: Kysely<Database>,
    name: string,
    options: ConsumerOptions,
    private readonly handler: BatchHandler<P>,
  ) {
    super(db, name, options);
  }

  protected async read(trx: Transaction<Database>, cursor: string, limit: number, until: Date): Promise<Batch | null> {
    const { rows } = await sql<EventRow>`
      select id::text as id, event_type, aggregate_type, aggregate_id, payload, occurred_at
      from outbox_events
      where id > ${cursor}::bigint and event_type = any(${[...this.options.types]}::text[])
      order by outbox_events.id -- the column: a bare "id" would sort the text alias (10 before 8)
      limit ${limit}`.execute(trx);
    const due = rows.findIndex((row) => row.occurred_at.getTime() > until.getTime());
    const batch = due === -1 ? rows : rows.slice(0, due);
    if (batch.length === 0) return null;
    return {
      range: { firstId: Number(batch[0]!.id), lastId: Number(batch[batch.length - 1]!.id), count: batch.length },
      rows: batch,
      more: rows.length === limit && due === -1,
    };
  }

  protected deliver(batch: Batch): Promise<void> {
    return this.handler(batch.rows!.map(toEvent<P>));
  }

  protected deliverOne(row: EventRow): Promise<void> {
    return this.handler([toEvent<P>(row)]);
  }
}

/**
 * A consumer whose handler gets only the batch's id range and reads the events itself, in one
 * set-based statement (`eventPayloadsSql`): the batch is found by one aggregate in the database, and
 * no event travels to the application and back. Billing's rating, a million calls a month, is one.
 */
export class EventRangeConsumer extends OutboxConsumer {
  constructor(
    db: Kysely<Database>,
    name: string,
    options: ConsumerOptions,
    private readonly handler: RangeHandler,
  ) {
    super(db, name, options);
  }

  protected async read(trx: Transaction<Database>, cursor: string, limit: number, until: Date): Promise<Batch | null> {
    // `late`: this event, or one before it, occurred after `until`; the batch stops before the first such event.
    const { rows } = await sql<{ read: number; count: number; first_id: string | null; last_id: string | null }>`
      select count(*)::int as read, count(*) filter (where not late)::int as count,
             min(id) filter (where not late)::text as first_id, max(id) filter (where not late)::text as last_id
      from (select id, bool_or(occurred_at > ${until}::timestamptz) over (order by id) as late
            from (select id, occurred_at from outbox_events
                  where id > ${cursor}::bigint and event_type = any(${[...this.options.types]}::text[])
                  order by id
                  limit ${limit}) as next) as next`.execute(trx);
    const { read, count, first_id, last_id } = rows[0]!;
    if (count === 0 || first_id === null || last_id === null) return null;
    return {
      range: { firstId: Number(first_id), lastId: Number(last_id), count },
      more: read === limit && count === read,
    };
  }

  protected deliver(batch: Batch): Promise<void> {
    return this.handler(batch.range);
  }

  protected deliverOne(row: EventRow): Promise<void> {
    return this.handler({ firstId: Number(row.id), lastId: Number(row.id), count: 1 });
  }
}

function toEvent<P>(row: EventRow): DeliveredEvent<P> {
  return {
    id: Number(row.id),
    type: row.event_type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    payload: row.payload as P,
    occurredAt: row.occurred_at,
  };
}

export interface DeadLetter {
  consumer: string;
  eventId: number;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  attempts: number;
  lastError: string;
  deadAt: string;
}

/** The events a consumer gave up on and nobody has retried or dismissed yet, oldest first. */
export async function listDeadLetters(db: Kysely<Database>, options: { limit?: number } = {}): Promise<DeadLetter[]> {
  const rows = await db
    .selectFrom('event_failures as f')
    .innerJoin('outbox_events as o', 'o.id', 'f.event_id')
    .select([
      'f.consumer',
      'f.event_id',
      'o.event_type',
      'o.aggregate_type',
      'o.aggregate_id',
      'o.occurred_at',
      'f.attempts',
      'f.last_error',
      'f.dead_at',
    ])
    .where('f.dead_at', 'is not', null)
    .where('f.resolved_at', 'is', null)
    .orderBy('f.dead_at')
    .orderBy('f.event_id')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    consumer: r.consumer,
    eventId: Number(r.event_id),
    eventType: r.event_type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    occurredAt: r.occurred_at.toISOString(),
    attempts: r.attempts,
    lastError: r.last_error,
    deadAt: r.dead_at!.toISOString(),
  }));
}

/** Marks a dead letter dismissed (staff decided it needs no handling); false if there is none open. */
export async function dismissDeadLetter(db: Kysely<Database>, consumer: string, eventId: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('event_failures')
    .set({ resolved_at: at, resolution: 'dismissed' })
    .where('consumer', '=', consumer)
    .where('event_id', '=', eventId)
    .where('dead_at', 'is not', null)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The payloads of a delivered range as a relation `(id, payload)`, for an `EventRangeConsumer`'s
 * handler to read in its set-based statement. The outbox stays this unit's table; consumers compose
 * this fragment.
 */
export function eventPayloadsSql(types: readonly string[], range: EventRange): RawBuilder<unknown> {
  return sql`(select o.id, o.payload from outbox_events o
              where o.id between ${range.firstId} and ${range.lastId} and o.event_type = any(${[...types]}::text[]))`;
}
