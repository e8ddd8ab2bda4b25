import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_COMPLETED, CallRecorder, closeStaleCallsJob } from '../../src/calls/index.js';
import { migrations } from '../../src/migrations.js';
import { openPostgres, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { freePort } from '../support/process.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

/**
 * A completed call is published (`call.completed`, what billing rates from) by the statement that
 * completes its record: a BYE, a journal replay after an outage, the stale-call job; once per call,
 * however often a write is replayed.
 */
describe.each(engines)('call.completed on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;
    const t0 = new Date('2026-07-01T10:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
    });
    afterAll(() => database?.close());

    const start = (recorder: CallRecorder, callId: string) =>
      recorder.started({
        callId,
        fromTag: 'caller-tag',
        caller: '5000',
        callee: '5001',
        callerDevice: null,
        at: t0,
        sessionExpiresSeconds: null,
      });
    const published = (recordId: string) =>
      database.db
        .selectFrom('outbox_events')
        .select(['event_type', 'aggregate_id', 'payload', 'occurred_at'])
        .where('event_type', '=', CALL_COMPLETED)
        .where('aggregate_id', '=', recordId)
        .execute();

    it('publishes an answered call ended by a BYE once, with what billing rates; a failed call not at all', async () => {
      const recorder = new CallRecorder(database.db);
      const answered = await start(recorder, 'bye-call');
      await recorder.answered('bye-call', answered, at(2), null);
      await recorder.ended('bye-call', at(62.5), 'caller-tag', 'BYE');
      await recorder.ended('bye-call', at(70), 'caller-tag', 'BYE'); // a retransmitted BYE
      const failed = await start(recorder, 'busy-call');
      await recorder.failed('busy-call', failed, at(1), 486, 'busy', false);
      await recorder.close();
      expect(await published(answered)).toEqual([
        {
          event_type: CALL_COMPLETED,
          aggregate_id: answered,
          occurred_at: at(62.5),
          payload: {
            recordId: answered,
            caller: '5000',
            callee: '5001',
            answeredAt: at(2).toISOString().replace('Z', '000Z'),
            endedAt: at(62.5).toISOString().replace('Z', '000Z'),
            durationMs: 60_500,
          },
        },
      ]);
      expect(await published(failed)).toEqual([]);
    });

    it('publishes a call completed while the database was down when the journal is replayed, once however often it is replayed', async () => {
      const down = await openPostgres(`postgres://postgres@127.0.0.1:${await freePort()}/none`, 2, { connectTimeoutMs: 500 });
      const journalDir = mkdtempSync(path.join(tmpdir(), 'vp-journal-events-'));
      const offline = new CallRecorder(down.db, { journalDir });
      const id = await start(offline, 'journalled-call');
      await offline.answered('journalled-call', id, at(1), null);
      await offline.ended('journalled-call', at(31), 'callee-tag', 'BYE');
      await offline.close();
      await down.close();
      expect(await published(id)).toEqual([]);

      const back = new CallRecorder(database.db, { journalDir });
      expect(await back.replayJournal()).toBe(3);
      await back.close();
      const events = await published(id);
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toMatchObject({ recordId: id, durationMs: 30_000 });
    });

    it('publishes a call the stale-call job closes, ended at its last sign of life', async () => {
      const recorder = new CallRecorder(database.db);
      const id = await start(recorder, 'silent-call');
      await recorder.answered('silent-call', id, at(1), null);
      await recorder.refreshed('silent-call', at(121));
      await recorder.close();
      const job = closeStaleCallsJob(database.db, { maxRingingSeconds: 120, maxCallSeconds: 4 * 3600 });
      await job.advanceTo(at(5 * 3600));
      await job.advanceTo(at(6 * 3600));
      const events = await published(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ occurred_at: at(121), payload: { recordId: id, durationMs: 120_000 } });
    });
  });
});
