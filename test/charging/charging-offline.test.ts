import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { correctAccountPlan } from '../../src/billing/index.js';
import { changeCreditLimit, chargingBudget } from '../../src/charging/index.js';
import { TestClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createService } from '../../src/service.js';
import { addPlan } from '../billing/support.js';
import { PrivatePostgres, privatePostgresAvailable } from '../support/private-postgres.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';
import { Calls, testMeter } from './support.js';

/**
 * When the charging store (the database) cannot be reached, the operator's setting decides: refuse
 * new calls (the default), or allow each a fixed budget. A call in progress runs to the end of the
 * time it holds, and no further.
 */
describe.skipIf(!privatePostgresAvailable)('charging while its database is down', () => {
  let postgres: PrivatePostgres;
  const services: TestService[] = [];
  let alice: { id: string; number: string };

  // One clock for every service of the file: time never runs backwards between them.
  const clock = new TestClock(new Date());

  async function startService(env: Record<string, string> = {}): Promise<TestService> {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-charging-offline-')),
      DATA_KEYS: `test:${randomBytes(32).toString('base64')}`,
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: '3',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      DATABASE_QUERY_TIMEOUT_MS: '1000',
      SIP_ENABLED: 'false',
      JOBS_ENABLED: 'false',
      ...env,
    });
    const service = await createService(config, { clock, logger: pino({ level: 'silent' }), webRoot: null });
    const test = { ...service, clock } as TestService;
    services.push(test);
    return test;
  }

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
    await postgres.start();
    const service = await startService();
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    const person = await activeIndividual(service, reviewer, '爱丽丝');
    await service.jobs.runOnce('billing.cycle');
    await correctAccountPlan(service.ctx, person.id, await addPlan(service, { perMinuteRatePrecise: 60_0000, includedMinutes: 0 }));
    await changeCreditLimit(service.ctx, service.charging, { subscriberId: person.id, limitFen: 100_00, by: 'staff' }, systemActor);
    alice = { id: person.id, number: person.number };
  }, 90_000);
  afterAll(async () => {
    for (const service of services) await service.close().catch(() => undefined);
    await postgres?.destroy();
  });

  it('refuses new calls with 503 by default; a call in progress ends when its granted minute does', async () => {
    await postgres.ensureStarted();
    const service = await startService({ VP_CREDIT_SLICE_SECONDS: '60' });
    const { meter, timers, endings } = testMeter(service);
    const calls = new Calls(service, meter);
    expect((await calls.dial('talking', alice.number)).kind).toBe('granted');
    calls.answer('talking');
    await meter.idle();
    const answeredAt = service.clock.now().getTime();

    await postgres.stop();
    const budget = chargingBudget(service.charging, service.config.settings, pino({ level: 'silent' }));
    expect(await budget.authorize({ callKey: 'new', caller: alice.number, at: service.clock.now() })).toEqual({
      kind: 'refused',
      status: 503,
      reason: 'Charging unavailable',
    });
    // The renewal a second before the minute is up finds no database: the call ends with its minute.
    await timers.runUntil(new Date(answeredAt + 120_000), meter);
    expect(endings).toHaveLength(1);
    expect(endings[0]).toMatchObject({ callId: 'talking', how: 'hung-up', status: 503 });
    expect(endings[0]!.at.getTime() - answeredAt).toBeLessThanOrEqual(60_000);
    expect(endings[0]!.at.getTime() - answeredAt).toBeGreaterThan(59_000);
  }, 60_000);

  it('a number known not to be charged keeps calling while the database is down, even after a terms change was announced', async () => {
    await postgres.ensureStarted();
    const service = await startService();
    const stranger = '7100000099';
    expect(await service.charging.termsOf(stranger, service.clock.now())).toBeNull();
    await postgres.stop();
    // Another node changed someone's terms (or Redis came back): everything kept is to be read again.
    service.charging.forgetLocally();
    expect(await service.charging.termsOf(stranger, service.clock.now())).toBeNull();
    await expect(service.charging.termsOf(alice.number, service.clock.now())).rejects.toThrow();
  }, 60_000);

  it('with VP_CREDIT_OFFLINE_POLICY=allow grants each new call its offline budget once, and no more', async () => {
    await postgres.ensureStarted();
    const service = await startService({ VP_CREDIT_OFFLINE_POLICY: 'allow', VP_CREDIT_OFFLINE_BUDGET_SECONDS: '120' });
    await postgres.stop();
    const budget = chargingBudget(service.charging, service.config.settings, pino({ level: 'silent' }));
    const at = service.clock.now();
    expect(await budget.authorize({ callKey: 'offline', caller: alice.number, at })).toEqual({
      kind: 'granted',
      until: new Date(at.getTime() + 120_000),
    });
    service.clock.advance({ seconds: 119 });
    expect(await budget.renew({ callKey: 'offline', caller: alice.number, at: service.clock.now(), answeredAt: null })).toEqual({
      kind: 'granted',
      until: new Date(at.getTime() + 120_000),
    });
    service.clock.advance({ seconds: 2 });
    expect(await budget.renew({ callKey: 'offline', caller: alice.number, at: service.clock.now(), answeredAt: null })).toMatchObject({
      kind: 'refused',
      status: 503,
    });
  }, 60_000);
});
