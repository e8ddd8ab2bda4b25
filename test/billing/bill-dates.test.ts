import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { recordPayment } from '../../src/billing/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addPlan, addSubscriber, advanceTo, billFor, billingOf, local, noDunning } from './support.js';

/**
 * The period decides a bill's dates (issue #18 item 4): the January bill is issued Feb 1 and due Feb 21
 * whether the job runs on time or days late, so a late run moves no due date and no late fee.
 * Both subscribers are on 30.00 a month from Jan 1; the job does not run from Jan 1 until Feb 24.
 */
describe.each(engines)('bill dates when the bill run is late, on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let ahead: { id: string; number: string };
    let behind: { id: string; number: string };

    const pay = (subscriberId: string, amountFen: number, reference: string, paidAt = service.clock.now()) =>
      recordPayment(
        billingOf(service),
        { subscriberId, provider: 'bank', externalReference: reference, amountFen, paidAt, channel: 'bank-file' },
        systemActor,
      );

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: noDunning });
      const planId = await addPlan(service);
      ahead = await addSubscriber(service, planId, '2026-01-01');
      behind = await addSubscriber(service, planId, '2026-01-01');
      await advanceTo(service, '2026-01-01 09:00');
    });
    afterAll(() => service?.close());

    it('a subscriber pays 30.00 ahead on Jan 20; nothing is billed yet', async () => {
      service.clock.set(local('2026-01-20 12:00'));
      const paid = await pay(ahead.id, 30_00, 'ahead-1');
      expect(paid.ok && paid.value).toMatchObject({ allocatedFen: 0, creditFen: 30_00 });
    });

    it('the job first runs on Feb 24: the January bills are still issued Feb 1 and due Feb 21', async () => {
      await advanceTo(service, '2026-02-24 09:00');
      for (const subscriber of [ahead, behind]) {
        expect(await billFor(service, subscriber.id, '2026-01-01')).toMatchObject({
          issueDate: '2026-02-01',
          dueDate: '2026-02-21',
          totalFen: 30_00,
        });
      }
    });

    it('the money paid ahead paid the bill as of its issue date: on time, no late fee', async () => {
      expect(await billFor(service, ahead.id, '2026-01-01')).toMatchObject({ outstandingFen: 0 });
      const allocation = await service.ctx.db
        .selectFrom('payment_allocations')
        .select('effective_at')
        .where('subscriber_id', '=', ahead.id)
        .executeTakeFirstOrThrow();
      expect(allocation.effective_at).toEqual(local('2026-02-01 00:00'));
    });

    it('the other pays on Feb 24, three days after the due date (Feb 22 … 24): 30.00 × 0.3 % × 3 = 0.27', async () => {
      const paid = await pay(behind.id, 30_27, 'behind-1');
      expect(paid.ok && paid.value).toMatchObject({ allocatedFen: 30_00, lateFeesPostedFen: 27, creditFen: 27 });
    });
  });
});
