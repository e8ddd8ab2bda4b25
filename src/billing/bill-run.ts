import { sql, type RawBuilder } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { addMonthsClamped, periodEnd, periodOf, type LocalDate, type Period } from '../platform/zoned-calendar.js';
import type { BillingAccount } from './accounts.js';
import { issueBills } from './issue-bill.js';
import { billDates } from './rules.js';
import { loadTariffs, type PlanPrices } from './tariffs.js';

/**
 * Accounts per batch (one transaction each). Bills are composed and written in SQL a batch at a
 * time, and a batch reads the period's charges once, so larger batches bill faster; each holds
 * its accounts locked until it commits.
 */
const BILL_RUN_BATCH_SIZE = 25_000;

export interface BillRunHooks {
  /** Called after each committed batch; a test throws here to simulate a crash mid-run. */
  afterBatch?: (billedSoFar: number) => void | Promise<void>;
}

export interface BillRunProgress {
  period: Period;
  startedAt: string;
  finishedAt: string | null;
  subscribersTotal: number;
  subscribersBilled: number;
  lastError: string | null;
}

/**
 * The monthly bill run for `period` (clause 5): one bill per subscriber whose service ran in the
 * period, dated the day after the period ends (however late the run) and due `billDueDays` later. Idempotent per subscriber
 * and period (a unique key; billed subscribers are skipped), and resumable: each batch commits with
 * its progress, so after a crash the next run bills only who is left.
 */
export async function runBills(
  ctx: ServiceContext,
  period: Period,
  options: { batchSize?: number; concurrency?: number; hooks?: BillRunHooks } = {},
): Promise<BillRunProgress> {
  const batchSize = options.batchSize ?? BILL_RUN_BATCH_SIZE;
  const now = ctx.clock.now();
  if ((await openBillRun(ctx, period, now)) === 'finished') return (await billRunProgress(ctx.db, period))!;
  const tariffs = new Map<string, PlanPrices>();
  // The period decides the dates: a run late by days issues the bill an on-time run would have.
  const dates = billDates({ kind: 'regular', period }, ctx.settings.billDueDays);
  // Batches are taken one after another (by subscriber id) and billed by `concurrency` workers,
  // each batch in its own transaction on its own connection; after a failure no new batch starts.
  let after = '00000000-0000-0000-0000-000000000000';
  let exhausted = false;
  let failed = false;
  let taking: Promise<unknown> = Promise.resolve();
  const takeBatch = (): Promise<BillingAccount[]> => {
    const next = taking.then(async () => {
      if (exhausted || failed) return [];
      const accounts = await accountsToBill(ctx.db, period, after, batchSize);
      if (accounts.length < batchSize) exhausted = true;
      if (accounts.length > 0) after = accounts[accounts.length - 1]!.subscriberId;
      return accounts;
    });
    taking = next.catch(() => undefined);
    return next;
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const accounts = await takeBatch();
      if (accounts.length === 0) return;
      await loadTariffs(ctx, new Set(accounts.map((a) => a.planId)), tariffs);
      const billed = await ctx.db.transaction().execute(async (trx) => {
        // A batch's sorts and hashes (its lines, the period's charges) fit in memory at this size.
        await sql`set local work_mem = '64MB'`.execute(trx);
        // Compiling the plan costs more than it saves on a batch this size.
        await sql`set local jit = off`.execute(trx);
        // Read again once locked: a final bill or a plan correction committed since the read above
        // must be seen, not billed over (the unique key would fail the whole batch).
        const current = await lockedAccountsToBill(
          trx,
          period,
          accounts.map((a) => a.subscriberId),
        );
        const count = await issueBills({ accounts: current, period, kind: 'regular', dates }, { executor: trx, ctx, now, tariffs });
        await sql`update bill_runs set subscribers_billed = subscribers_billed + ${count} where period = ${period}::date`.execute(trx);
        return count;
      });
      await options.hooks?.afterBatch?.(billed);
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) {
    await ctx.db
      .updateTable('bill_runs')
      .set({ last_error: (failure.reason as Error).message })
      .where('period', '=', period)
      .execute();
    throw failure.reason;
  }
  await ctx.db.updateTable('bill_runs').set({ finished_at: now, last_error: null }).where('period', '=', period).execute();
  return (await billRunProgress(ctx.db, period))!;
}

/** Starts the run's progress record, counting who is to be billed, unless the run exists; says whether it finished. */
async function openBillRun(ctx: ServiceContext, period: Period, now: Date): Promise<'finished' | 'open'> {
  const existing = await ctx.db.selectFrom('bill_runs').select(['finished_at']).where('period', '=', period).executeTakeFirst();
  if (existing) return existing.finished_at ? 'finished' : 'open';
  const counts = await sql<{ total: number; billed: number }>`
    select (select count(*) from billing_accounts where service_start <= ${periodEnd(period)}::date and (service_end is null or service_end >= ${period}::date))::int as total,
           (select count(*) from bills where period = ${period}::date and kind <> 'supplementary')::int as billed`.execute(ctx.db);
  await ctx.db
    .insertInto('bill_runs')
    .values({
      period,
      started_at: now,
      finished_at: null,
      subscribers_total: counts.rows[0]!.total,
      subscribers_billed: counts.rows[0]!.billed,
      last_error: null,
    })
    .onConflict((oc) => oc.column('period').doNothing())
    .execute();
  return 'open';
}

/** The next accounts after `after` (by id) whose service ran in the period and that have no bill for it. */
async function accountsToBill(executor: Executor, period: Period, after: string, limit: number): Promise<BillingAccount[]> {
  const { rows } = await sql<BillingAccount>`
    select a.subscriber_id as "subscriberId", a.plan_id as "planId", a.service_start::text as "serviceStart", a.service_end::text as "serviceEnd"
    from billing_accounts a
    where a.service_start <= ${periodEnd(period)}::date and (a.service_end is null or a.service_end >= ${period}::date)
      and a.subscriber_id > ${after}::uuid
      and not exists (select 1 from bills b where b.subscriber_id = a.subscriber_id and b.period = ${period}::date and b.kind <> 'supplementary')
    order by a.subscriber_id
    limit ${limit}`.execute(executor);
  return rows;
}

/** The accounts among `ids` still to bill for the period, locked in subscriber order and read after the lock. */
async function lockedAccountsToBill(executor: Executor, period: Period, ids: readonly string[]): Promise<BillingAccount[]> {
  await sql`select 1 from billing_accounts where subscriber_id = any(${ids}::uuid[]) order by subscriber_id for update`.execute(executor);
  const { rows } = await sql<BillingAccount>`
    select a.subscriber_id as "subscriberId", a.plan_id as "planId", a.service_start::text as "serviceStart", a.service_end::text as "serviceEnd"
    from billing_accounts a
    where a.subscriber_id = any(${ids}::uuid[])
      and a.service_start <= ${periodEnd(period)}::date and (a.service_end is null or a.service_end >= ${period}::date)
      and not exists (select 1 from bills b where b.subscriber_id = a.subscriber_id and b.period = ${period}::date and b.kind <> 'supplementary')
    order by a.subscriber_id`.execute(executor);
  return rows;
}

export async function billRunProgress(executor: Executor, period: Period): Promise<BillRunProgress | null> {
  return (await billRuns(executor, sql`where period = ${period}::date`))[0] ?? null;
}

export async function listBillRuns(executor: Executor): Promise<BillRunProgress[]> {
  return billRuns(executor, sql`order by period desc`);
}

async function billRuns(executor: Executor, filter: RawBuilder<unknown>): Promise<BillRunProgress[]> {
  const { rows } = await sql<{
    period: string;
    started_at: Date;
    finished_at: Date | null;
    subscribers_total: number;
    subscribers_billed: number;
    last_error: string | null;
  }>`select period::text as period, started_at, finished_at, subscribers_total, subscribers_billed, last_error from bill_runs ${filter}`.execute(
    executor,
  );
  return rows.map((row) => ({
    period: row.period,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    subscribersTotal: row.subscribers_total,
    subscribersBilled: row.subscribers_billed,
    lastError: row.last_error,
  }));
}

/** Every complete period with a subscriber in it whose run has not finished, oldest first. */
export async function periodsToBill(ctx: ServiceContext, today: LocalDate): Promise<Period[]> {
  const lastComplete = addMonthsClamped(periodOf(today), -1);
  const first = await sql<{
    p: string | null;
  }>`select date_trunc('month', min(service_start))::date::text as p from billing_accounts`.execute(ctx.db);
  const start = first.rows[0]?.p;
  if (!start) return [];
  const finished = new Set(
    (await sql<{ period: string }>`select period::text as period from bill_runs where finished_at is not null`.execute(ctx.db)).rows.map(
      (r) => r.period,
    ),
  );
  const periods: Period[] = [];
  for (let p = start; p <= lastComplete; p = addMonthsClamped(p, 1)) if (!finished.has(p)) periods.push(p);
  return periods;
}
