import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import {
  addCall,
  addPlan,
  addSubscriber,
  advanceTo,
  billFor,
  chargesOfCall,
  expectChargesFollowStartOrder,
  expectIncludedUsageMatchesCharges,
  local,
  noDunning,
} from './support.js';

/**
 * Issue #18, item 3: the month's included minutes go to calls in the order they started (answered_at,
 * ties by call record id), as the agreement and CGRateS/A2Billing count them, whatever order they end
 * and are rated in. 100 included minutes, then 0.15 a minute in 6 s increments: 606 s charged is
 * 101 increments of 1.5 fen, 151.5 fen, rounded once per call to 1.52; two such calls are 3.04 where
 * one call charged 1,212 s is 3.03, so the order shows in the fen.
 */
const plan = { includedMinutes: 100, perMinuteRatePrecise: 15_0000, billingIncrementSeconds: 6, monthlyRentFen: 30_00 };

describe.each(engines)('included minutes consumed in order of call start on %s (clause 5)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: { id: string; number: string };
    let carol: { id: string; number: string };
    let tariff: Parameters<typeof expectChargesFollowStartOrder>[1];
    const calls = { a: '', b: '', c: '', d: '' };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: noDunning });
      const planId = await addPlan(service, plan);
      tariff = { planId, ...plan };
      alice = await addSubscriber(service, planId, '2026-01-01');
      carol = await addSubscriber(service, planId, '2026-01-01');
    });
    afterAll(() => service?.close());

    it('Jan 10: Alice answers a long call A at 10:00 and a short call B at 10:30; B ends at 10:40:06 and is rated first, inside the 100 minutes', async () => {
      service.clock.set(local('2026-01-10 10:45'));
      calls.b = await addCall(service, alice.number, { answeredAt: local('2026-01-10 10:30'), durationMs: 606_000 });
      await advanceTo(service, '2026-01-10 10:45');
      expect(await chargesOfCall(service, calls.b)).toEqual([
        { kind: 'rating', included: 606, charged: 0, fen: 0, billPeriod: '2026-01-01' },
      ]);
    });

    it('A ends at 11:50:06: it started first, so it takes the 100 minutes (6,000 s) and pays 1.52 for 606 s; B is corrected to 606 s charged, +1.52', async () => {
      service.clock.set(local('2026-01-10 11:55'));
      calls.a = await addCall(service, alice.number, { answeredAt: local('2026-01-10 10:00'), durationMs: 6_606_000 });
      await advanceTo(service, '2026-01-10 11:55');
      expect(await chargesOfCall(service, calls.a)).toEqual([
        { kind: 'rating', included: 6_000, charged: 606, fen: 1_52, billPeriod: '2026-01-01' },
      ]);
      // call_charges is append-only: B's first rating stays, a correction holds the difference.
      expect(await chargesOfCall(service, calls.b)).toEqual([
        { kind: 'rating', included: 606, charged: 0, fen: 0, billPeriod: '2026-01-01' },
        { kind: 'correction', included: -606, charged: 606, fen: 1_52, billPeriod: '2026-01-01' },
      ]);
      await expectChargesFollowStartOrder(service, tariff);
      await expectIncludedUsageMatchesCharges(service);
    });

    it('Jan 31: Carol answers C at 22:00 and D at 23:00; D ends at 23:10:06 and is rated first, inside her 100 minutes', async () => {
      service.clock.set(local('2026-01-31 23:30'));
      calls.d = await addCall(service, carol.number, { answeredAt: local('2026-01-31 23:00'), durationMs: 606_000 });
      await advanceTo(service, '2026-01-31 23:30');
      expect(await chargesOfCall(service, calls.d)).toEqual([
        { kind: 'rating', included: 606, charged: 0, fen: 0, billPeriod: '2026-01-01' },
      ]);
    });

    it('Feb 1: Alice’s January bill is rent 30.00, calls 1.52 and the correction 1.52: 33.04 (in order of end it would be 33.03); Carol’s is 30.00', async () => {
      await advanceTo(service, '2026-02-01 00:00');
      const january = await billFor(service, alice.id, '2026-01-01');
      expect(january.lines).toEqual([
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'usage', amountFen: 1_52 },
        { kind: 'correction', amountFen: 1_52 },
      ]);
      expect(january.totalFen).toBe(33_04);
      const carols = await billFor(service, carol.id, '2026-01-01');
      expect(carols.lines).toEqual([
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'usage', amountFen: 0 },
      ]);
    });

    it('C ends at 00:00:06 on Feb 1, after January was billed: it takes January’s 100 minutes and pays 3.02 for 1,206 s; D’s correction, +1.52, goes to February’s bill', async () => {
      service.clock.set(local('2026-02-01 00:05'));
      calls.c = await addCall(service, carol.number, { answeredAt: local('2026-01-31 22:00'), durationMs: 7_206_000 });
      await advanceTo(service, '2026-02-01 00:05');
      expect(await chargesOfCall(service, calls.c)).toEqual([
        { kind: 'rating', included: 6_000, charged: 1_206, fen: 3_02, billPeriod: '2026-02-01' },
      ]);
      expect(await chargesOfCall(service, calls.d)).toEqual([
        { kind: 'rating', included: 606, charged: 0, fen: 0, billPeriod: '2026-01-01' },
        { kind: 'correction', included: -606, charged: 606, fen: 1_52, billPeriod: '2026-02-01' },
      ]);
      await expectChargesFollowStartOrder(service, tariff);
      await expectIncludedUsageMatchesCharges(service);
    });

    it('Mar 1: Carol’s January bill is still 30.00; February’s is rent 30.00, calls 3.02 and the correction 1.52: 34.54 (in order of end, 34.53)', async () => {
      await advanceTo(service, '2026-03-01 00:00');
      expect((await billFor(service, carol.id, '2026-01-01')).totalFen).toBe(30_00);
      const february = await billFor(service, carol.id, '2026-02-01');
      expect(february.lines).toEqual([
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'usage', amountFen: 3_02 },
        { kind: 'correction', amountFen: 1_52 },
      ]);
      expect(february.totalFen).toBe(34_54);
      expect((await billFor(service, alice.id, '2026-01-01')).totalFen).toBe(33_04);
    });
  });
});
