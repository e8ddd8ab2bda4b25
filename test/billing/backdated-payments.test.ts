import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerOf } from '../../src/billing/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { addPlan, addSubscriber, advanceTo, billFor, local, noDunning } from './support.js';

/**
 * A desk payment's date decides its late fee (clause 5), so dating one back is a late-fee waiver unless
 * it is true (issue #18 item 5). Up to VP_PAYMENT_BACKDATE_TOLERANCE_DAYS (3) back is ordinary desk work;
 * further back needs the permission payments.backdate (the billing supervisor) and a reason, which the
 * bill shows. Both subscribers owe January's 30.00, due Feb 21; today is Mar 10.
 */
describe.each(engines)('back-dated desk payments on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let clerk: TestStaff;
    let supervisor: TestStaff;
    let gao: { id: string; number: string };
    let sun: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: noDunning });
      clerk = await addStaff(service, ['billing_clerk']);
      supervisor = await addStaff(service, ['billing_supervisor']);
      const planId = await addPlan(service);
      gao = await addSubscriber(service, planId, '2026-01-01');
      sun = await addSubscriber(service, planId, '2026-01-01');
      await advanceTo(service, '2026-02-01 00:00');
      service.clock.set(local('2026-03-10 10:00'));
    });
    afterAll(() => service?.close());

    const pay = async (staff: TestStaff, payload: Record<string, unknown>) =>
      service.app.inject({
        method: 'POST',
        url: '/api/console/billing/payments',
        headers: { cookie: await signInCookie(service, staff), 'accept-language': 'en' },
        payload,
      });

    it('a clerk dates Gao’s 30.00 Feb 20, 18 days back: refused with 403, nothing recorded, no late fee waived', async () => {
      const refused = await pay(clerk, {
        subscriberId: gao.id,
        amountFen: 30_00,
        reference: 'desk-gao-1',
        paidAt: local('2026-02-20 15:00').toISOString(),
      });
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'backdate-not-permitted', errors: [{ field: 'paidAt' }] });
      expect((await ledgerOf(service.ctx.db, gao.id)).filter((e) => e.kind === 'payment')).toEqual([]);
    });

    it('the supervisor may, but only with a reason', async () => {
      const noReason = await pay(supervisor, {
        subscriberId: gao.id,
        amountFen: 30_00,
        reference: 'desk-gao-1',
        paidAt: local('2026-02-20 15:00').toISOString(),
      });
      expect(noReason.statusCode, noReason.body).toBe(400);
      expect(noReason.json()).toMatchObject({ code: 'invalid-request', errors: [{ field: 'backdateReason' }] });
    });

    it('with the reason, the payment counts from Feb 20 (on time: no late fee), and January’s bill shows why it was dated back', async () => {
      const reason = 'Paid at the bank branch on Feb 20; the slip reached the desk on Mar 10';
      const paid = await pay(supervisor, {
        subscriberId: gao.id,
        amountFen: 30_00,
        reference: 'desk-gao-1',
        paidAt: local('2026-02-20 15:00').toISOString(),
        backdateReason: reason,
      });
      expect(paid.statusCode, paid.body).toBe(201);
      expect(paid.json()).toMatchObject({ allocatedFen: 30_00, lateFeesPostedFen: 0 });
      const january = await billFor(service, gao.id, '2026-01-01');
      const detail = await service.app.inject({
        method: 'GET',
        url: `/api/console/billing/bills/${january.id}`,
        headers: { cookie: await signInCookie(service, clerk) },
      });
      expect(detail.json().payments).toEqual([
        { paidAt: local('2026-02-20 15:00').toISOString(), amountFen: 30_00, channel: 'manual', backdateReason: reason },
      ]);
      const entry = (await ledgerOf(service.ctx.db, gao.id)).find((e) => e.kind === 'payment')!;
      expect(entry.detail).toMatchObject({ backdated: { paidOn: '2026-02-20', recordedOn: '2026-03-10', days: 18, reason } });
    });

    it('a clerk dates Sun’s payment Mar 8, within the 3 days: recorded as paid that day, 15 days late (Feb 22 … Mar 8): 30.00 × 0.3 % × 15 = 1.35', async () => {
      const paid = await pay(clerk, {
        subscriberId: sun.id,
        amountFen: 30_00,
        reference: 'desk-sun-1',
        paidAt: local('2026-03-08 11:00').toISOString(),
      });
      expect(paid.statusCode, paid.body).toBe(201);
      expect(paid.json()).toMatchObject({ allocatedFen: 30_00, lateFeesPostedFen: 1_35 });
    });
  });
});
