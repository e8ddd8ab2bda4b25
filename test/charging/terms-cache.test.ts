import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { assignBillingNumber, correctAccountPlan } from '../../src/billing/index.js';
import { ANNOUNCED_TERMS_CACHE_MS, changeCreditLimit, Charging } from '../../src/charging/index.js';
import { TestClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import type { DatabaseHandle } from '../../src/platform/db/index.js';
import { createService, type Service } from '../../src/service.js';
import { addPlan } from '../billing/support.js';
import { available, engines, openTestDatabase } from '../support/engines.js';
import { freePort } from '../support/process.js';
import { OwnRedis } from '../support/sip-nodes.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { subscribersWithLimits } from './support.js';

/** 0.30 yuan a minute in 6-second increments, 100 minutes included. */
const plan = { perMinuteRatePrecise: 30_0000, billingIncrementSeconds: 6, includedMinutes: 100 };
const ci = process.env.CI === 'true';

/**
 * Clause 9 needs every node to charge a call under the terms in force: the credit limit, whose
 * number it is, the plan. Each node keeps them in memory (every REGISTER and INVITE asks), so each
 * change must reach every cache: at once on the node that made it, through Redis on the others.
 */
describe.each(engines)('charging terms kept in memory on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      [alice] = (await subscribersWithLimits(service, [{ name: '爱丽丝', limitFen: 50_00 }], plan)) as [typeof alice];
    }, 120_000);
    afterAll(() => service?.close());

    it('a number assigned after its calls were found "not charged" is charged from its next call, not a cache lifetime later', async () => {
      const extra = `71${randomBytes(3).readUIntBE(0, 3).toString().padStart(8, '0')}`;
      const now = service.clock.now();
      expect(await service.charging.termsOf(extra, now)).toBeNull();
      await assignBillingNumber(service.ctx, alice.id, extra);
      expect(await service.charging.termsOf(extra, service.clock.now())).toMatchObject({ subscriberId: alice.id, limitFen: 50_00 });
    });

    it('a plan corrected is the rate of the next call', async () => {
      const before = await service.charging.termsOf(alice.number, service.clock.now());
      expect(before?.rate.perMinuteRatePrecise).toBe(30_0000);
      const dearer = await addPlan(service, { ...plan, perMinuteRatePrecise: 60_0000 });
      await correctAccountPlan(service.ctx, alice.id, dearer);
      const after = await service.charging.termsOf(alice.number, service.clock.now());
      expect(after?.rate.perMinuteRatePrecise).toBe(60_0000);
    });

    it('terms read while they were being forgotten are not kept: the next call reads them again', async () => {
      await service.charging.termsOf(alice.number, service.clock.now());
      const setLimitBehindItsBack = (fen: number) =>
        sql`update credit_limits set limit_fen = ${fen} where subscriber_id = ${alice.id}`.execute(service.ctx.db);
      service.charging.forgetLocally();
      // The read goes out with the turn's other asks; the forgetting comes before its answer.
      const inFlight = service.charging.termsOf(alice.number, new Date(service.clock.now().getTime() + 1));
      service.charging.forgetLocally();
      await inFlight;
      // Changed without telling charging: only a read that was not kept can find it.
      await setLimitBehindItsBack(7_77);
      expect((await service.charging.termsOf(alice.number, service.clock.now()))?.limitFen).toBe(7_77);
      await setLimitBehindItsBack(50_00);
      service.charging.forgetLocally();
    });

    it('a number released at a known instant is read again by a call placed after it', async () => {
      const at = service.clock.now();
      await service.charging.termsOf(alice.number, at);
      const releasedAt = new Date(at.getTime() + 60_000);
      // A release written behind charging's back, effective a minute from now (as a quarantine ends).
      await sql`update billing_numbers set released_at = ${releasedAt} where number = ${alice.number} and released_at is null`.execute(
        service.ctx.db,
      );
      service.charging.forgetLocally();
      expect(await service.charging.termsOf(alice.number, at)).not.toBeNull();
      expect(await service.charging.termsOf(alice.number, new Date(releasedAt.getTime() + 1))).toBeNull();
      await sql`update billing_numbers set released_at = null where number = ${alice.number} and released_at = ${releasedAt}`.execute(
        service.ctx.db,
      );
      service.charging.forgetLocally();
    });

    describe('a call setup takes known terms while they are read again behind it (stale-while-revalidate)', () => {
      // A charging of its own, on a clock the test moves: terms live 1 s, and may be used up to 10 s after that.
      const wall = { now: 1_000_000 };
      let charging: Charging;
      const setLimitBehindItsBack = (fen: number) =>
        sql`update credit_limits set limit_fen = ${fen} where subscriber_id = ${alice.id}`.execute(service.ctx.db);
      const limit = async (options: { setup?: boolean } = {}) =>
        (await charging.termsOf(alice.number, service.clock.now(), options))?.limitFen;

      beforeEach(async () => {
        charging = new Charging(service.ctx, 'swr', { termsCacheMs: 1_000, revalidateMs: 10_000, wallClock: () => wall.now });
        await setLimitBehindItsBack(50_00);
        expect(await limit()).toBe(50_00);
        await setLimitBehindItsBack(7_77);
      });
      afterAll(() => setLimitBehindItsBack(50_00));

      it('past their lifetime, a call setup is answered at once from what was known, and the next one sees the new terms', async () => {
        wall.now += 1_500;
        expect(await limit({ setup: true })).toBe(50_00);
        await charging.idle();
        await setLimitBehindItsBack(9_99);
        // Read again behind the first call: the second finds the change, fresh for another lifetime.
        expect(await limit({ setup: true })).toBe(7_77);
      });

      it('settling fees does not take terms past their lifetime: it reads them', async () => {
        wall.now += 1_500;
        expect(await limit()).toBe(7_77);
      });

      it('past the revalidation window, a call setup waits for the terms', async () => {
        wall.now += 11_500;
        expect(await limit({ setup: true })).toBe(7_77);
      });

      it('forgotten terms (a change announced) are read before the next call setup', async () => {
        charging.forgetLocally();
        expect(await limit({ setup: true })).toBe(7_77);
      });

      it('a registration on another node reads terms this node lacks behind it, and leaves known ones to their calls', async () => {
        const other = new Charging(service.ctx, 'swr-other', { termsCacheMs: 1_000, revalidateMs: 10_000, wallClock: () => wall.now });
        other.learnIfUnknown(alice.number, service.clock.now());
        await other.idle();
        await setLimitBehindItsBack(9_99);
        // Read behind the registration (7.77), fresh: the call finds them without a read of its own.
        expect((await other.termsOf(alice.number, service.clock.now()))?.limitFen).toBe(7_77);
        // Known, even expired: another registration elsewhere reads nothing; the call setup does, behind itself.
        wall.now += 1_500;
        other.learnIfUnknown(alice.number, service.clock.now());
        await other.idle();
        expect((await other.termsOf(alice.number, service.clock.now(), { setup: true }))?.limitFen).toBe(7_77);
        await other.idle();
        expect((await other.termsOf(alice.number, service.clock.now(), { setup: true }))?.limitFen).toBe(9_99);
      });

      it('a registration reads expired terms again behind it, so the next call finds them fresh', async () => {
        wall.now += 1_500;
        charging.learn(alice.number, service.clock.now());
        await charging.idle();
        await setLimitBehindItsBack(9_99);
        // Within the lifetime the registration's read began: no read of its own, the 7.77 it brought.
        expect(await limit()).toBe(7_77);
      });
    });
  });
});

/**
 * Two nodes (two services in this process, each with its own Redis connections and its own
 * charging) on one PostgreSQL schema and the test's own Redis.
 */
describe.skipIf(!available.postgres && !ci)('charging terms across nodes sharing PostgreSQL and Redis (clause 9, issue #17)', () => {
  const dirs: string[] = [];
  let redis: OwnRedis;
  let database: DatabaseHandle;
  let a: TestService;
  let b: Service;
  let alice: { id: string; number: string };
  const clock = new TestClock('2026-01-01T00:00:00Z');

  const node = async (name: string): Promise<Service> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vp-terms-'));
    dirs.push(dir);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATA_KEYS: `test:${randomBytes(32).toString('base64')}`,
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000',
      APPLICATION_RATE_LIMIT_PER_MINUTE: '10000',
      SIP_ENABLED: 'false',
      REDIS_URL: redis.url,
      NODE_ID: name,
    });
    return createService(config, { clock, database, logger: pino({ level: 'silent' }), webRoot: null });
  };

  beforeAll(async () => {
    const redisDir = mkdtempSync(path.join(tmpdir(), 'vp-terms-redis-'));
    dirs.push(redisDir);
    redis = new OwnRedis(await freePort('127.0.0.1'), redisDir);
    await redis.start();
    database = await openTestDatabase('postgres', { migrated: true });
    a = { ...(await node('a')), clock };
    b = await node('b');
    [alice] = (await subscribersWithLimits(a, [{ name: '爱丽丝', limitFen: 50_00 }], plan)) as [typeof alice];
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
    await redis?.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const limitOnB = async () => (await b.charging.termsOf(alice.number, clock.now()))?.limitFen;

  it('a credit limit lowered on node A holds on node B from its next grant', async () => {
    expect(await limitOnB()).toBe(50_00);
    const changed = await changeCreditLimit(a.ctx, a.charging, { subscriberId: alice.id, limitFen: 1_00, by: 'staff' }, systemActor);
    expect(changed.ok).toBe(true);
    // Redis carries the word in well under a second; the cache alone would keep 50.00 for minutes.
    await expect.poll(limitOnB, { timeout: 3_000, interval: 20 }).toBe(1_00);
    expect(ANNOUNCED_TERMS_CACHE_MS).toBeGreaterThan(3_000);
  });

  it('after losing Redis, node B forgets what it kept: a change announced while it was away is not missed', async () => {
    expect(await limitOnB()).toBe(1_00);
    await redis.kill();
    // Announced into the void: Redis is down, the message is lost.
    const changed = await changeCreditLimit(a.ctx, a.charging, { subscriberId: alice.id, limitFen: 20_00, by: 'staff' }, systemActor);
    expect(changed.ok).toBe(true);
    expect(await limitOnB()).toBe(1_00);
    await redis.start();
    await expect.poll(limitOnB, { timeout: 10_000, interval: 50 }).toBe(20_00);
  }, 30_000);
});
