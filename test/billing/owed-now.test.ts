import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctAccountPlan, findBillingAccount, ledgerBalance } from '../../src/billing/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { addPlan, advanceTo, billsOf, local } from './support.js';

/**
 * "What is owed now" (clause 5 and 11, issue #18 items 1 and 2): the figure the portal shows, the desk
 * takes and termination waits for is one figure, late fees to the day included; paying it ends the
 * agreement; a late fee posted after the final bill gets a bill of its own instead of being owed on
 * no document.
 *
 * Both subscribers are on 30.00 a month from Jan 1. January's bill: 30.00, issued Feb 1, due Feb 21.
 * On Feb 25 January's bill is 4 days late (Feb 22 … 25): 30.00 × 0.3 % × 4 = 0.36. Rent Feb 1 … 25 is
 * 30.00 × 25/28 = 26.79.
 */
describe.each(engines)('what a subscriber owes now, on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let clerk: TestStaff;
    let li: ActiveSubscriber;
    let zhao: ActiveSubscriber;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      clerk = await addStaff(service, ['billing_clerk']);
      li = await activeIndividual(service, reviewer, '李娜');
      zhao = await activeIndividual(service, reviewer, '赵雷');
      await advanceTo(service, '2026-01-01 08:10');
      const planId = await addPlan(service);
      for (const person of [li, zhao]) {
        expect(await findBillingAccount(service.ctx.db, person.id)).toMatchObject({ serviceStart: '2026-01-01' });
        await correctAccountPlan(service.ctx, person.id, planId);
      }
      await advanceTo(service, '2026-02-01 00:00');
    });
    afterAll(() => service?.close());

    const portal = async (person: ActiveSubscriber, method: 'GET' | 'POST', url: string) => {
      const response = await service.app.inject({ method, url, headers: { cookie: await portalCookie(service, person.phone) } });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const payAtDesk = async (person: ActiveSubscriber, amountFen: number, reference: string) => {
      const response = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/payments',
        headers: { cookie: await signInCookie(service, clerk) },
        payload: { subscriberId: person.id, amountFen, reference },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    };
    const statusOf = async (person: ActiveSubscriber) =>
      (await service.ctx.db.selectFrom('subscribers').select('status').where('id', '=', person.id).executeTakeFirstOrThrow()).status;
    const completeTerminations = async () => expect((await service.jobs.runOnce('subscribers.complete-terminations')).status).toBe('ran');

    it('on Feb 25 Li asks to end the agreement: the quote is 30.00 + its 0.36 late fee so far + 26.79 rent to today = 57.15', async () => {
      service.clock.set(local('2026-02-25 09:00'));
      const asked = await portal(li, 'POST', '/api/portal/termination');
      expect(asked).toEqual({ status: 'awaiting-settlement', outstandingFen: 57_15 });
    });

    it('the final bill carries the rent to Feb 25; the portal shows the same 57.15 owed, made of 56.79 on bills and 0.36 of late fee accruing', async () => {
      await advanceTo(service, '2026-02-25 09:01');
      const bills = await billsOf(service, li.id);
      expect(bills.map((b) => ({ period: b.period, issueDate: b.issueDate, totalFen: b.totalFen }))).toEqual([
        { period: '2026-01-01', issueDate: '2026-02-01', totalFen: 30_00 },
        { period: '2026-02-01', issueDate: '2026-02-25', totalFen: 26_79 },
      ]);
      const balance = await portal(li, 'GET', '/api/portal/balance');
      expect(balance.owedNow).toEqual({
        asOf: '2026-02-25',
        onBillsFen: 56_79,
        unbilledChargesFen: 0,
        lateFeesAccruingFen: 36,
        unbilledServiceFen: 0,
        creditFen: 0,
        totalFen: 57_15,
      });
    });

    it('Li pays the 57.15 at the desk: the late fee is posted as the money arrives, nothing is left owed, and the agreement ends', async () => {
      const paid = await payAtDesk(li, 57_15, 'desk-li-1');
      expect(paid).toMatchObject({ allocatedFen: 56_79, lateFeesPostedFen: 36, creditFen: 36 });
      expect(await ledgerBalance(service.ctx.db, li.id)).toBe(0);
      expect((await portal(li, 'GET', '/api/portal/balance')).owedNow.totalFen).toBe(0);
      await completeTerminations();
      expect(await statusOf(li)).toBe('terminated');
    });

    it('the late fee gets a supplementary bill dated Feb 25, paid at once by the 0.36 of credit', async () => {
      await advanceTo(service, '2026-02-25 09:05');
      const bills = await billsOf(service, li.id);
      expect(bills).toHaveLength(3);
      expect(bills[2]).toMatchObject({
        period: '2026-02-01',
        issueDate: '2026-02-25',
        dueDate: '2026-03-17',
        totalFen: 36,
        outstandingFen: 0,
        lines: [{ kind: 'late_fee', amountFen: 36 }],
      });
      // The job again at a later instant issues nothing more.
      await advanceTo(service, '2026-02-25 09:30');
      expect(await billsOf(service, li.id)).toHaveLength(3);
    });

    it('Zhao, quoted the same on Feb 25, pays only the 56.79 on his bills: the 0.36 late fee is owed on a supplementary bill, not on no document', async () => {
      service.clock.set(local('2026-02-25 10:00'));
      expect(await portal(zhao, 'POST', '/api/portal/termination')).toEqual({ status: 'awaiting-settlement', outstandingFen: 57_15 });
      await advanceTo(service, '2026-02-25 10:01');
      const paid = await payAtDesk(zhao, 56_79, 'desk-zhao-1');
      expect(paid).toMatchObject({ allocatedFen: 56_79, lateFeesPostedFen: 36, creditFen: 0 });
      const owed = (await portal(zhao, 'GET', '/api/portal/balance')).owedNow;
      expect(owed).toMatchObject({ onBillsFen: 0, unbilledChargesFen: 36, lateFeesAccruingFen: 0, totalFen: 36 });
      await completeTerminations();
      expect(await statusOf(zhao)).not.toBe('terminated');

      await advanceTo(service, '2026-02-25 10:05');
      const supplementary = (await billsOf(service, zhao.id))[2];
      expect(supplementary).toMatchObject({ issueDate: '2026-02-25', dueDate: '2026-03-17', totalFen: 36, outstandingFen: 36 });
      expect((await portal(zhao, 'GET', '/api/portal/balance')).owedNow).toMatchObject({
        onBillsFen: 36,
        unbilledChargesFen: 0,
        totalFen: 36,
      });
    });

    it('Zhao pays the 0.36 on Mar 2: nothing accrues on a late fee, and the agreement ends', async () => {
      service.clock.set(local('2026-03-02 11:00'));
      const paid = await payAtDesk(zhao, 36, 'desk-zhao-2');
      expect(paid).toMatchObject({ allocatedFen: 36, lateFeesPostedFen: 0, creditFen: 0 });
      expect(await ledgerBalance(service.ctx.db, zhao.id)).toBe(0);
      await completeTerminations();
      expect(await statusOf(zhao)).toBe('terminated');
    });
  });
});
