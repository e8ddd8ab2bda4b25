import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import {
  billBalances,
  ledgerBalance,
  postAdjustment,
  rateCompletedCalls,
  rebuildBalances,
  recordPayment,
  refundCredit,
  unappliedCredit,
} from '../../src/billing/index.js';
import { rateCallsInOrder } from '../../src/billing/rules.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addCall, addPlan, addSubscriber, billingFingerprint, billingOf, expectIncludedUsageMatchesCharges, noDunning } from './support.js';

type Action =
  | { kind: 'wait'; days: number; hours: number }
  | { kind: 'pay'; who: number; amountFen: number }
  | { kind: 'call'; who: number; durationMs: number }
  | { kind: 'adjust'; who: number; amountFen: number; credit: boolean }
  | { kind: 'refund'; who: number; share: number };

const who = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 0, max: 25 }), hours: fc.integer({ min: 0, max: 23 }) }),
  fc.record({ kind: fc.constant('pay' as const), who, amountFen: fc.integer({ min: 1, max: 80_00 }) }),
  fc.record({ kind: fc.constant('call' as const), who, durationMs: fc.integer({ min: 0, max: 3_600_000 }) }),
  fc.record({ kind: fc.constant('adjust' as const), who, amountFen: fc.integer({ min: 1, max: 20_00 }), credit: fc.boolean() }),
  fc.record({ kind: fc.constant('refund' as const), who, share: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

describe.each(engines)('billing properties on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let planId: string;
    let reference = 0;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: noDunning });
      planId = await addPlan(service, { includedMinutes: 10 });
    });
    afterAll(() => service?.close());

    /** The ledger balances: what it sums to is what the bills still owe, plus charges not billed yet, less unapplied credit. */
    async function assertBalanced(subscriberId: string): Promise<void> {
      const ledger = await ledgerBalance(service.ctx.db, subscriberId);
      const owed = (await billBalances(service.ctx.db, subscriberId)).reduce((s, b) => s + b.outstandingFen, 0);
      const unbilled = await sql<{ n: number }>`
        select coalesce(sum(amount_fen), 0)::bigint as n from ledger_entries e
        where subscriber_id = ${subscriberId} and kind in ('rent', 'usage', 'late_fee', 'adjustment', 'correction')
          and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)`.execute(service.ctx.db);
      const credit = await unappliedCredit(service.ctx.db, subscriberId);
      expect(credit).toBeGreaterThanOrEqual(0);
      expect(ledger).toBe(owed + Number(unbilled.rows[0]!.n) - credit);
    }

    it('whatever happens, the ledger balances, balances rebuild from it, and re-running the job for the same time changes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
          const billing = billingOf(service);
          const today = new Date(service.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
          const people = [];
          for (let i = 0; i < 3; i += 1) people.push(await addSubscriber(service, planId, today));
          for (const step of actions) {
            if (step.kind === 'wait') {
              service.clock.advance({ days: step.days, hours: step.hours });
              expect((await service.jobs.runOnce('billing.cycle')).status).toBe('ran');
              const before = await billingFingerprint(service);
              expect((await service.jobs.runOnce('billing.cycle')).status).toBe('ran');
              expect(await billingFingerprint(service)).toEqual(before);
            } else if (step.kind === 'pay') {
              reference += 1;
              await recordPayment(
                billing,
                {
                  subscriberId: people[step.who]!.id,
                  provider: 'prop',
                  externalReference: `p${reference}`,
                  amountFen: step.amountFen,
                  paidAt: service.clock.now(),
                  channel: 'webhook',
                },
                systemActor,
              );
            } else if (step.kind === 'call') {
              service.clock.advance({ seconds: 1 });
              await addCall(service, people[step.who]!.number, {
                answeredAt: new Date(service.clock.now().getTime() - step.durationMs - 1000),
                durationMs: step.durationMs,
              });
            } else if (step.kind === 'adjust') {
              reference += 1;
              await postAdjustment(
                billing,
                {
                  subscriberId: people[step.who]!.id,
                  kind: step.credit ? 'credit_note' : 'adjustment',
                  amountFen: step.amountFen,
                  reason: 'property',
                  idempotencyKey: `a${reference}`,
                },
                systemActor,
              );
            } else {
              const credit = await unappliedCredit(service.ctx.db, people[step.who]!.id);
              const amount = Math.floor(credit * step.share);
              if (amount > 0)
                await refundCredit(billing, { subscriberId: people[step.who]!.id, amountFen: amount, reason: 'property' }, systemActor);
            }
          }
          for (const person of people) await assertBalanced(person.id);
          const rebuilt = await rebuildBalances(service.ctx.db);
          for (const person of people) expect(rebuilt.get(person.id) ?? 0).toBe(await ledgerBalance(service.ctx.db, person.id));
        }),
        { numRuns: 8 },
      );
    }, 240_000);
  });
});

describe.each(engines)('rating in SQL is the rating rule on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let tariffs: { id: string; includedMinutes: number; perMinuteRatePrecise: number; billingIncrementSeconds: number }[];

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      tariffs = [];
      for (const [includedMinutes, perMinuteRatePrecise, billingIncrementSeconds] of [
        [0, 15_0000, 6],
        [3, 12_3457, 60],
        [10, 9_9999, 1],
      ] as const) {
        tariffs.push({
          id: await addPlan(service, { includedMinutes, perMinuteRatePrecise, billingIncrementSeconds }),
          includedMinutes,
          perMinuteRatePrecise,
          billingIncrementSeconds,
        });
      }
    });
    afterAll(() => service?.close());

    it('for any calls, in batches of any size, each call’s charges add up to what rateCallsInOrder says for the month’s calls in order of start', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 2 }),
          fc.array(fc.integer({ min: 0, max: 1_800_000 }), { minLength: 1, maxLength: 15 }),
          fc.integer({ min: 1, max: 6 }),
          async (which, durations, batchSize) => {
            const tariff = tariffs[which]!;
            const today = new Date(service.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
            const person = await addSubscriber(service, tariff.id, today);
            // Calls answered before the number was billed to them are not theirs.
            service.clock.advance({ hours: 1 });
            const calls: { callRecordId: string; durationMs: number; answeredAt: number }[] = [];
            for (const durationMs of durations) {
              service.clock.advance({ seconds: 1 });
              // Each call ends one second after the previous one, so they complete in list order but may
              // have started in any order (a long call overlapping shorter ones).
              const answeredAt = new Date(service.clock.now().getTime() - durationMs);
              calls.push({
                callRecordId: await addCall(service, person.number, { answeredAt, durationMs }),
                durationMs,
                answeredAt: answeredAt.getTime(),
              });
              // Rating runs between calls too: calls rated in earlier batches are corrected.
              if (calls.length % batchSize === 0) await rateCompletedCalls(service.ctx, service.clock.now(), { batchSize });
            }
            await rateCompletedCalls(service.ctx, service.clock.now(), { batchSize });
            const byStart = [...calls].sort((x, y) => x.answeredAt - y.answeredAt || (x.callRecordId < y.callRecordId ? -1 : 1));
            const expected = rateCallsInOrder({ planId: tariff.id, ...tariff }, 0, byStart);
            const { rows } = await sql<{ call_record_id: string; billable: number; included: number; charged: number; fen: string }>`
              select call_record_id, sum(billable_seconds)::int as billable, sum(included_seconds)::int as included,
                     sum(charged_seconds)::int as charged, sum(charge_fen)::text as fen
              from call_charges where subscriber_id = ${person.id} group by call_record_id`.execute(service.ctx.db);
            const byId = new Map(rows.map((r) => [r.call_record_id, r]));
            expect(
              byStart.map(({ callRecordId }) => {
                const r = byId.get(callRecordId)!;
                return {
                  callRecordId,
                  billableSeconds: r.billable,
                  includedSeconds: r.included,
                  chargedSeconds: r.charged,
                  chargeFen: Number(r.fen),
                };
              }),
            ).toEqual(expected);
            await expectIncludedUsageMatchesCharges(service);
            service.clock.advance({ hours: 2 });
          },
        ),
        { numRuns: 15 },
      );
    }, 240_000);
  });
});
