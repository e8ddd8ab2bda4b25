import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { dunningStageOf, ledgerBalance, recordPayment } from '../../src/billing/index.js';
import { activeSuspensions } from '../../src/entitlements/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { advanceTo, billFor, billingOf, billsOf, local, realSubscriberOn30, sipStatus } from './support.js';

describe.each(engines)('paying never issues a bill: dunning acts as its own operation, on %s (clause 5, 11)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let subscriber: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      subscriber = await realSubscriberOn30(service);
    });
    afterAll(() => service?.close());

    it('never pays: suspended from Mar 22 and still suspended when the job last ran, on May 21', async () => {
      for (const at of [
        '2026-02-01 00:00',
        '2026-03-01 00:00',
        '2026-03-22 00:00',
        '2026-04-01 00:00',
        '2026-05-01 00:00',
        '2026-05-21 23:59',
      ]) {
        await advanceTo(service, at);
      }
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('suspended');
    });

    it('pays 10.00 on May 22, past the three months: the payment is recorded and allocated, but no final bill and no termination come of it', async () => {
      service.clock.set(local('2026-05-22 09:00'));
      const paid = await recordPayment(
        billingOf(service),
        {
          subscriberId: subscriber.id,
          provider: 'cashier',
          externalReference: 'part-1',
          amountFen: 10_00,
          paidAt: service.clock.now(),
          channel: 'manual',
        },
        systemActor,
      );
      expect(paid.ok && paid.value).toMatchObject({ duplicate: false, allocatedFen: 10_00 });
      expect((await billsOf(service, subscriber.id)).map((b) => b.period)).toEqual([
        '2026-01-01',
        '2026-02-01',
        '2026-03-01',
        '2026-04-01',
      ]);
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('suspended');
      expect((await activeSuspensions(service.ctx.db, subscriber.id)).map((s) => s.cause)).toEqual(['overdue']);
      expect(await sipStatus(service, subscriber.number)).not.toMatchObject({ status: 'terminated' });
    });

    it('the dunning job then terminates, with the final bill and the collections the payment would have caused', async () => {
      await advanceTo(service, '2026-05-22 09:05');
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('terminated');
      expect(await sipStatus(service, subscriber.number)).toMatchObject({ status: 'terminated' });
      // May 1 … 22 rent 30.00 × 22/31 = 21.29; late fees through May 22 on the principal unpaid that
      // morning (the 10.00 counts from the next day): January 90 days 8.10, February 62 days 5.58,
      // March 31 days 2.79, April 1 day 0.09.
      expect((await billFor(service, subscriber.id, '2026-05-01')).lines).toEqual([
        { kind: 'rent', amountFen: 21_29 },
        { kind: 'late_fee', amountFen: 8_10 },
        { kind: 'late_fee', amountFen: 5_58 },
        { kind: 'late_fee', amountFen: 2_79 },
        { kind: 'late_fee', amountFen: 9 },
      ]);
      const collections = await service.ctx.db
        .selectFrom('collections')
        .selectAll()
        .where('subscriber_id', '=', subscriber.id)
        .executeTakeFirstOrThrow();
      expect(Number(collections.arrears_fen)).toBe(4 * 30_00 + 21_29 - 10_00);
      expect(Number(collections.late_fees_fen)).toBe(8_10 + 5_58 + 2_79 + 9);
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(157_85 - 10_00);
    });
  });
});
