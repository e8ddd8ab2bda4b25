import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountOwedNow, correctAccountPlan, dunningStageOf } from '../../src/billing/index.js';
import { addCall, addPlan, advanceTo, billFor, local } from '../billing/support.js';
import { callerReportsLoss } from './support.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Fee disputes (clause 6) as the subscriber and the agent meet them. Bills are due 19 days after
 * issue here, so February's bill (issued Mar 1) is due Mar 20, as in the stories.
 */
describe.each(engines)('fee disputes on %s (clauses 6, 12, 16)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let agent: TestStaff;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;
    let carol: ActiveSubscriber;
    let dan: ActiveSubscriber;
    let bobsCall: { recordId: string; callId: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-02-01T00:00:00Z', env: { VP_BILL_DUE_DAYS: '19' } });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      agent = await addStaff(service, ['support_agent'], 'agent-li');
      alice = await activeIndividual(service, reviewer, '艾丽斯');
      bob = await activeIndividual(service, reviewer, '鲍勃');
      carol = await activeIndividual(service, reviewer, '卡萝尔');
      dan = await activeIndividual(service, reviewer, '丹');
      await advanceTo(service, '2026-02-01 08:10');
      // Alice pays 200.00 a month; the others 30.00, and Bob 0.30 a minute for calls (whole minutes).
      await correctAccountPlan(service.ctx, alice.id, await addPlan(service, { monthlyRentFen: 200_00 }));
      const thirty = await addPlan(service, { perMinuteRatePrecise: 30_0000, billingIncrementSeconds: 60 });
      for (const person of [bob, carol, dan]) await correctAccountPlan(service.ctx, person.id, thirty);
      // Bob's 12-minute call on Feb 10: 12 × 0.30 = 3.60.
      service.clock.set(local('2026-02-10 20:00'));
      const recordId = await addCall(service, bob.number, { answeredAt: local('2026-02-10 19:40'), durationMs: 12 * 60_000 });
      const row = await service.ctx.db.selectFrom('call_records').select('call_id').where('id', '=', recordId).executeTakeFirstOrThrow();
      bobsCall = { recordId, callId: row.call_id };
      // Bob's phone measured 18 % loss on his side.
      await callerReportsLoss(service, bob.number, bobsCall.callId, 18);
      await advanceTo(service, '2026-03-01 00:00');
    }, 120_000);
    afterAll(() => service?.close());

    const portal = async (person: ActiveSubscriber, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      service.app.inject({ method, url, headers: { cookie: await portalCookie(service, person.phone) }, ...(payload ? { payload } : {}) });
    const console_ = async (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      service.app.inject({ method, url, headers: { cookie: await signInCookie(service, agent) }, ...(payload ? { payload } : {}) });

    describe('Alice disputes 80.00 of a 200.00 bill due Mar 20', () => {
      let disputeId: string;

      it('she opens the dispute from the portal on Mar 2; the answer is due in 15 days', async () => {
        service.clock.set(local('2026-03-02 09:00'));
        const february = await billFor(service, alice.id, '2026-02-01');
        expect(february).toMatchObject({ totalFen: 200_00, dueDate: '2026-03-20' });
        const opened = await portal(alice, 'POST', '/api/portal/disputes', {
          subject: 'bill',
          subjectId: february.id,
          amountFen: 80_00,
          reason: '二月份的通话我没有打过这么多',
        });
        expect(opened.statusCode, opened.body).toBe(201);
        expect(opened.json()).toMatchObject({ status: 'open', amountFen: 80_00, dueOn: '2026-03-17', channel: 'portal' });
        disputeId = opened.json().id;
      });

      it('a second dispute of the same bill while this one is open is refused with 409', async () => {
        const february = await billFor(service, alice.id, '2026-02-01');
        const again = await portal(alice, 'POST', '/api/portal/disputes', { subject: 'bill', subjectId: february.id, reason: 'again' });
        expect(again.statusCode).toBe(409);
        expect(again.json()).toMatchObject({ code: 'conflict', disputeId });
      });

      it('on Apr 5 only the undisputed 120.00 has accrued late fees: 120.00 × 0.3 % × 16 days (Mar 21 … Apr 5) = 5.76', async () => {
        service.clock.set(local('2026-04-05 09:00'));
        const owed = await amountOwedNow(service.ctx, alice.id);
        expect(owed.lateFeesAccruingFen).toBe(5_76);
      });

      it('the agent upholds it on Apr 5: a credit note of 80.00 pays the disputed part at once', async () => {
        expect((await console_('POST', `/api/console/disputes/${disputeId}/assign`)).json()).toMatchObject({ status: 'investigating' });
        const answered = await console_('POST', `/api/console/disputes/${disputeId}/answer`, {
          outcome: 'upheld',
          code: 'rating-error-corrected',
          text: '经核查，二月账单有误，已退还 80.00 元。',
        });
        expect(answered.statusCode, answered.body).toBe(200);
        expect(answered.json()).toMatchObject({ status: 'answered', outcome: 'upheld', creditedFen: 80_00 });
        const february = await billFor(service, alice.id, '2026-02-01');
        expect(february.outstandingFen).toBe(120_00);
        // Paying what is owed now clears it: the 120.00 and the 5.76 of late fee on it.
        expect((await amountOwedNow(service.ctx, alice.id)).totalFen).toBe(200_00 + 120_00 + 5_76 + Math.round((200_00 * 5) / 30));
      });

      it('the next bill (issued May 1) shows the 80.00 credit note and what it corrects; Alice accepts the answer', async () => {
        await advanceTo(service, '2026-05-01 00:00');
        const april = await billFor(service, alice.id, '2026-04-01');
        const detail = await portal(alice, 'GET', `/api/portal/bills/${april.id}`);
        expect(detail.json().credits).toEqual([
          expect.objectContaining({
            amountFen: 80_00,
            detail: expect.objectContaining({ billId: (await billFor(service, alice.id, '2026-02-01')).id }),
          }),
        ]);
        const accepted = await portal(alice, 'POST', `/api/portal/disputes/${disputeId}/accept`);
        expect(accepted.json()).toMatchObject({ status: 'closed', response: 'accepted' });
      });
    });

    describe('Bob disputes a 12-minute call billed 3.60', () => {
      let disputeId: string;

      it('he disputes the call from his history; the agent sees the record, his 18 % loss, the rating and the judgement "network-side"', async () => {
        service.clock.set(local('2026-05-02 10:00'));
        const history = (await (await portal(bob, 'GET', '/api/portal/calls')).json()) as
          { calls?: { recordId: string }[] } | { recordId: string }[];
        const entries = Array.isArray(history) ? history : (history.calls ?? []);
        expect(entries.map((e) => e.recordId)).toContain(bobsCall.recordId);
        const opened = await portal(bob, 'POST', '/api/portal/disputes', {
          subject: 'call',
          subjectId: bobsCall.recordId,
          reason: 'The picture froze all the time',
        });
        expect(opened.statusCode, opened.body).toBe(201);
        expect(opened.json()).toMatchObject({ amountFen: 3_60, subject: 'call' });
        disputeId = opened.json().id;
        const seen = (await console_('GET', `/api/console/disputes/${disputeId}`)).json();
        expect(seen.evidence.call).toMatchObject({ caller: bob.number, durationMs: 12 * 60_000, hungUpBy: 'caller' });
        expect(seen.evidence.rating).toMatchObject({
          chargeFen: 3_60,
          plan: { perMinuteRatePrecise: 30_0000, billingIncrementSeconds: 60 },
        });
        expect(seen.evidence.qualityReports).toEqual([expect.objectContaining({ side: 'subscriber', lossPercent: 18 })]);
        expect(seen.evidence.judgement).toMatchObject({
          classification: 'network-side',
          findings: [{ code: 'loss', side: 'subscriber', value: 18, threshold: 5 }],
        });
        // G.107: one-way 40 + 2 × 25 = 90 ms (no delay impairment), Ie,eff = 95 × 18 / (18 + 25.1) = 39.7,
        // R = 93.2 − 39.7 = 53.5, an estimated MOS of 2.8.
        expect(seen.evidence.judgement.mos).toEqual([{ reporter: bob.number, side: 'subscriber', mos: 2.8 }]);
      });

      it('the agent rejects it, "network-side, clause 12"; the amount is due again', async () => {
        const answered = await console_('POST', `/api/console/disputes/${disputeId}/answer`, {
          outcome: 'rejected',
          code: 'network-side',
          text: '您一侧的网络丢包 18%，属于协议第十二条所述互联网自身原因。',
        });
        expect(answered.json()).toMatchObject({ status: 'answered', outcome: 'rejected', creditedFen: 0 });
      });

      it('Bob escalates: a negotiation case (clause 16) continues the dispute, with his words', async () => {
        const escalated = await portal(bob, 'POST', `/api/portal/disputes/${disputeId}/escalate`, { reason: '我家网络一直正常' });
        expect(escalated.statusCode, escalated.body).toBe(200);
        const caseId = escalated.json().negotiationCaseId as string;
        expect(escalated.json()).toMatchObject({ status: 'closed', response: 'escalated' });
        const cases = (await (await portal(bob, 'GET', '/api/portal/negotiation-cases')).json()) as { cases: { id: string }[] };
        expect(cases.cases.find((c) => c.id === caseId)).toMatchObject({
          subject: 'fee-dispute',
          disputeId,
          status: 'open',
          entries: [{ text: '我家网络一直正常' }],
        });
      });
    });

    describe('dunning and disputes (clause 5 with clause 6)', () => {
      it('Carol and Dan never paid February’s 30.00 (due Mar 20): both were suspended on May 1', async () => {
        expect((await dunningStageOf(service.ctx, carol.id)).stage).toBe('suspended');
        expect((await dunningStageOf(service.ctx, dan.id)).stage).toBe('suspended');
      });

      it('Carol disputes that bill on May 3: her suspension lifts at once, and the job does not suspend her again; Dan stays suspended', async () => {
        service.clock.set(local('2026-05-03 09:00'));
        const carols = await billFor(service, carol.id, '2026-02-01');
        const opened = await portal(carol, 'POST', '/api/portal/disputes', {
          subject: 'bill',
          subjectId: carols.id,
          reason: '我二月没有用服务',
        });
        expect(opened.statusCode, opened.body).toBe(201);
        expect((await dunningStageOf(service.ctx, carol.id)).stage).toBe('current');
        await advanceTo(service, '2026-05-03 09:05');
        // Her March bill (due Apr 20) is late, but not more than a month: the disputed February bill is not counted.
        expect((await dunningStageOf(service.ctx, carol.id)).stage).toBe('current');
        expect((await dunningStageOf(service.ctx, dan.id)).stage).toBe('suspended');
      });

      it('money Carol pays goes to her March bill, not to the amount she disputes', async () => {
        const cookie = await signInCookie(service, await addStaff(service, ['billing_clerk']));
        const paid = await service.app.inject({
          method: 'POST',
          url: '/api/console/billing/payments',
          headers: { cookie },
          payload: { subscriberId: carol.id, amountFen: 30_00, reference: 'carol-march' },
        });
        expect(paid.statusCode, paid.body).toBe(201);
        expect(await billFor(service, carol.id, '2026-02-01')).toMatchObject({ outstandingFen: 30_00 });
        expect(await billFor(service, carol.id, '2026-03-01')).toMatchObject({ outstandingFen: 0 });
      });
    });

    it('only staff with disputes.handle see the queue; a bad answer is a 400 naming its fields', async () => {
      const anonymous = await service.app.inject({ method: 'GET', url: '/api/console/disputes' });
      expect(anonymous.statusCode).toBe(401);
      const technician = await addStaff(service, ['technician']);
      const refused = await service.app.inject({
        method: 'GET',
        url: '/api/console/disputes',
        headers: { cookie: await signInCookie(service, technician) },
      });
      expect(refused.statusCode).toBe(403);
      const queue = (await console_('GET', '/api/console/disputes')).json().disputes as { status: string }[];
      expect(queue.length).toBeGreaterThanOrEqual(3);
      const open = queue.find((d) => d.status === 'open') as { id: string } | undefined;
      const bad = await console_('POST', `/api/console/disputes/${open!.id}/answer`, {
        outcome: 'partly-upheld',
        creditFen: 999_999_00,
        code: 'goodwill-credit',
        text: 'x',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'invalid-request', errors: [{ field: 'creditFen' }] });
    });
  });
});
