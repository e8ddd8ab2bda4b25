import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { appendEvent } from '../../src/platform/events/outbox.js';
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
  });
});
