import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRecorder } from '../../src/calls/index.js';
import { migrations } from '../../src/migrations.js';
import { openPGlite, openPostgres, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { freePort } from '../support/process.js';

/**
 * The call record journal at unit level: a recorder whose database refuses connections journals its
 * writes; the next process (a new recorder on the same directory) replays them, in order, once, and
 * a replay repeated after a crash changes nothing.
 */
describe('call records journalled while the database is down', () => {
  let down: DatabaseHandle;
  let database: DatabaseHandle;
  const t0 = new Date('2026-07-01T10:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  beforeAll(async () => {
    // Nothing listens on this port: every query fails with ECONNREFUSED.
    down = await openPostgres(`postgres://postgres@127.0.0.1:${await freePort()}/none`, 2, { connectTimeoutMs: 500 });
    database = await openPGlite(null);
    await migrateToLatest(database.db, migrations);
  });
  afterAll(async () => {
    await down?.close();
    await database?.close();
  });

  const start = (recorder: CallRecorder, callId: string) =>
    recorder.started({
      callId,
      fromTag: 'caller-tag',
      caller: '5000',
      callee: '5001',
      callerDevice: 'test',
      at: t0,
      sessionExpiresSeconds: null,
    });

  const snapshot = () =>
    database.db
      .selectFrom('call_records')
      .select(['id', 'call_id', 'status', 'hung_up_by', 'duration_ms', 'final_status'])
      .orderBy('call_id')
      .execute();

  it('journals every write while down; the next process replays them in order, before its own, exactly once', async () => {
    const journalDir = mkdtempSync(path.join(tmpdir(), 'vp-journal-'));
    const first = new CallRecorder(down.db, { journalDir });
    const answeredId = await start(first, 'answered-call');
    expect(await start(first, 'answered-call')).toBe(answeredId);
    await first.answered('answered-call', answeredId, at(2), 'Bob phone');
    const cancelledId = await start(first, 'cancelled-call');
    await first.failed('cancelled-call', cancelledId, at(3), 487, 'cancelled by caller', true);
    await first.ended('answered-call', at(62), 'caller-tag', 'BYE');
    expect(first.journalPending).toBe(true);
    await first.close();

    const file = path.join(journalDir, 'call-records.ndjson');
    const journalled = readFileSync(file, 'utf8');
    expect(
      journalled
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { op: string }).op),
    ).toEqual(['started', 'answered', 'started', 'failed', 'ended']);
    // A crash in the middle of an append leaves half a line; it was never acknowledged.
    appendFileSync(file, '{"op":"answered","id":"');

    const second = new CallRecorder(database.db, { journalDir, replayDelayMs: 10 });
    second.startReplaying();
    // A write made while the journal still holds older ones waits behind them.
    const laterId = await start(second, 'later-call');
    const until = Date.now() + 10_000;
    while (second.journalPending && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second.journalPending).toBe(false);
    const replayed = await snapshot();
    expect(replayed).toEqual([
      { id: answeredId, call_id: 'answered-call', status: 'completed', hung_up_by: 'caller', duration_ms: 60_000, final_status: 200 },
      { id: cancelledId, call_id: 'cancelled-call', status: 'cancelled', hung_up_by: null, duration_ms: 0, final_status: 487 },
      { id: laterId, call_id: 'later-call', status: 'ringing', hung_up_by: null, duration_ms: null, final_status: null },
    ]);
    expect(readFileSync(file, 'utf8')).toBe('');
    await second.close();

    // A process that crashed after applying the journal but before emptying it replays it again: nothing changes.
    writeFileSync(file, journalled);
    const third = new CallRecorder(database.db, { journalDir });
    expect(await third.replayJournal()).toBe(5);
    expect(await snapshot()).toEqual(replayed);
    await third.close();
  });

  it('without a journal, a start the database cannot take fails as before; later events are logged, never thrown', async () => {
    const recorder = new CallRecorder(down.db);
    await expect(start(recorder, 'no-journal')).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(recorder.ended('no-journal', at(1), 'caller-tag', 'BYE')).resolves.toBeUndefined();
    await recorder.close();
  });
});
