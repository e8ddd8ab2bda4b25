import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBill, isPosted } from '../../src/billing/compose-bill.js';
import { writeRegularBills } from '../../src/billing/compose-bill.sql.js';
import { billSnapshots } from '../../src/billing/issue-bill.js';
import { loadTariffs } from '../../src/billing/tariffs.js';
import { addDays } from '../../src/platform/zoned-calendar.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addPlan } from './support.js';

const account = fc.record({
  plan: fc.integer({ min: 0, max: 2 }),
  // Days from 2025-12-01: service may start before, inside or after the period, and may have ended.
  startDay: fc.integer({ min: 0, max: 120 }),
  endAfterDays: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
  usage: fc.array(
    fc.record({
      kind: fc.constantFrom('rating' as const, 'correction' as const),
      fen: fc.integer({ min: -5_00, max: 50_00 }),
      billable: fc.integer({ min: 0, max: 7_200 }),
      charged: fc.integer({ min: 0, max: 7_200 }),
    }),
    { maxLength: 4 },
  ),
  pending: fc.array(
    fc.record({
      kind: fc.constantFrom('late_fee' as const, 'adjustment' as const, 'correction' as const),
      fen: fc.integer({ min: 1, max: 9_99 }),
    }),
    { maxLength: 3 },
  ),
});

describe.each(engines)('the SQL form of composeBill on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let planIds: string[];

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2025-12-01T00:00:00Z' });
      planIds = [
        await addPlan(service, { monthlyRentFen: 30_00 }),
        await addPlan(service, { monthlyRentFen: 58_00 }),
        await addPlan(service, { monthlyRentFen: 0 }),
      ];
    });
    afterAll(() => service?.close());

    it('writes for any accounts, usage and pending charges the lines, descriptions, details, keys and totals composeBill gives', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('2026-01-01', '2026-02-01', '2028-02-01'),
          fc.array(account, { minLength: 1, maxLength: 5 }),
          async (period, accounts) => {
            const db = service.ctx.db;
            const now = new Date('2026-03-01T00:00:00Z');
            const ids: string[] = [];
            for (const a of accounts) {
              const id = randomUUID();
              ids.push(id);
              const start = addDays('2025-12-01', a.startDay);
              await db
                .insertInto('billing_accounts')
                .values({
                  subscriber_id: id,
                  plan_id: planIds[a.plan]!,
                  service_start: start,
                  service_end: a.endAfterDays === null ? null : addDays(start, a.endAfterDays),
                  created_at: now,
                  updated_at: now,
                })
                .execute();
              for (const u of a.usage) {
                await sql`
                  insert into call_charges (call_record_id, subscriber_id, kind, plan_id, usage_period, bill_period, answered_at, duration_ms,
                                            billable_seconds, included_seconds, charged_seconds, charge_fen, rated_at)
                  values (${randomUUID()}, ${id}, ${u.kind}, ${planIds[a.plan]!}, ${period}::date, ${period}::date, ${now}, 1000,
                          ${u.billable}, 0, ${u.charged}, ${u.fen}, ${now})`.execute(db);
              }
              for (const p of a.pending) {
                await sql`
                  insert into ledger_entries (subscriber_id, kind, amount_fen, description, idempotency_key, posted_at)
                  values (${id}, ${p.kind}, ${p.fen}, 'pending', ${randomUUID()}, ${now})`.execute(db);
              }
            }
            const rows = await sql<{ subscriberId: string; planId: string; serviceStart: string; serviceEnd: string | null }>`
              select subscriber_id as "subscriberId", plan_id as "planId", service_start::text as "serviceStart", service_end::text as "serviceEnd"
              from billing_accounts where subscriber_id = any(${ids}::uuid[])`.execute(db);
            const tariffs = await loadTariffs(service.ctx, planIds);
            const expected = (await billSnapshots(db, service.ctx.settings, period, rows.rows, tariffs, new Map())).map(composeBill);

            await writeRegularBills(
              db,
              { subscriberIds: ids, period, tariffs: [...tariffs.values()] },
              { issueDate: '2026-03-01', dueDate: '2026-03-21', now },
            );

            for (const bill of expected) {
              const written = await sql<{
                total_fen: string;
                late_fee_fen: string;
                service_from: string | null;
                service_to: string | null;
              }>`
                select total_fen::text, late_fee_fen::text, service_from::text, service_to::text from bills
                where subscriber_id = ${bill.subscriberId} and period = ${period}::date`.execute(db);
              expect(written.rows.map((b) => [Number(b.total_fen), Number(b.late_fee_fen), b.service_from, b.service_to])).toEqual([
                [bill.totalFen, bill.lateFeeFen, bill.serviceFrom, bill.serviceTo],
              ]);
              const lines = await sql<{
                id: string;
                kind: string;
                amount_fen: string;
                description: string;
                detail: unknown;
                idempotency_key: string;
              }>`
                select e.id, e.kind, e.amount_fen::text, e.description, e.detail, e.idempotency_key
                from bill_lines l join bills b on b.id = l.bill_id join ledger_entries e on e.id = l.ledger_entry_id
                where b.subscriber_id = ${bill.subscriberId} and b.period = ${period}::date
                order by l.position`.execute(db);
              expect(
                lines.rows.map((l) =>
                  l.description === 'pending'
                    ? { kind: l.kind, amountFen: Number(l.amount_fen), entryId: l.id }
                    : {
                        kind: l.kind,
                        amountFen: Number(l.amount_fen),
                        description: l.description,
                        detail: l.detail,
                        idempotencyKey: l.idempotency_key,
                      },
                ),
              ).toEqual(bill.lines.map((line) => (isPosted(line) ? line : { ...line })));
            }
          },
        ),
        { numRuns: 40 },
      );
    }, 240_000);
  });
});
