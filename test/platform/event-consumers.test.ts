import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import {
  EventConsumer,
  EventRangeConsumer,
  eventPayloadsSql,
  listDeadLetters,
  type EventRange,
} from '../../src/platform/events/consumers.js';
import { appendEvent, type DeliveredEvent } from '../../src/platform/events/outbox.js';
import { migrations } from '../../src/migrations.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

const at = new Date('2026-06-01T08:00:00Z');
const later = new Date('2026-06-01T09:00:00Z');

describe.each(engines)('outbox consumers on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;
    let run = 0;
    /** Each case uses its own event type and consumer name, so the cases do not see each other's events. */
    let type: string;
    let name: string;

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
      await sql`create table consumer_effects (consumer text, event_id bigint, primary key (consumer, event_id))`.execute(database.db);
    });
    afterAll(() => database?.close());

    const publish = (n: number, occurredAt = at, eventType = type) =>
      appendEvent(database.db, { type: eventType, aggregateType: 't', aggregateId: String(n), payload: { n }, occurredAt });
    const numbers = (events: DeliveredEvent[]) => events.map((e) => (e.payload as { n: number }).n);
    /** An idempotent handler: its effect is keyed by the event id. */
    const recordEffects = async (events: DeliveredEvent[]) => {
      for (const event of events)
        await sql`insert into consumer_effects values (${name}, ${event.id}) on conflict do nothing`.execute(database.db);
    };
    const effects = async () =>
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from consumer_effects where consumer = ${name}`.execute(database.db)).rows[0]!
          .n,
      );

    beforeEach(() => {
      run += 1;
      type = `test.event-${run}`;
      name = `test.consumer-${run}`;
    });

    it('delivers its types in order, in batches, each once, and nothing that occurs after the instant asked for', async () => {
      for (const n of [1, 2, 3, 4, 5]) await publish(n);
      await publish(99, at, 'test.other');
      await publish(6, later);
      const batches: number[][] = [];
      const consumer = new EventConsumer(database.db, name, { types: [type], batchSize: 2 }, async (events) => {
        batches.push(numbers(events));
      });
      expect(await consumer.consume(at)).toEqual({ delivered: 5, deadLettered: 0, stalled: false });
      expect(batches).toEqual([[1, 2], [3, 4], [5]]);
      expect(await consumer.consume(at)).toEqual({ delivered: 0, deadLettered: 0, stalled: false });
      await consumer.consume(later);
      expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('hands events over again after a crash between the handler and the cursor; an idempotent handler changes nothing', async () => {
      for (const n of [1, 2, 3]) await publish(n);
      const seen: number[] = [];
      const consumer = new EventConsumer(database.db, name, { types: [type] }, async (events) => {
        seen.push(...numbers(events));
        await recordEffects(events);
      });
      await consumer.consume(at);
      expect(await effects()).toBe(3);
      // The process died after the handler committed and before the cursor moved: the cursor is where it was.
      await sql`delete from event_consumers where consumer = ${name}`.execute(database.db);
      await consumer.consume(at);
      expect(seen).toEqual([1, 2, 3, 1, 2, 3]);
      expect(await effects()).toBe(3);
    });

    it('retries a failing event a bounded number of times, holding later ones back, then dead-letters it for staff', async () => {
      for (const n of [1, 2, 3]) await publish(n);
      const seen: number[] = [];
      let fixed = false;
      const consumer = new EventConsumer(database.db, name, { types: [type], maxAttempts: 3 }, async (events) => {
        if (!fixed && numbers(events).includes(2)) throw new Error('the mailer is down');
        seen.push(...numbers(events));
      });
      expect(await consumer.consume(at)).toEqual({ delivered: 1, deadLettered: 0, stalled: true });
      expect(await consumer.consume(at)).toEqual({ delivered: 0, deadLettered: 0, stalled: true });
      expect(seen).toEqual([1]);
      expect((await listDeadLetters(database.db)).filter((d) => d.consumer === name)).toEqual([]);
      expect(await consumer.consume(at)).toEqual({ delivered: 1, deadLettered: 1, stalled: false });
      expect(seen).toEqual([1, 3]);
      const dead = (await listDeadLetters(database.db)).filter((d) => d.consumer === name);
      expect(dead).toEqual([
        expect.objectContaining({ consumer: name, eventType: type, aggregateId: '2', attempts: 3, lastError: 'the mailer is down' }),
      ]);
      // Staff retry it once the cause is fixed: it is handled and leaves the list.
      fixed = true;
      expect(await consumer.retryDeadLetter(dead[0]!.eventId)).toBe('retried');
      expect(seen).toEqual([1, 3, 2]);
      expect((await listDeadLetters(database.db)).filter((d) => d.consumer === name)).toEqual([]);
    });

    /** What a range handler reads through eventPayloadsSql: the numbers of the events in its range, in id order. */
    const numbersIn = async (range: EventRange) =>
      (
        await sql<{ n: number }>`select (e.payload->>'n')::int as n from ${eventPayloadsSql([type], range)} as e order by e.id`.execute(
          database.db,
        )
      ).rows.map((r) => r.n);

    it('hands a range consumer its batches as id ranges that name the same events, in order, and nothing that occurs later', async () => {
      for (const n of [1, 2, 3, 4, 5]) await publish(n);
      await publish(99, at, 'test.other'); // inside the last range's ids, but not of this consumer's type
      await publish(6, at);
      await publish(7, later);
      await publish(8, at); // after one that occurs later: held back with it, never delivered before it
      const batches: number[][] = [];
      const counts: number[] = [];
      const consumer = new EventRangeConsumer(database.db, name, { types: [type], batchSize: 2 }, async (range) => {
        batches.push(await numbersIn(range));
        counts.push(range.count);
      });
      expect(await consumer.consume(at)).toEqual({ delivered: 6, deadLettered: 0, stalled: false });
      expect(batches).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(counts).toEqual([2, 2, 2]);
      expect(await consumer.consume(at)).toEqual({ delivered: 0, deadLettered: 0, stalled: false });
      expect(await consumer.consume(later)).toEqual({ delivered: 2, deadLettered: 0, stalled: false });
      expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('hands a failing range over one event at a time, delivers those before the bad one, dead-letters it, and retries it for staff', async () => {
      for (const n of [1, 2, 3]) await publish(n);
      const seen: number[] = [];
      let fixed = false;
      const consumer = new EventRangeConsumer(database.db, name, { types: [type], maxAttempts: 2 }, async (range) => {
        const numbers = await numbersIn(range);
        if (!fixed && numbers.includes(2)) throw new Error('the tariff is missing');
        seen.push(...numbers);
      });
      expect(await consumer.consume(at)).toEqual({ delivered: 1, deadLettered: 0, stalled: true });
      expect(await consumer.consume(at)).toEqual({ delivered: 1, deadLettered: 1, stalled: false });
      expect(seen).toEqual([1, 3]);
      const dead = (await listDeadLetters(database.db)).filter((d) => d.consumer === name);
      expect(dead).toEqual([expect.objectContaining({ aggregateId: '2', attempts: 2, lastError: 'the tariff is missing' })]);
      fixed = true;
      expect(await consumer.retryDeadLetter(dead[0]!.eventId)).toBe('retried');
      expect(seen).toEqual([1, 3, 2]);
    });

    it.skipIf(engine !== 'postgres')(
      'does not skip an event whose transaction took a smaller id but committed after a larger one was read',
      async () => {
        const seen: number[] = [];
        const consumer = new EventConsumer(database.db, name, { types: [type] }, async (events) => void seen.push(...numbers(events)));
        await database.db.connection().execute(async (early) => {
          await database.db.connection().execute(async (late) => {
            // `early` draws id 1 and stays open; `late` draws id 2 and commits at once.
            await sql`begin`.execute(early);
            await appendEvent(early, { type, aggregateType: 't', aggregateId: '1', payload: { n: 1 }, occurredAt: at });
            await appendEvent(late, { type, aggregateType: 't', aggregateId: '2', payload: { n: 2 }, occurredAt: at });
            // Event 2 is visible, event 1 (smaller id) is not yet: a reader of `id > cursor` would take 2 and never see 1.
            const reading = consumer.consume(at);
            await new Promise((resolve) => setTimeout(resolve, 300));
            await sql`commit`.execute(early);
            await reading;
          });
        });
        await consumer.consume(at);
        expect(seen).toEqual([1, 2]);
        const ids = await database.db
          .selectFrom('outbox_events')
          .select(['id', 'aggregate_id'])
          .where('event_type', '=', type)
          .orderBy('id')
          .execute();
        expect(ids.map((r) => r.aggregate_id)).toEqual(['1', '2']);
      },
    );
  });
});
