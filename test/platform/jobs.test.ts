import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TestClock } from '../../src/platform/clock.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { JobRunner, type TimeDrivenJob } from '../../src/platform/jobs/job-runner.js';
import { migrations } from '../../src/migrations.js';
import { available, engines, openTestDatabase } from '../support/engines.js';
import { addStaff, signInCookie, startTestService } from '../support/test-service.js';

const silent = pino({ level: 'silent' });

describe.each(engines)('the job runner on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;
    const clock = new TestClock('2026-05-01T00:00:00Z');

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
    });
    afterAll(() => database?.close());

    it('records how far a job has advanced, and never rewinds it for an earlier instant', async () => {
      const runner = new JobRunner(database, clock, silent);
      const seen: string[] = [];
      runner.register({ name: 'test.record', intervalSeconds: 60, advanceTo: async (t) => seen.push(t.toISOString()) });
      await runner.runOnce('test.record', new Date('2026-05-02T00:00:00Z'));
      await runner.runOnce('test.record', new Date('2026-05-01T12:00:00Z'));
      expect(seen).toEqual(['2026-05-02T00:00:00.000Z', '2026-05-01T12:00:00.000Z']);
      const [status] = await runner.status();
      expect(status).toMatchObject({ name: 'test.record', advancedTo: '2026-05-02T00:00:00.000Z', lastError: null });
    });

    it('reports a failing job without throwing, and keeps its error for the console', async () => {
      const runner = new JobRunner(database, clock, silent);
      runner.register({ name: 'test.failing', intervalSeconds: 60, advanceTo: async () => Promise.reject(new Error('disk on fire')) });
      const outcome = await runner.runOnce('test.failing');
      expect(outcome.status).toBe('failed');
      expect((await runner.status())[0]).toMatchObject({ lastError: 'disk on fire', advancedTo: null });
    });

    it('tells a running job to stop when the runner stops, waits for it, and does not tell a run asked for afterwards', async () => {
      const runner = new JobRunner(database, clock, silent);
      const signals: AbortSignal[] = [];
      runner.register({
        name: 'test.waiting',
        intervalSeconds: 60,
        // Waits on something that never comes (a device that never answers) until told to stop.
        advanceTo: (_t, stopping) => {
          signals.push(stopping!);
          return new Promise((resolve) => stopping!.addEventListener('abort', () => resolve('left for the next run'), { once: true }));
        },
      });
      const running = runner.runOnce('test.waiting');
      await expect.poll(() => signals.length).toBe(1);
      expect(signals[0]!.aborted).toBe(false);
      await runner.stop();
      expect(signals[0]!.aborted).toBe(true);
      expect(await running).toMatchObject({ status: 'ran', result: 'left for the next run' });
      void runner.runOnce('test.waiting');
      await expect.poll(() => signals.length).toBe(2);
      expect(signals[1]!.aborted).toBe(false);
      await runner.stop();
    });

    it('lets only one node run a job at a time: a second runner on the same database skips while the first holds the lock', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let runs = 0;
      const slowJob: TimeDrivenJob = {
        name: 'test.exclusive',
        intervalSeconds: 60,
        advanceTo: async () => {
          runs += 1;
          await gate;
        },
      };
      // Two runners stand for two nodes; on PostgreSQL they contend for the advisory lock.
      const nodeA = new JobRunner(database, clock, silent);
      const nodeB = new JobRunner(database, clock, silent);
      nodeA.register(slowJob);
      nodeB.register({ ...slowJob });
      const first = nodeA.runOnce('test.exclusive');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = await nodeB.runOnce('test.exclusive');
      expect(second).toEqual({ status: 'skipped', reason: 'locked-elsewhere' });
      release();
      expect((await first).status).toBe('ran');
      expect(runs).toBe(1);
      // Once released, the other node may run it.
      expect((await nodeB.runOnce('test.exclusive')).status).toBe('ran');
    });
  });
});

describe('a time-driven job run twice for the same instant', () => {
  it('changes nothing the second time (staff session expiry)', async () => {
    const service = await startTestService('pglite');
    try {
      const staff = await Promise.all([
        addStaff(service, ['auditor']),
        addStaff(service, ['technician']),
        addStaff(service, ['support_agent']),
      ]);
      await signInCookie(service, staff[0]!);
      service.clock.advance({ minutes: 45 });
      await signInCookie(service, staff[1]!);
      await signInCookie(service, staff[2]!);
      service.clock.advance({ minutes: 30 }); // the first session is now idle for 75 minutes, the others 45
      const at = service.clock.now();

      const snapshot = () =>
        service.ctx.db.selectFrom('staff_sessions').select(['token_hash', 'last_seen_at']).orderBy('token_hash').execute();
      const first = await service.jobs.runOnce('staff.expire-sessions', at);
      const afterFirst = await snapshot();
      const second = await service.jobs.runOnce('staff.expire-sessions', at);
      const afterSecond = await snapshot();

      expect(first).toMatchObject({ status: 'ran', result: { deleted: 1 } });
      expect(second).toMatchObject({ status: 'ran', result: { deleted: 0 } });
      expect(afterFirst).toHaveLength(2);
      expect(afterSecond).toEqual(afterFirst);
    } finally {
      await service.close();
    }
  });
});

describe('the job runner while the database cannot be reached', () => {
  it('never rejects, backs off while it is down, logs the outage once, and resumes when the database answers', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    let reachable = false;
    let refusals = 0;
    const database = {
      db: undefined as never,
      engine: 'postgres' as const,
      // The lock is the first thing a run needs: it fails as pool.connect() does with the server down.
      withAdvisoryLock: async <T>(_name: string, work: () => Promise<T>) => {
        if (!reachable) {
          refusals += 1;
          throw refused;
        }
        return { acquired: true as const, value: await work() };
      },
      ping: async () => undefined,
      close: async () => undefined,
    };
    const warnings: string[] = [];
    const infos: string[] = [];
    const logger = {
      ...silent,
      warn: (_o: unknown, message: string) => warnings.push(message),
      info: (_o: unknown, message: string) => infos.push(message),
      error: () => undefined,
    };
    const runner = new JobRunner(database as unknown as DatabaseHandle, new TestClock('2026-05-01T00:00:00Z'), logger as never, undefined, {
      firstBackoffMs: 200,
      maxBackoffMs: 800,
    });
    let runs = 0;
    runner.register({ name: 'test.every-second', intervalSeconds: 1, advanceTo: async () => (runs += 1) });
    runner.register({ name: 'test.other', intervalSeconds: 1, advanceTo: async () => undefined });

    const outcome = await runner.runOnce('test.every-second');
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ECONNREFUSED' } });
    runner.start();
    // Both jobs fail on two ticks each: four more refusals, and still the one warning.
    await expect.poll(() => refusals, { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    expect(warnings).toEqual(['database unavailable: scheduled jobs back off until it answers']);
    reachable = true;
    // Backoff is capped at 800 ms and ticks come every second: a tick soon after runs it.
    await expect.poll(() => runs, { timeout: 3_000 }).toBeGreaterThanOrEqual(1);
    await runner.stop();
    expect(infos).toEqual(['database answers again: scheduled jobs resume']);
  });
});
