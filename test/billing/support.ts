import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import {
  billBalances,
  correctAccountPlan,
  entitlementsServiceControl,
  findBillingAccount,
  ledgerOf,
  openBillingAccount,
  type BillingContext,
} from '../../src/billing/index.js';
import { provisionSipAccounts, publishCallCompleted } from '../../src/calls/index.js';
import { rateCallsInOrder, type PlanTariff } from '../../src/billing/rules.js';
import { createPlan, type NewPlan } from '../../src/catalog/index.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';

/** An instant given as the operator's wall-clock time (Asia/Shanghai, UTC+8): `local('2026-02-01')`. */
export function local(dateTime: string): Date {
  const [date, time = '00:00'] = dateTime.split(' ');
  return new Date(`${date}T${time.length === 5 ? time + ':00' : time}+08:00`);
}

export const basic: NewPlan = {
  code: 'basic',
  nameZh: '基础套餐',
  nameEn: 'Basic',
  monthlyRentFen: 30_00,
  includedMinutes: 0,
  perMinuteRatePrecise: 15_0000,
  billingIncrementSeconds: 6,
  sortOrder: 10,
};

let planCounter = 0;

export async function addPlan(service: TestService, overrides: Partial<NewPlan> = {}): Promise<string> {
  planCounter += 1;
  const result = await createPlan(service.ctx, { ...basic, code: `plan-${planCounter}`, ...overrides }, systemActor);
  if (!result.ok) throw new Error(result.failure.message);
  return result.value.id;
}

/** Billing as service.ts wires it: dunning acts through entitlements and termination. */
export function billingOf(service: TestService): BillingContext {
  return { ...service.ctx, control: entitlementsServiceControl(service.ctx, null) };
}

/**
 * Stories that are not about dunning use subscribers known only to billing; they run with dunning
 * pushed far out, so no suspension is attempted for someone the subscribers module does not know.
 */
export const noDunning = { VP_SUSPEND_AFTER_OVERDUE_MONTHS: '12', VP_TERMINATE_AFTER_OVERDUE_MONTHS: '36' };

let numberCounter = 0;

/** A subscriber whose service starts on `serviceStart` (local date), with a number and its SIP account. */
export async function addSubscriber(service: TestService, planId: string, serviceStart: string): Promise<{ id: string; number: string }> {
  numberCounter += 1;
  const id = randomUUID();
  const number = `+8610${String(60_000_000 + numberCounter + Math.floor(Math.random() * 1_000_000) * 100)}`;
  await provisionSipAccounts(service.ctx.db, 'vp.test', [{ number, password: 'secret-password' }], service.clock.now());
  await openBillingAccount(service.ctx, { subscriberId: id, planId, serviceStart, numbers: [number] });
  return { id, number };
}

/** A call record as the SIP core writes it when a call ends. */
export async function addCall(
  service: TestService,
  caller: string,
  call: { answeredAt: Date | null; durationMs: number; status?: 'completed' | 'failed' | 'cancelled' },
): Promise<string> {
  const id = randomUUID();
  const invited = new Date((call.answeredAt ?? service.clock.now()).getTime() - 5_000);
  const ended = call.answeredAt ? new Date(call.answeredAt.getTime() + call.durationMs) : invited;
  await service.ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('call_records')
      .values({
        id,
        call_id: randomUUID(),
        from_tag: 'tag',
        caller,
        callee: '+8610999',
        caller_device: null,
        callee_device: null,
        invited_at: invited,
        answered_at: call.answeredAt,
        ended_at: ended,
        duration_ms: call.answeredAt ? call.durationMs : null,
        status: call.status ?? 'completed',
        final_status: call.answeredAt ? 200 : 486,
        hung_up_by: 'caller',
        end_reason: null,
        session_expires_s: null,
        last_activity_at: ended,
      })
      .execute();
    // Completing a record publishes it, as the recorder's statement does; billing rates from the event.
    if ((call.status ?? 'completed') === 'completed' && call.answeredAt) {
      await publishCallCompleted(trx, {
        recordId: id,
        caller,
        callee: '+8610999',
        answeredAt: call.answeredAt.toISOString(),
        endedAt: ended.toISOString(),
        durationMs: call.durationMs,
      });
    }
  });
  return id;
}

/** Moves the clock to a local instant and runs the billing job as the scheduler would. */
export async function advanceTo(service: TestService, localInstant: string): Promise<unknown> {
  service.clock.set(local(localInstant));
  const outcome = await service.jobs.runOnce('billing.cycle');
  if (outcome.status !== 'ran') throw new Error(`billing.cycle did not run: ${JSON.stringify(outcome)}`);
  return outcome.result;
}

export interface BillView {
  id: string;
  period: string;
  issueDate: string;
  dueDate: string;
  totalFen: number;
  outstandingFen: number;
  lines: { kind: string; amountFen: number }[];
}

export async function billsOf(service: TestService, subscriberId: string): Promise<BillView[]> {
  const balances = await billBalances(service.ctx.db, subscriberId);
  const ledger = await ledgerOf(service.ctx.db, subscriberId);
  return balances.map((b) => ({
    id: b.billId,
    period: b.period,
    issueDate: b.issueDate,
    dueDate: b.dueDate,
    totalFen: b.totalFen,
    outstandingFen: b.outstandingFen,
    lines: ledger
      .filter((e) => e.onBillId === b.billId)
      .sort((x, y) => (x.position ?? 0) - (y.position ?? 0))
      .map((e) => ({ kind: e.kind, amountFen: e.amountFen })),
  }));
}

export async function billFor(service: TestService, subscriberId: string, period: string): Promise<BillView> {
  const bill = (await billsOf(service, subscriberId)).find((b) => b.period === period);
  expect(bill, `a bill for ${period}`).toBeDefined();
  return bill!;
}

export async function sipStatus(service: TestService, number: string): Promise<{ status: string; reason: string | null }> {
  const row = await service.ctx.db
    .selectFrom('sip_accounts')
    .select(['status', 'status_reason'])
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  return { status: row.status, reason: row.status_reason };
}

/** Row counts and sums of every billing table: equal snapshots mean a re-run changed nothing. */
export async function billingFingerprint(service: TestService): Promise<Record<string, unknown>> {
  const tables = [
    'call_charges',
    'bills',
    'ledger_entries',
    'bill_lines',
    'payments',
    'payment_allocations',
    'collections',
    'dunning_states',
    'bill_runs',
  ];
  const result: Record<string, unknown> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(service.ctx.db);
    result[table] = rows[0]!.n;
  }
  const sums = await sql<{ ledger: number; bills: number; alloc: number }>`
    select (select coalesce(sum(amount_fen), 0) from ledger_entries)::bigint as ledger,
           (select coalesce(sum(total_fen), 0) from bills)::bigint as bills,
           (select coalesce(sum(amount_fen), 0) from payment_allocations)::bigint as alloc`.execute(service.ctx.db);
  result.sums = sums.rows[0];
  const stages = await sql<{
    subscriber_id: string;
    stage: string;
  }>`select subscriber_id, stage from dunning_states order by subscriber_id`.execute(service.ctx.db);
  result.stages = stages.rows;
  return result;
}

/** Rating's included-seconds counter equals the sum of the charges it counts, for every subscriber and month. */
export async function expectIncludedUsageMatchesCharges(service: TestService): Promise<void> {
  const { rows } = await sql<{ subscriber_id: string; usage_period: string; counter: string | null; charges: string | null }>`
    select coalesce(u.subscriber_id, c.subscriber_id) as subscriber_id, coalesce(u.usage_period, c.usage_period)::text as usage_period,
           u.used_seconds::text as counter, c.included::text as charges
    from included_usage u
    full join (select subscriber_id, usage_period, sum(included_seconds) as included from call_charges group by 1, 2) c
      on c.subscriber_id = u.subscriber_id and c.usage_period = u.usage_period
    where u.used_seconds is distinct from c.included`.execute(service.ctx.db);
  expect(rows).toEqual([]);
}

/** A call's rows in the rating sub-ledger, first rating then corrections, in the order they were written. */
export async function chargesOfCall(
  service: TestService,
  callRecordId: string,
): Promise<{ kind: string; included: number; charged: number; fen: number; billPeriod: string }[]> {
  const { rows } = await sql<{ kind: string; included: number; charged: number; fen: string; bill_period: string }>`
    select kind, included_seconds as included, charged_seconds as charged, charge_fen::text as fen, bill_period::text as bill_period
    from call_charges where call_record_id = ${callRecordId} order by id`.execute(service.ctx.db);
  return rows.map((r) => ({ kind: r.kind, included: r.included, charged: r.charged, fen: Number(r.fen), billPeriod: r.bill_period }));
}

/**
 * Issue #18, item 3: for every subscriber and month, what each call's rows add up to (its rating and
 * any corrections) is what `rateCallsInOrder` gives the month's calls sorted by start (answered_at,
 * then call record id). Every subscriber checked is on `tariff`.
 */
export async function expectChargesFollowStartOrder(service: TestService, tariff: PlanTariff): Promise<void> {
  const { rows } = await sql<{
    subscriber_id: string;
    usage_period: string;
    call_record_id: string;
    duration_ms: string;
    billable: number;
    included: number;
    charged: number;
    fen: string;
  }>`
    select subscriber_id, usage_period::text as usage_period, call_record_id, max(duration_ms)::text as duration_ms,
           sum(billable_seconds)::int as billable, sum(included_seconds)::int as included, sum(charged_seconds)::int as charged,
           sum(charge_fen)::text as fen
    from call_charges where plan_id = ${tariff.planId}
    group by subscriber_id, usage_period, call_record_id
    order by subscriber_id, usage_period, min(answered_at), call_record_id`.execute(service.ctx.db);
  const months = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = `${row.subscriber_id} ${row.usage_period}`;
    months.set(key, [...(months.get(key) ?? []), row]);
  }
  for (const calls of months.values()) {
    const charged = calls.map((c) => ({
      callRecordId: c.call_record_id,
      billableSeconds: c.billable,
      includedSeconds: c.included,
      chargedSeconds: c.charged,
      chargeFen: Number(c.fen),
    }));
    const rule = rateCallsInOrder(
      tariff,
      0,
      calls.map((c) => ({ callRecordId: c.call_record_id, durationMs: Number(c.duration_ms) })),
    );
    expect(charged).toEqual(rule);
  }
}

/** A person activated through the public API (application, approval, signature), then on the 30.00 test plan. */
export async function realSubscriberOn30(service: TestService): Promise<{ id: string; number: string }> {
  const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
  const person = await activeIndividual(service, reviewer);
  await advanceTo(service, '2026-01-01 08:10');
  expect(await findBillingAccount(service.ctx.db, person.id)).toMatchObject({ serviceStart: '2026-01-01' });
  await correctAccountPlan(service.ctx, person.id, await addPlan(service));
  return { id: person.id, number: person.number };
}
