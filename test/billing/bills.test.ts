import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import {
  billRunProgress,
  correctAccountPlan,
  issueFinalBill,
  ledgerBalance,
  recordPayment,
  refundCredit,
  rerateSubscriber,
  runBills,
  unappliedCredit,
} from '../../src/billing/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import {
  addCall,
  addPlan,
  addSubscriber,
  advanceTo,
  billFor,
  billingOf,
  billsOf,
  expectIncludedUsageMatchesCharges,
  local,
  noDunning,
} from './support.js';

describe.each(engines)('rating calls on %s (clause 5)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: { id: string; number: string };
    let cheaper: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-02-28T00:00:00Z' });
      const planId = await addPlan(service, { includedMinutes: 1 });
      cheaper = await addPlan(service, { includedMinutes: 1, perMinuteRatePrecise: 10_0000 });
      alice = await addSubscriber(service, planId, '2026-03-01');
    });
    afterAll(() => service?.close());

    it('Alice makes three answered calls and one that nobody answers; the first minute is included', async () => {
      await addCall(service, alice.number, { answeredAt: local('2026-03-02 10:00'), durationMs: 45_000 });
      await addCall(service, alice.number, { answeredAt: local('2026-03-03 10:00'), durationMs: 61_000 });
      await addCall(service, alice.number, { answeredAt: local('2026-03-31 23:40'), durationMs: 600_001 });
      await addCall(service, alice.number, { answeredAt: null, durationMs: 0, status: 'failed' });
      await advanceTo(service, '2026-04-01 00:00');
      const charges = await service.ctx.db
        .selectFrom('call_charges')
        .select(['charge_fen', 'included_seconds', 'billable_seconds'])
        .orderBy('answered_at')
        .execute();
      expect(charges.map((c) => [Number(c.billable_seconds), Number(c.included_seconds), Number(c.charge_fen)])).toEqual([
        [48, 48, 0],
        [66, 12, 14],
        [606, 0, 152],
      ]);
      const march = await billFor(service, alice.id, '2026-03-01');
      expect(march.lines).toEqual([
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'usage', amountFen: 1_66 },
      ]);
    });

    it('rating again changes nothing: each call record is rated once', async () => {
      await advanceTo(service, '2026-04-01 00:05');
      expect(await service.ctx.db.selectFrom('call_charges').select('id').execute()).toHaveLength(3);
    });

    it('a tariff correction (she should have had the 0.10 plan) re-rates into a correction line on the next bill', async () => {
      await correctAccountPlan(service.ctx, alice.id, cheaper);
      expect(await rerateSubscriber(service.ctx, alice.id, '2026-03-01')).toEqual({ corrected: 2, deltaFen: 9 - 14 + (101 - 152) });
      expect(await rerateSubscriber(service.ctx, alice.id, '2026-03-01')).toEqual({ corrected: 0, deltaFen: 0 });
      await expectIncludedUsageMatchesCharges(service);
      // The March bill is issued and stays as it was.
      expect((await billFor(service, alice.id, '2026-03-01')).totalFen).toBe(31_66);
      await advanceTo(service, '2026-05-01 00:00');
      const april = await billFor(service, alice.id, '2026-04-01');
      expect(april.lines).toEqual([
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'correction', amountFen: -56 },
      ]);
    });

    it('issued bills, their lines and the ledger refuse to be changed or deleted', async () => {
      const bill = await billFor(service, alice.id, '2026-03-01');
      await expect(sql`update bills set total_fen = 0 where id = ${bill.id}`.execute(service.ctx.db)).rejects.toThrow(/immutable/);
      await expect(sql`delete from bill_lines where bill_id = ${bill.id}`.execute(service.ctx.db)).rejects.toThrow(/immutable/);
      await expect(sql`update ledger_entries set amount_fen = 0`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate ledger_entries cascade`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from call_charges`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
    });
  });
});

describe.each(engines)('partial months, payments and credit on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let planId: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2028-01-01T00:00:00Z', env: noDunning });
      planId = await addPlan(service);
    });
    afterAll(() => service?.close());

    const pay = (subscriberId: string, amountFen: number, reference: string) =>
      recordPayment(
        billingOf(service),
        { subscriberId, provider: 'bank', externalReference: reference, amountFen, paidAt: service.clock.now(), channel: 'manual' },
        systemActor,
      );

    it('service from Feb 10 of leap year 2028: the first bill charges 20 of 29 days, 20.69', async () => {
      const bob = await addSubscriber(service, planId, '2028-02-10');
      await advanceTo(service, '2028-03-01 00:00');
      expect((await billFor(service, bob.id, '2028-02-01')).lines).toEqual([{ kind: 'rent', amountFen: 20_69 }]);

      // He ends service on Mar 15 (clause 11): the final bill charges 15 of 31 days, 14.52.
      service.clock.set(local('2028-03-15 18:00'));
      await issueFinalBill(service.ctx, bob.id);
      const final = await billFor(service, bob.id, '2028-03-01');
      expect(final).toMatchObject({ issueDate: '2028-03-15', dueDate: '2028-04-04', lines: [{ kind: 'rent', amountFen: 14_52 }] });
      expect(await ledgerBalance(service.ctx.db, bob.id)).toBe(20_69 + 14_52);
      await advanceTo(service, '2028-04-01 00:00');
      expect(await billsOf(service, bob.id)).toHaveLength(2);
    });

    it('pays in two parts: the bill is settled by the second, and what stays owed is exact', async () => {
      const carol = await addSubscriber(service, planId, '2028-04-01');
      await advanceTo(service, '2028-05-01 00:00');
      expect((await billFor(service, carol.id, '2028-04-01')).totalFen).toBe(30_00);
      expect((await pay(carol.id, 12_34, 'carol-1')).ok).toBe(true);
      expect((await billFor(service, carol.id, '2028-04-01')).outstandingFen).toBe(17_66);
      expect((await pay(carol.id, 17_66, 'carol-2')).ok).toBe(true);
      expect((await billFor(service, carol.id, '2028-04-01')).outstandingFen).toBe(0);
      expect(await ledgerBalance(service.ctx.db, carol.id)).toBe(0);
    });

    it('overpays 100.00: the rest is credit, pays the next bills at once, and the remainder can be refunded', async () => {
      const dave = await addSubscriber(service, planId, '2028-05-01');
      service.clock.set(local('2028-05-20 12:00'));
      const paid = await pay(dave.id, 100_00, 'dave-1');
      expect(paid.ok && paid.value).toMatchObject({ allocatedFen: 0, creditFen: 100_00 });
      await advanceTo(service, '2028-06-01 00:00');
      expect((await billFor(service, dave.id, '2028-05-01')).outstandingFen).toBe(0);
      expect(await unappliedCredit(service.ctx.db, dave.id)).toBe(70_00);
      await advanceTo(service, '2028-07-01 00:00');
      expect(await unappliedCredit(service.ctx.db, dave.id)).toBe(40_00);
      const tooMuch = await refundCredit(billingOf(service), { subscriberId: dave.id, amountFen: 40_01, reason: 'leaving' }, systemActor);
      expect(tooMuch.ok).toBe(false);
      const refund = await refundCredit(billingOf(service), { subscriberId: dave.id, amountFen: 40_00, reason: 'leaving' }, systemActor);
      expect(refund.ok && refund.value.creditFen).toBe(0);
      expect(await ledgerBalance(service.ctx.db, dave.id)).toBe(0);
    });

    it('the same bank reference told twice is one payment; with another amount it is refused', async () => {
      const erin = await addSubscriber(service, planId, '2028-06-01');
      const first = await pay(erin.id, 5_00, 'erin-1');
      const again = await pay(erin.id, 5_00, 'erin-1');
      expect(first.ok && again.ok && again.value.duplicate).toBe(true);
      const changed = await pay(erin.id, 6_00, 'erin-1');
      expect(!changed.ok && changed.failure.kind).toBe('conflict');
      expect(await ledgerBalance(service.ctx.db, erin.id)).toBe(-5_00);
    });
  });
});

describe.each(engines)('a bill run that crashes half way on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    const subscribers: string[] = [];

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-06-15T00:00:00Z' });
      const planId = await addPlan(service);
      for (let i = 0; i < 7; i += 1) subscribers.push((await addSubscriber(service, planId, '2026-06-15')).id);
    });
    afterAll(() => service?.close());

    it('the process dies after the first batch of 3; the console shows 3 of 7; the rerun bills only the other 4', async () => {
      service.clock.set(local('2026-07-01 00:00'));
      const crash = runBills(service.ctx, '2026-06-01', {
        batchSize: 3,
        hooks: {
          afterBatch: () => {
            throw new Error('power cut');
          },
        },
      });
      await expect(crash).rejects.toThrow('power cut');
      expect(await billRunProgress(service.ctx.db, '2026-06-01')).toMatchObject({
        subscribersTotal: 7,
        subscribersBilled: 3,
        finishedAt: null,
        lastError: 'power cut',
      });

      service.clock.set(local('2026-07-01 00:10'));
      const resumed = await runBills(service.ctx, '2026-06-01', { batchSize: 3 });
      expect(resumed).toMatchObject({ subscribersTotal: 7, subscribersBilled: 7, lastError: null });
      expect(resumed.finishedAt).not.toBeNull();
      for (const id of subscribers) {
        const bills = await billsOf(service, id);
        // June 15 … 30 is 16 of 30 days: 16.00.
        expect(bills.map((b) => b.lines)).toEqual([[{ kind: 'rent', amountFen: 16_00 }]]);
      }
      const again = await runBills(service.ctx, '2026-06-01', { batchSize: 3 });
      expect(again.subscribersBilled).toBe(7);
      expect(await service.ctx.db.selectFrom('ledger_entries').select('id').where('kind', '=', 'rent').execute()).toHaveLength(7);
    });
  });
});
