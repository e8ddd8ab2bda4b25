import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditGauge } from '../../src/charging/index.js';
import { local } from '../billing/support.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { Calls, subscribersWithLimits, testMeter } from './support.js';

/**
 * What calls in progress hold is priced as the bill will price them (included minutes by start),
 * also after a call that started earlier takes more time: the credit gauge shows it. Plan: 5
 * included minutes, then 1.00 a minute, whole minutes; grants of 2 minutes at a time.
 */
describe.each(engines)('what calls in progress hold, on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: { VP_CREDIT_SLICE_SECONDS: '120' } });
      alice = (
        await subscribersWithLimits(service, [{ name: '爱丽丝', limitFen: 100_00 }], {
          includedMinutes: 5,
          perMinuteRatePrecise: 1_00_0000,
          billingIncrementSeconds: 60,
        })
      )[0]!;
    }, 120_000);
    afterAll(() => service?.close());

    it('a later call’s hold pays for the included minutes an earlier call takes when it is granted more', async () => {
      const { meter, timers } = testMeter(service);
      const calls = new Calls(service, meter);
      const at = async (time: string) => {
        await timers.runUntil(local(`2026-01-12 ${time}`), meter);
        service.clock.set(local(`2026-01-12 ${time}`));
      };
      await at('08:00:00');
      expect((await calls.dial('early', alice.number)).kind).toBe('granted');
      calls.answer('early');
      await at('08:01:00');
      expect((await calls.dial('late', alice.number)).kind).toBe('granted');
      calls.answer('late');
      // Early holds 2 minutes, late 2: four of the five included minutes, nothing to pay.
      expect((await creditGauge(service.ctx, alice.id))?.reservedFen).toBe(0);
      // Before 08:02 early is granted 2 minutes more: 4 included minutes are its own, late keeps 1 and pays 1.
      await at('08:02:30');
      const gauge = await creditGauge(service.ctx, alice.id);
      expect(gauge).toMatchObject({ callsInProgress: 2, reservedFen: 1_00 });
      await calls.hangUp('late');
      await calls.hangUp('early');
    });
  });
});
