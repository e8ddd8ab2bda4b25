import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { rateCompletedCalls, recordPayment } from '../../src/billing/index.js';
import { CUTOFF_MARGIN_MS } from '../../src/calls/call-meter.js';
import { SipAccountStore } from '../../src/calls/index.js';
import { chargingHistory, creditGauge } from '../../src/charging/index.js';
import { activeSuspensions, callPolicy, liftSuspensions, suspend } from '../../src/entitlements/index.js';
import { billingOf, local } from '../billing/support.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { Calls, monthFees, subscribersWithLimits, testMeter } from './support.js';

/** 0.30 yuan a minute in 6-second increments: 3 fen an increment; 100 minutes included. */
const plan = { perMinuteRatePrecise: 30_0000, billingIncrementSeconds: 6, includedMinutes: 100 };
const minutes = (n: number) => n * 60_000;

/**
 * Clause 9 as stories on the test clock: the proxy's meter over the real charging module. Every
 * call's fees are also rated by the bill's rating pass from the same `call.completed` events, and
 * the two figures agree.
 */
describe.each(engines)('credit limits in real time on %s (clause 9)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: { id: string; number: string };
    let bob: { id: string; number: string };
    let carol: { id: string; number: string };
    let dave: { id: string; number: string };
    let erin: { id: string; number: string };
    let policy: ReturnType<typeof callPolicy>;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: { VP_CREDIT_SLICE_SECONDS: '60' } });
      const people = await subscribersWithLimits(
        service,
        [
          { name: '爱丽丝', limitFen: 50_00 },
          { name: '鲍勃', limitFen: 50_00 },
          { name: '卡罗尔', limitFen: 3_00 },
          { name: '戴夫', limitFen: 1_20 },
          { name: '艾琳', limitFen: 30 },
        ],
        plan,
      );
      [alice, bob, carol, dave, erin] = people as [typeof alice, typeof alice, typeof alice, typeof alice, typeof alice];
      policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
    }, 120_000);
    afterAll(() => service?.close());

    it('Alice (limit 50.00, 100 minutes included) talks 90 minutes, then 200 more: cut when the fees reach 50.00, outgoing blocked, still reachable; pays 50.00 and calls again', async () => {
      const { meter, timers, endings } = testMeter(service);
      const calls = new Calls(service, meter);
      service.clock.set(local('2026-01-05 09:00'));
      expect((await calls.dial('a1', alice.number)).kind).toBe('granted');
      calls.answer('a1');
      await timers.runUntil(local('2026-01-05 10:30'), meter);
      await calls.hangUp('a1');
      await calls.published('a1', local('2026-01-05 10:30'));
      expect(endings).toEqual([]);
      expect((await monthFees(service, alice.id, '2026-01-01')).charging).toBe(0);

      // 10 included minutes are left, then 50.00 buys 1,666 increments of 6 s (49.98); the 1,667th would be 50.01.
      service.clock.set(local('2026-01-05 11:00'));
      expect((await calls.dial('a2', alice.number)).kind).toBe('granted');
      calls.answer('a2');
      await timers.runUntil(local('2026-01-05 14:20'), meter);
      // The proxy ends it a quarter second before its paid time is up (CUTOFF_MARGIN_MS).
      const cutAt = new Date(local('2026-01-05 11:00').getTime() + minutes(10) + 1_666 * 6_000 - CUTOFF_MARGIN_MS);
      expect(endings).toEqual([{ callId: 'a2', at: cutAt, how: 'hung-up', status: 402 }]);
      await calls.published('a2', cutAt);
      const fees = await monthFees(service, alice.id, '2026-01-01');
      expect(fees.charging).toBe(49_98);
      expect(5_000 - fees.charging).toBeLessThanOrEqual(3);

      // The month's bill rates the same calls to the same fen.
      await rateCompletedCalls(service.ctx, service.clock.now());
      expect((await monthFees(service, alice.id, '2026-01-01')).rated).toBe(49_98);

      // Suspended for outgoing calls (the default scope), reachable, refused with 402 and the reason.
      expect((await activeSuspensions(service.ctx.db, alice.id)).map((s) => [s.cause, s.blocks])).toEqual([['credit-limit', 'outgoing']]);
      const at = service.clock.now();
      expect(await policy.authorizeCall({ caller: alice.number, callee: bob.number, at })).toEqual({
        allow: false,
        status: 402,
        reason: 'Credit limit reached',
      });
      expect(await policy.authorizeCall({ caller: bob.number, callee: alice.number, at })).toEqual({ allow: true });
      const history = await chargingHistory(service.ctx, alice.id);
      expect(history.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['cutoff', 'exhausted', 'alert', 'authorized']));
      expect((await creditGauge(service.ctx, alice.id))?.alerts.map((a) => a.percent)).toEqual([80, 100]);

      // Paying the fees incurred (no bill yet: an interim payment) lifts the block within the job's second.
      service.clock.set(local('2026-01-05 15:00'));
      const paid = await recordPayment(
        billingOf(service),
        {
          subscriberId: alice.id,
          provider: 'cashier',
          externalReference: 'alice-1',
          amountFen: 50_00,
          paidAt: service.clock.now(),
          channel: 'manual',
        },
        systemActor,
      );
      expect(paid.ok).toBe(true);
      service.clock.advance({ seconds: 1 });
      await service.jobs.runOnce('charging.follow');
      expect(await activeSuspensions(service.ctx.db, alice.id)).toEqual([]);
      expect(await policy.authorizeCall({ caller: alice.number, callee: bob.number, at: service.clock.now() })).toEqual({ allow: true });
      expect((await calls.dial('a3', alice.number)).kind).toBe('granted');
      await calls.hangUp('a3');
    });

    it('two parallel calls of Carol share her last 3.00 and both end at the same moment', async () => {
      const { meter, timers, endings } = testMeter(service);
      const calls = new Calls(service, meter);
      // Carol's 100 included minutes first go in one call.
      service.clock.set(local('2026-01-06 08:00'));
      await calls.dial('c0', carol.number);
      calls.answer('c0');
      await timers.runUntil(local('2026-01-06 09:40'), meter);
      await calls.hangUp('c0');
      await calls.published('c0', local('2026-01-06 09:40'));
      expect(endings).toEqual([]);

      service.clock.set(local('2026-01-06 10:00'));
      await calls.dial('c1', carol.number);
      calls.answer('c1');
      await timers.runUntil(local('2026-01-06 10:01:30'), meter);
      await calls.dial('c2', carol.number);
      calls.answer('c2');
      await timers.runUntil(local('2026-01-06 11:00'), meter);
      expect(endings.map((e) => e.callId).sort()).toEqual(['c1', 'c2']);
      expect(endings[0]!.at).toEqual(endings[1]!.at);
      for (const ending of endings) await calls.published(ending.callId, ending.at);
      const fees = await monthFees(service, carol.id, '2026-01-01');
      // Never more than the limit; at most one increment per call in progress left unspent.
      expect(fees.charging).toBeLessThanOrEqual(3_00);
      expect(fees.charging).toBeGreaterThanOrEqual(3_00 - 2 * 3);
      await rateCompletedCalls(service.ctx, service.clock.now());
      expect((await monthFees(service, carol.id, '2026-01-01')).rated).toBe(fees.charging);
    });

    it('a call of Dave still ringing when his headroom goes is cancelled with 402', async () => {
      const { meter, timers, endings } = testMeter(service);
      const calls = new Calls(service, meter);
      service.clock.set(local('2026-01-07 08:00'));
      await calls.dial('d0', dave.number);
      calls.answer('d0');
      await timers.runUntil(local('2026-01-07 09:40'), meter);
      await calls.hangUp('d0');
      await calls.published('d0', local('2026-01-07 09:40'));

      // 1.20 is four minutes at 0.30: the first call talks, the second rings and is never answered.
      service.clock.set(local('2026-01-07 10:00'));
      await calls.dial('d1', dave.number);
      calls.answer('d1');
      await timers.runUntil(local('2026-01-07 10:00:30'), meter);
      expect((await calls.dial('d2', dave.number)).kind).toBe('granted');
      await timers.runUntil(local('2026-01-07 10:30'), meter);
      expect(endings.map((e) => [e.callId, e.how, e.status]).sort()).toEqual([
        ['d1', 'hung-up', 402],
        ['d2', 'abandoned', 402],
      ]);
      expect(endings[0]!.at).toEqual(endings[1]!.at);
      await calls.published('d1', endings.find((e) => e.callId === 'd1')!.at);
      expect((await monthFees(service, dave.id, '2026-01-01')).charging).toBeLessThanOrEqual(1_20);
      // Nothing stays held.
      expect((await creditGauge(service.ctx, dave.id))?.reservedFen).toBe(0);
    });

    it('Erin, blocked at her limit in January, has a new headroom on February 1', async () => {
      const { meter, timers } = testMeter(service);
      const calls = new Calls(service, meter);
      service.clock.set(local('2026-01-20 08:00'));
      await calls.dial('e0', erin.number);
      calls.answer('e0');
      await timers.runUntil(local('2026-01-20 11:00'), meter);
      expect((await activeSuspensions(service.ctx.db, erin.id)).map((s) => s.cause)).toEqual(['credit-limit']);
      service.clock.set(local('2026-01-31 23:59'));
      await service.jobs.runOnce('charging.follow');
      expect((await activeSuspensions(service.ctx.db, erin.id)).map((s) => s.cause)).toEqual(['credit-limit']);
      service.clock.set(local('2026-02-01 00:00:01'));
      await service.jobs.runOnce('charging.follow');
      expect(await activeSuspensions(service.ctx.db, erin.id)).toEqual([]);
      expect((await calls.dial('e1', erin.number)).kind).toBe('granted');
      await calls.hangUp('e1');
    });

    it('a judicial suspension and Bob’s credit-limit block overlap and lift one by one', async () => {
      const { meter, timers } = testMeter(service);
      const calls = new Calls(service, meter);
      service.clock.set(local('2026-02-02 08:00'));
      await calls.dial('b0', bob.number);
      calls.answer('b0');
      // 100 included minutes, then 50.00 of calls: cut before 15:00.
      await timers.runUntil(local('2026-02-02 15:00'), meter);
      await suspend(
        service.ctx,
        { subscriberId: bob.id, cause: 'judicial', reference: 'court-1' },
        { type: 'staff', id: null, name: 'test' },
      );
      expect((await activeSuspensions(service.ctx.db, bob.id)).map((s) => s.cause).sort()).toEqual(['credit-limit', 'judicial']);
      await recordPayment(
        billingOf(service),
        {
          subscriberId: bob.id,
          provider: 'cashier',
          externalReference: 'bob-1',
          amountFen: 50_00,
          paidAt: service.clock.now(),
          channel: 'manual',
        },
        systemActor,
      );
      service.clock.advance({ seconds: 1 });
      await service.jobs.runOnce('charging.follow');
      // Paid: the credit-limit block is gone, the court's order stays and still blocks everything.
      expect((await activeSuspensions(service.ctx.db, bob.id)).map((s) => s.cause)).toEqual(['judicial']);
      const at = service.clock.now();
      expect((await policy.authorizeCall({ caller: bob.number, callee: alice.number, at })).allow).toBe(false);
      await liftSuspensions(service.ctx, { subscriberId: bob.id, cause: 'judicial' }, { type: 'staff', id: null, name: 'test' });
      expect(await policy.authorizeCall({ caller: bob.number, callee: alice.number, at })).toEqual({ allow: true });
    });

    it('a renewal that arrives after its call was settled takes no hold again', async () => {
      service.clock.set(local('2026-02-03 09:00'));
      const at = service.clock.now();
      const charging = service.charging;
      expect(await charging.authorize({ callKey: 'race', caller: bob.number, at })).toMatchObject({ granted: true });
      expect(await charging.answered({ callKey: 'race', caller: bob.number, recordId: randomUUID(), at })).toMatchObject({ granted: true });
      await charging.ended({ callKey: 'race', caller: bob.number, recordId: null, answeredAt: null, endedAt: at });
      const later = new Date(at.getTime() + 59_000);
      expect(await charging.renew({ callKey: 'race', caller: bob.number, at: later, answeredAt: at })).toEqual({
        granted: false,
        reason: 'not-held',
      });
      expect(await service.ctx.db.selectFrom('charging_reservations').select('call_key').where('call_key', '=', 'race').execute()).toEqual(
        [],
      );
    });
  });
});
