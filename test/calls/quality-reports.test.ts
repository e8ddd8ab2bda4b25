import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRecorder, callHistory, recordQualityReport, type QualityReportInput } from '../../src/calls/index.js';
import { migrations } from '../../src/migrations.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { parseRelease } from '../../src/releases/index.js';
import { available, engines, openTestDatabase } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

const report = (callId: string, direction: 'outgoing' | 'incoming'): QualityReportInput => ({
  callId,
  direction,
  durationMs: 12_345,
  rttMs: 3,
  jitterMs: 1.5,
  lossPercent: 0,
  packetsLost: 0,
  framesDecoded: 240,
  audioPacketsReceived: 600,
  sendKbps: 900,
  receiveKbps: 880,
  audioCodec: 'opus',
  videoCodec: 'VP8',
  localCandidateType: 'host',
  remoteCandidateType: 'host',
  relayProtocol: null,
  userAgent: 'test',
});

describe.each(engines)('call history and quality reports on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;
    const t0 = new Date('2026-07-01T10:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
      const recorder = new CallRecorder(database.db);
      // Alice (7001) calls Bob (7002), who answers; then Carol (7003) calls Bob, who misses it; then Bob declines Carol.
      const answered = await recorder.started({
        callId: 'c-1',
        fromTag: 'a',
        caller: '7001',
        callee: '7002',
        callerDevice: null,
        at: at(0),
        sessionExpiresSeconds: null,
      });
      await recorder.answered('c-1', answered, at(2), null);
      await recorder.ended('c-1', at(32), 'a', 'BYE');
      const missed = await recorder.started({
        callId: 'c-2',
        fromTag: 'c',
        caller: '7003',
        callee: '7002',
        callerDevice: null,
        at: at(60),
        sessionExpiresSeconds: null,
      });
      await recorder.failed('c-2', missed, at(80), 487, 'cancelled by caller', true);
      const declined = await recorder.started({
        callId: 'c-3',
        fromTag: 'c',
        caller: '7003',
        callee: '7002',
        callerDevice: null,
        at: at(120),
        sessionExpiresSeconds: null,
      });
      await recorder.failed('c-3', declined, at(125), 603, 'Decline', false);
    });
    afterAll(() => database?.close());

    it("lists a subscriber's calls newest first, with the missed one flagged and the declined one not", async () => {
      const history = await callHistory(database.db, ['7002']);
      expect(history.map((entry) => [entry.callId, entry.direction, entry.peer, entry.missed])).toEqual([
        ['c-3', 'incoming', '7003', false],
        ['c-2', 'incoming', '7003', true],
        ['c-1', 'incoming', '7001', false],
      ]);
      expect(history[2]?.durationMs).toBe(30_000);
      expect((await callHistory(database.db, ['7001']))[0]).toMatchObject({ callId: 'c-1', direction: 'outgoing', missed: false });
    });

    it('stores one report per party and side, keeps the first when it is sent again, and refuses strangers', async () => {
      const first = await recordQualityReport(database.db, ['7001'], report('c-1', 'outgoing'), at(33));
      expect(first).toMatchObject({ ok: true, value: { duplicate: false } });
      const again = await recordQualityReport(database.db, ['7001'], report('c-1', 'outgoing'), at(34));
      expect(again.ok && first.ok && again.value.id === first.value.id && again.value.duplicate).toBe(true);
      expect(await recordQualityReport(database.db, ['7002'], report('c-1', 'incoming'), at(33))).toMatchObject({ ok: true });
      // Carol was not on this call; Bob was not its caller.
      expect(await recordQualityReport(database.db, ['7003'], report('c-1', 'outgoing'), at(33))).toMatchObject({
        ok: false,
        failure: { kind: 'not_found' },
      });
      expect(await recordQualityReport(database.db, ['7002'], report('c-1', 'outgoing'), at(33))).toMatchObject({ ok: false });
      const rows = await database.db
        .selectFrom('call_quality_reports')
        .select(['reporter', 'direction', 'frames_decoded'])
        .where('call_id', '=', 'c-1')
        .orderBy('direction')
        .execute();
      expect(rows).toEqual([
        { reporter: '7002', direction: 'incoming', frames_decoded: 240 },
        { reporter: '7001', direction: 'outgoing', frames_decoded: 240 },
      ]);
    });
  });
});

describe('the API around calls and releases', () => {
  let service: TestService;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = mkdtempSync(path.join(tmpdir(), 'vp-web-'));
    writeFileSync(path.join(webRoot, 'index.html'), '<script type="module" crossorigin src="/assets/index-AbC123.js"></script>');
    service = await startTestService('pglite', { webRoot });
  });
  afterAll(() => service?.close());

  it('names the released web build after its entry script, and follows a new index.html', async () => {
    expect(parseRelease('<script type="module" crossorigin src="/assets/index-Zz9.js"></script>', new Date(0))?.buildId).toBe(
      'index-Zz9.js',
    );
    const first = await service.app.inject({ url: '/api/releases/web' });
    expect(first.json()).toMatchObject({ buildId: 'index-AbC123.js' });
    await new Promise((resolve) => setTimeout(resolve, 20)); // a later modification time
    writeFileSync(path.join(webRoot, 'index.html'), '<script type="module" crossorigin src="/assets/index-New456.js"></script>');
    expect((await service.app.inject({ url: '/api/releases/web' })).json()).toMatchObject({ buildId: 'index-New456.js' });
  });

  it('keeps portal call routes for signed-in subscribers and shows staff a call with its quality reports', async () => {
    const history = await service.app.inject({ url: '/api/portal/calls' });
    expect(history.statusCode).toBe(401);
    const recorder = new CallRecorder(service.ctx.db);
    const id = await recorder.started({
      callId: 'staff-view',
      fromTag: 'a',
      caller: '7001',
      callee: '7002',
      callerDevice: null,
      at: service.clock.now(),
      sessionExpiresSeconds: null,
    });
    await recorder.answered('staff-view', id, service.clock.now(), null);
    await recordQualityReport(service.ctx.db, ['7002'], report('staff-view', 'incoming'), service.clock.now());

    const cookie = await signInCookie(service, await addStaff(service, ['support_agent']));
    const response = await service.app.inject({ url: '/api/console/calls/staff-view', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      records: [{ caller: '7001', callee: '7002', status: 'answered' }],
      qualityReports: [{ reporter: '7002', direction: 'incoming', framesDecoded: 240, videoCodec: 'VP8' }],
    });
    expect((await service.app.inject({ url: '/api/console/calls/staff-view' })).statusCode).toBe(401);
  });
});
