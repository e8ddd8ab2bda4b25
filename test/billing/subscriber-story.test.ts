import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipAccountStore } from '../../src/calls/index.js';
import { activeSuspensions, callPolicy } from '../../src/entitlements/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { addCall, advanceTo, billFor, billsOf, local } from './support.js';

/**
 * The whole service, as the subscriber and the operator meet it: activation opens billing on the
 * order's plan (Standard, 58.00 a month), the portal shows the bills, non-payment suspends through
 * entitlements and SIP refuses calls, paying restores them, and ending the agreement waits for the
 * final bill to be paid (clauses 5 and 11).
 */
describe.each(engines)('a subscriber from activation to the end of the agreement on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let clerk: TestStaff;
    let wang: ActiveSubscriber;
    let policy: ReturnType<typeof callPolicy>;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-10T02:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      clerk = await addStaff(service, ['billing_clerk']);
      wang = await activeIndividual(service, reviewer, '王小明');
      policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
    });
    afterAll(() => service?.close());

    const portal = async (url: string) => {
      const response = await service.app.inject({ method: 'GET', url, headers: { cookie: await portalCookie(service, wang.phone) } });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const callOut = () => policy.authorizeCall({ caller: wang.number, callee: wang.number, at: service.clock.now() });

    it('activated on Jan 10: the first bill charges 22 of 31 days of 58.00 = 41.16, due Feb 21', async () => {
      // A first call moments after activation, before the billing job has seen the activation, is Wang's.
      const { activated_at: activatedAt } = await service.ctx.db
        .selectFrom('subscribers')
        .select('activated_at')
        .where('id', '=', wang.id)
        .executeTakeFirstOrThrow();
      const firstCall = await addCall(service, wang.number, { answeredAt: new Date(activatedAt!.getTime() + 5_000), durationMs: 60_000 });
      await advanceTo(service, '2026-01-10 10:05');
      const charge = await service.ctx.db
        .selectFrom('call_charges')
        .select(['subscriber_id', 'included_seconds'])
        .where('call_record_id', '=', firstCall)
        .executeTakeFirst();
      expect(charge).toEqual({ subscriber_id: wang.id, included_seconds: 60 });
      await advanceTo(service, '2026-02-01 00:00');
      const january = await billFor(service, wang.id, '2026-01-01');
      expect(january).toMatchObject({ issueDate: '2026-02-01', dueDate: '2026-02-21', totalFen: 41_16 });
      const { bills } = await portal('/api/portal/bills');
      expect(bills).toMatchObject([{ period: '2026-01-01', totalFen: 41_16, outstandingFen: 41_16, status: 'open' }]);
      const detail = await portal(`/api/portal/bills/${january.id}`);
      expect(detail.lines).toMatchObject([
        { kind: 'rent', amountFen: 41_16, detail: { from: '2026-01-10', to: '2026-01-31', days: 22 } },
        // The first call is within the 500 included minutes: on the bill, at nothing.
        { kind: 'usage', amountFen: 0, detail: { calls: 1, chargedSeconds: 0 } },
      ]);
    });

    it('unpaid past Mar 21 → suspended for the overdue bill; calls are refused with 403 and the reason', async () => {
      await advanceTo(service, '2026-03-01 00:00');
      await advanceTo(service, '2026-03-22 00:00');
      expect((await activeSuspensions(service.ctx.db, wang.id)).map((s) => [s.cause, s.blocks, s.rentContinues])).toEqual([
        ['overdue', 'all', true],
      ]);
      const refused = await callOut();
      expect(refused).toMatchObject({ allow: false, status: 403 });
      expect(!refused.allow && refused.reason).toContain('Service suspended: overdue bill');
      // The portal explains what is overdue and the late fees accruing: January 41.16 × 0.3 % × 29 days = 3.58,
      // February 58.00 × 0.3 % × 1 day = 0.17.
      expect(await portal('/api/portal/balance')).toMatchObject({ overdueFen: 41_16 + 58_00, accruingLateFeesFen: 3_58 + 17 });
    });

    it('the billing clerk records the payment of the January bill → the suspension lifts at once and calls go through', async () => {
      service.clock.set(local('2026-03-22 10:00'));
      const cookie = await signInCookie(service, clerk);
      const paid = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/payments',
        headers: { cookie },
        payload: { subscriberId: wang.id, amountFen: 41_16, reference: 'desk-wang-1' },
      });
      expect(paid.statusCode, paid.body).toBe(201);
      // January's late fee to the day, and February's first day late (58.00 × 0.3 % = 0.17): a payment posts every
      // late fee it finds accrued, so what is owed today is what paying clears.
      expect(paid.json()).toMatchObject({ allocatedFen: 41_16, lateFeesPostedFen: 3_58 + 17 });
      expect(await activeSuspensions(service.ctx.db, wang.id)).toEqual([]);
      expect(await callOut()).toEqual({ allow: true });
    });

    it('asks to end the agreement on Mar 25: it waits for the final bill (rent to Mar 25, the last calls) and ends once everything is paid', async () => {
      // A call of 510 minutes ends at 08:50, not rated by the job yet when Wang asks: 10 minutes beyond the 500 included, 1.20.
      service.clock.set(local('2026-03-25 08:55'));
      await addCall(service, wang.number, { answeredAt: local('2026-03-25 00:20'), durationMs: 510 * 60_000 });
      service.clock.set(local('2026-03-25 09:00'));
      const cookie = await portalCookie(service, wang.phone);
      const asked = await service.app.inject({ method: 'POST', url: '/api/portal/termination', headers: { cookie } });
      // Owed: February 58.00 and its late fee to today (Mar 22 … 25: 58.00 × 0.3 % × 4 = 0.70, of which 0.17 was
      // posted with the January payment); January's late fee 3.58; March 1 … 25 rent accrued = 58.00 × 25/31 = 46.77;
      // and the call that just ended, rated for the quote: 1.20.
      expect(asked.json()).toEqual({ status: 'awaiting-settlement', outstandingFen: 58_00 + 70 + 3_58 + 46_77 + 1_20 });
      // From the request on, Wang can be called but places no new calls: none could be billed any more.
      const refused = await callOut();
      expect(refused).toMatchObject({ allow: false, status: 403 });
      expect(!refused.allow && refused.reason).toContain('termination requested');
      await advanceTo(service, '2026-03-25 09:01');
      const final = await billFor(service, wang.id, '2026-03-01');
      expect(final.lines).toEqual([
        { kind: 'rent', amountFen: 46_77 },
        { kind: 'usage', amountFen: 1_20 },
        { kind: 'late_fee', amountFen: 3_58 },
        { kind: 'late_fee', amountFen: 17 },
      ]);
      const clerkCookie = await signInCookie(service, clerk);
      // The portal, the desk and termination agree: the bills, February's late fee still accruing (0.53), and now the call.
      const owed = (await portal('/api/portal/balance')).owedNow;
      expect(owed).toMatchObject({
        onBillsFen: 58_00 + 46_77 + 1_20 + 3_58 + 17,
        lateFeesAccruingFen: 53,
        totalFen: 58_00 + 70 + 3_58 + 46_77 + 1_20,
      });
      await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/payments',
        headers: { cookie: clerkCookie },
        payload: { subscriberId: wang.id, amountFen: owed.totalFen, reference: 'desk-wang-2' },
      });
      // Paying that figure clears everything: no leftover late fee that no document shows.
      expect((await portal('/api/portal/balance')).balanceFen).toBe(0);
      expect((await service.jobs.runOnce('subscribers.complete-terminations')).status).toBe('ran');
      const status = await service.ctx.db.selectFrom('subscribers').select('status').where('id', '=', wang.id).executeTakeFirstOrThrow();
      expect(status.status).toBe('terminated');
      // The 0.53 posted with that payment comes on a supplementary bill, paid by the money that came for it.
      await advanceTo(service, '2026-03-25 09:10');
      const bills = await billsOf(service, wang.id);
      expect(bills.at(-1)).toMatchObject({
        issueDate: '2026-03-25',
        totalFen: 53,
        outstandingFen: 0,
        lines: [{ kind: 'late_fee', amountFen: 53 }],
      });
    });
  });
});
