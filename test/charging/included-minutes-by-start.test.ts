import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditGauge } from '../../src/charging/index.js';
import { local } from '../billing/support.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { Calls, subscribersWithLimits, testMeter } from './support.js';

/**
 * A day of calls on `day` (Beijing): a meter of its own, the calls it places, and `at`, which moves
 * the meter's timers and then the service clock to a time of that day.
 */
function dayOfCalls(service: TestService, day: string): { calls: Calls; at: (time: string) => Promise<void> } {
  const { meter, timers } = testMeter(service);
  return {
    calls: new Calls(service, meter),
    at: async (time) => {
      await timers.runUntil(local(`${day} ${time}`), meter);
      service.clock.set(local(`${day} ${time}`));
    },
  };
}

/**
 * Real-time charging gives included minutes in the bill's order, the order calls started (issue #18
 * item 3), even though calls settle in the order they end. Plan: 5 included minutes, then 1.00 a
 * minute, whole minutes, grants of 2 minutes at a time. Alice's first call is answered at 08:00 and
 * lasts 10 minutes; her second, answered at 08:01 on another line, lasts 3 minutes and ends first.
 */
describe.each(engines)('included minutes by call start in real-time charging, on %s', (engine) => {
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

    it('the long call started first takes the 5 included minutes (5.00 charged), the short one pays all its 3 (3.00)', async () => {
      const { calls, at } = dayOfCalls(service, '2026-01-12');
      await at('08:00');
      expect((await calls.dial('long', alice.number)).kind).toBe('granted');
      calls.answer('long');
      await at('08:01');
      expect((await calls.dial('short', alice.number)).kind).toBe('granted');
      calls.answer('short');
      await at('08:04');
      await calls.hangUp('short');
      await at('08:10');
      await calls.hangUp('long');

      // The long call first.
      const { rows } = await sql<{ included_seconds: number; charge_fen: number }>`
        select included_seconds, charge_fen::int as charge_fen from charging_usage
        where subscriber_id = ${alice.id} order by duration_ms desc`.execute(service.ctx.db);
      expect(rows.map((r) => ({ included: r.included_seconds, fen: r.charge_fen }))).toEqual([
        { included: 300, fen: 5_00 },
        { included: 0, fen: 3_00 },
      ]);
      const month = await service.ctx.db
        .selectFrom('charging_months')
        .select(['settled_fen', 'settled_included_seconds'])
        .where('subscriber_id', '=', alice.id)
        .executeTakeFirstOrThrow();
      expect({ fen: Number(month.settled_fen), included: Number(month.settled_included_seconds) }).toEqual({ fen: 8_00, included: 300 });
    });

    it('of two calls answered in the same millisecond, the one first by record id takes the included minutes, even when the other ends first', async () => {
      const { calls, at } = dayOfCalls(service, '2026-02-12');
      await at('08:00');
      for (const call of ['a', 'b']) {
        expect((await calls.dial(call, alice.number)).kind).toBe('granted');
        calls.answer(call);
      }
      // The bill's order for equal starts is the record id: the first by it lasts 10 minutes, the other 3.
      const [first, second] = ['a', 'b'].sort((x, y) => (calls.recordId(x) < calls.recordId(y) ? -1 : 1)) as [string, string];
      await at('08:03');
      await calls.hangUp(second);
      await at('08:10');
      await calls.hangUp(first);

      const { rows } = await sql<{ record_id: string; included_seconds: number; charge_fen: number }>`
        select record_id, included_seconds, charge_fen::int as charge_fen from charging_usage
        where subscriber_id = ${alice.id} and period = '2026-02-01'`.execute(service.ctx.db);
      const usage = (callId: string) => rows.find((r) => r.record_id === calls.recordId(callId));
      expect({ first: usage(first), second: usage(second) }).toMatchObject({
        first: { included_seconds: 300, charge_fen: 5_00 },
        second: { included_seconds: 0, charge_fen: 3_00 },
      });
    });

    it('a later call’s hold pays for the included minutes an earlier call takes when it is granted more', async () => {
      const { calls, at } = dayOfCalls(service, '2026-03-12');
      await at('08:00:00');
      expect((await calls.dial('early', alice.number)).kind).toBe('granted');
      calls.answer('early');
      await at('08:01:00');
      expect((await calls.dial('late', alice.number)).kind).toBe('granted');
      calls.answer('late');
      // Early holds 2 minutes, late 2: four of the five included minutes, nothing to pay.
      expect((await creditGauge(service.ctx, alice.id))?.reservedFen).toBe(0);
      // Before 08:02 early is granted 2 minutes more: 4 included minutes are its own, late keeps 1 and
      // pays 1, and what late holds (the gauge's sum) says so.
      await at('08:02:30');
      expect(await creditGauge(service.ctx, alice.id)).toMatchObject({ callsInProgress: 2, reservedFen: 1_00 });
      await calls.hangUp('late');
      await calls.hangUp('early');
    });
  });
});
