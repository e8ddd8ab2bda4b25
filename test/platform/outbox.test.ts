import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { appendEvent, OutboxRelay, type DeliveredEvent } from '../../src/platform/events/outbox.js';
import { migrations } from '../../src/migrations.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

const at = new Date('2026-06-01T08:00:00Z');

describe.each(engines)('the outbox on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
    });
    afterAll(() => database?.close());

    it('keeps an event only if the transaction that wrote it commits', async () => {
      await database.db
        .transaction()
        .execute((trx) => appendEvent(trx, { type: 'test.kept', aggregateType: 't', aggregateId: '1', payload: { a: 1 }, occurredAt: at }));
      await expect(
        database.db.transaction().execute(async (trx) => {
          await appendEvent(trx, { type: 'test.lost', aggregateType: 't', aggregateId: '2', payload: {}, occurredAt: at });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      const types = (await database.db.selectFrom('outbox_events').select('event_type').execute()).map((r) => r.event_type);
      expect(types).toContain('test.kept');
      expect(types).not.toContain('test.lost');
    });

    it('delivers pending events once, in order, and a handler failure leaves the event for the next pass', async () => {
      const relay = new OutboxRelay(database.db, pino({ level: 'silent' }), 2);
      const received: DeliveredEvent[] = [];
      let failNext = true;
      relay.subscribe('test.flaky', () => {
        if (failNext) {
          failNext = false;
          throw new Error('mailer down');
        }
      });
      relay.subscribe('*', (event) => void received.push(event));
      for (const n of [2, 3, 4])
        await appendEvent(database.db, {
          type: 'test.numbered',
          aggregateType: 't',
          aggregateId: String(n),
          payload: { n },
          occurredAt: at,
        });
      await appendEvent(database.db, { type: 'test.flaky', aggregateType: 't', aggregateId: 'f', payload: null, occurredAt: at });
      await appendEvent(database.db, {
        type: 'test.future',
        aggregateType: 't',
        aggregateId: 'x',
        payload: null,
        occurredAt: new Date('2027-01-01T00:00:00Z'),
      });

      const first = await relay.deliverPending(at);
      expect(first).toEqual({ delivered: 4, failed: 1 });
      expect(received.filter((e) => e.type === 'test.numbered').map((e) => e.payload)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);

      const second = await relay.deliverPending(at);
      expect(second).toEqual({ delivered: 1, failed: 0 });
      const flaky = await database.db
        .selectFrom('outbox_events')
        .selectAll()
        .where('event_type', '=', 'test.flaky')
        .executeTakeFirstOrThrow();
      expect(flaky).toMatchObject({ attempts: 1, last_error: 'mailer down' });
      expect(flaky.delivered_at).not.toBeNull();

      expect(await relay.deliverPending(at)).toEqual({ delivered: 0, failed: 0 });
      expect(received.some((e) => e.type === 'test.future')).toBe(false);
    });
  });
});
