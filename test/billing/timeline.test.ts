import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { dunningStageOf, ledgerBalance, recordPayment, unappliedCredit } from '../../src/billing/index.js';
import { activeSuspensions, callPolicy } from '../../src/entitlements/index.js';
import { SipAccountStore } from '../../src/calls/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addPlan, addSubscriber, advanceTo, billFor, billingOf, local, realSubscriberOn30, sipStatus } from './support.js';

/** Jan 1, 08:00 in Shanghai (the agreement is in effect from then): activated now, billed for all of January. */
const JANUARY_FIRST = '2026-01-01T00:00:00Z';

const pay = (service: TestService, subscriberId: string, amountFen: number, reference: string) =>
  recordPayment(
    billingOf(service),
    { subscriberId, provider: 'cashier', externalReference: reference, amountFen, paidAt: service.clock.now(), channel: 'manual' },
    systemActor,
  );

describe.each(engines)('billing timelines on %s (clause 5)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let planId: string;
    let late: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2025-12-31T00:00:00Z' });
      planId = await addPlan(service);
      late = await addSubscriber(service, planId, '2026-01-01');
    });
    afterAll(() => service?.close());

    it('on Feb 1 each gets the January bill: rent 30.00, issued Feb 1, due Feb 21', async () => {
      await advanceTo(service, '2026-02-01 00:00');
      const bill = await billFor(service, late.id, '2026-01-01');
      expect(bill).toMatchObject({
        issueDate: '2026-02-01',
        dueDate: '2026-02-21',
        totalFen: 30_00,
        lines: [{ kind: 'rent', amountFen: 30_00 }],
      });
    });

    it('on Mar 1 the February bill: rent 30.00 again (February counts as a whole month), due Mar 21', async () => {
      await advanceTo(service, '2026-03-01 00:00');
      const bill = await billFor(service, late.id, '2026-02-01');
      expect(bill).toMatchObject({ issueDate: '2026-03-01', dueDate: '2026-03-21', totalFen: 30_00 });
      expect(await ledgerBalance(service.ctx.db, late.id)).toBe(60_00);
    });

    it('paid Mar 8 → 15 days late (Feb 22 … Mar 8) → a late fee of 1.35 is posted', async () => {
      service.clock.set(local('2026-03-08 15:30'));
      const paid = await pay(service, late.id, 30_00, 'late-1');
      expect(paid.ok && paid.value).toMatchObject({ allocatedFen: 30_00, lateFeesPostedFen: 1_35, duplicate: false });
      const january = await billFor(service, late.id, '2026-01-01');
      expect(january.outstandingFen).toBe(0);
    });

    it('on Apr 1 the late fee 1.35 is a line of the March bill, beside its rent', async () => {
      await advanceTo(service, '2026-04-01 00:00');
      const march = await billFor(service, late.id, '2026-03-01');
      expect(march.lines).toEqual([
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'late_fee', amountFen: 1_35 },
      ]);
      expect(march.totalFen).toBe(31_35);
    });

    it('the February bill, unpaid since Mar 21, is less than a month late on Apr 1: still current', async () => {
      expect(await dunningStageOf(service.ctx, late.id)).toMatchObject({
        stage: 'current',
        oldestUnpaidDueDate: '2026-03-21',
        overdueFen: 30_00,
      });
    });
  });
});

describe.each(engines)('suspension and restoration on %s (clause 5)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let subscriber: { id: string; number: string };
    let policy: ReturnType<typeof callPolicy>;

    beforeAll(async () => {
      service = await startTestService(engine, { start: JANUARY_FIRST });
      subscriber = await realSubscriberOn30(service);
      policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
    });
    afterAll(() => service?.close());

    const callOut = () => policy.authorizeCall({ caller: subscriber.number, callee: subscriber.number, at: service.clock.now() });

    it('the January bill (due Feb 21) is unpaid on Mar 21, the same date a month later: still in service', async () => {
      await advanceTo(service, '2026-02-01 00:00');
      await advanceTo(service, '2026-03-01 00:00');
      await advanceTo(service, '2026-03-21 23:59');
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('current');
      expect(await callOut()).toEqual({ allow: true });
    });

    it('past Mar 21 (Mar 22, 00:00) → suspended; calls are refused with 403 naming the overdue bill', async () => {
      await advanceTo(service, '2026-03-22 00:00');
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('suspended');
      expect((await activeSuspensions(service.ctx.db, subscriber.id)).map((s) => [s.cause, s.blocks, s.reason])).toEqual([
        ['overdue', 'all', 'Service suspended: overdue bill'],
      ]);
      const refused = await callOut();
      expect(refused).toMatchObject({ allow: false, status: 403 });
      expect(!refused.allow && refused.reason).toContain('Service suspended: overdue bill');
    });

    it('running the job again at the same instant changes nothing', async () => {
      await advanceTo(service, '2026-03-22 00:00');
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('suspended');
    });

    it('pays the January bill with its 29 days of late fee owed later → restored at once, without waiting for a job', async () => {
      service.clock.set(local('2026-03-22 09:00'));
      const paid = await pay(service, subscriber.id, 30_00, 'restore-1');
      // Feb 22 … Mar 22 is 29 days: 29 × 0.09 = 2.61; the February bill it finds a day late (Mar 22) has its 0.09 posted too.
      expect(paid.ok && paid.value.lateFeesPostedFen).toBe(2_61 + 9);
      // The February bill (due Mar 21) is now the oldest unpaid: one day late, not a month.
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('current');
      expect(await activeSuspensions(service.ctx.db, subscriber.id)).toEqual([]);
      expect(await callOut()).toEqual({ allow: true });
    });
  });
});

describe.each(engines)('termination for non-payment on %s (clause 5, 11)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let subscriber: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: JANUARY_FIRST });
      subscriber = await realSubscriberOn30(service);
    });
    afterAll(() => service?.close());

    it('never pays: suspended from Mar 22, still suspended on May 21 (three months after Feb 21)', async () => {
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
      // Rent continues while suspended for non-payment (setting, default yes): four bills of 30.00.
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(120_00);
    });

    it('past May 21 → terminated; collections = arrears + late fees, frozen', async () => {
      await advanceTo(service, '2026-05-22 00:00');
      expect((await dunningStageOf(service.ctx, subscriber.id)).stage).toBe('terminated');
      expect(await sipStatus(service, subscriber.number)).toMatchObject({ status: 'terminated' });
      const agreement = await service.ctx.db
        .selectFrom('subscribers')
        .select(['status', 'termination_reason'])
        .where('id', '=', subscriber.id)
        .executeTakeFirstOrThrow();
      expect(agreement).toEqual({ status: 'terminated', termination_reason: 'non-payment (agreement clause 5)' });
      // The final bill: May 1 … May 22 rent = 30.00 × 22/31 = 21.29, and the late fees posted today:
      // January 90 days (Feb 22 … May 22) 8.10, February 62 days 5.58, March 31 days 2.79, April 1 day 0.09.
      const final = await billFor(service, subscriber.id, '2026-05-01');
      expect(final.lines).toEqual([
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
      expect(Number(collections.arrears_fen)).toBe(4 * 30_00 + 21_29);
      expect(Number(collections.late_fees_fen)).toBe(8_10 + 5_58 + 2_79 + 9);
      expect(Number(collections.total_fen)).toBe(141_29 + 16_56);
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(157_85);
    });

    it('no bill follows termination, and the June run does not bill the subscriber again', async () => {
      await advanceTo(service, '2026-06-01 00:00');
      const bills = await service.ctx.db.selectFrom('bills').select('period').where('subscriber_id', '=', subscriber.id).execute();
      expect(bills).toHaveLength(5);
      expect(await unappliedCredit(service.ctx.db, subscriber.id)).toBe(0);
    });

    it('paying the collections amount on Jun 10 settles everything: no late fee accrues after the freeze', async () => {
      service.clock.set(local('2026-06-10 10:00'));
      const paid = await pay(service, subscriber.id, 157_85, 'collections-1');
      expect(paid.ok && paid.value).toMatchObject({ allocatedFen: 157_85, lateFeesPostedFen: 0 });
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(0);
    });
  });
});
