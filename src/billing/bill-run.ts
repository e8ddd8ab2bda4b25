import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { rentStoppingSuspensions } from '../entitlements/index.js';
import { addDays, addMonthsClamped, localDateOf, periodEnd, periodOf, startOfLocalDay, type LocalDate, type Period } from './calendar.js';
import { postEntries, type NewLedgerEntry } from './ledger.js';
import { applyCredit } from './receivables.js';
import { proratedRent, rentFreeDays, serviceDaysIn } from './rules.js';
import { loadTariffs, type PlanPrices } from './tariffs.js';

interface AccountRow {
  subscriber_id: string;
  plan_id: string;
  service_start: string;
  service_end: string | null;
}

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
 * period, issued today in the operator's zone and due `billDueDays` later. Idempotent per subscriber
 * and period (a unique key; billed subscribers are skipped), and resumable: each batch commits with
 * its progress, so after a crash the next run bills only who is left.
 */
export async function runBills(
  ctx: ServiceContext,
  period: Period,
  options: { batchSize?: number; hooks?: BillRunHooks } = {},
): Promise<BillRunProgress> {
  const batchSize = options.batchSize ?? 5_000;
  const now = ctx.clock.now();
  const end = periodEnd(period);
  const existing = await ctx.db.selectFrom('bill_runs').select(['finished_at']).where('period', '=', period).executeTakeFirst();
  if (!existing) {
    const counts = await sql<{ total: number; billed: number }>`
      select (select count(*) from billing_accounts where service_start <= ${end}::date and (service_end is null or service_end >= ${period}::date))::int as total,
             (select count(*) from bills where period = ${period}::date)::int as billed`.execute(ctx.db);
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
  } else if (existing.finished_at) {
    return (await billRunProgress(ctx.db, period))!;
  }
  const tariffs = new Map<string, PlanPrices>();
  let after = '00000000-0000-0000-0000-000000000000';
  try {
    for (;;) {
      const { rows } = await sql<AccountRow>`
        select a.subscriber_id, a.plan_id, a.service_start::text as service_start, a.service_end::text as service_end
        from billing_accounts a
        where a.service_start <= ${end}::date and (a.service_end is null or a.service_end >= ${period}::date)
          and a.subscriber_id > ${after}::uuid
          and not exists (select 1 from bills b where b.subscriber_id = a.subscriber_id and b.period = ${period}::date)
        order by a.subscriber_id
        limit ${batchSize}`.execute(ctx.db);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.subscriber_id;
      await loadTariffs(ctx, new Set(rows.map((r) => r.plan_id)), tariffs);
      const billed = await ctx.db.transaction().execute(async (trx) => {
        const count = await issueBills(trx, ctx, period, rows, tariffs, 'regular', now);
        await sql`update bill_runs set subscribers_billed = subscribers_billed + ${count} where period = ${period}::date`.execute(trx);
        return count;
      });
      await options.hooks?.afterBatch?.(billed);
      if (rows.length < batchSize) break;
    }
  } catch (error) {
    await ctx.db
      .updateTable('bill_runs')
      .set({ last_error: (error as Error).message })
      .where('period', '=', period)
      .execute();
    throw error;
  }
  await ctx.db.updateTable('bill_runs').set({ finished_at: now, last_error: null }).where('period', '=', period).execute();
  return (await billRunProgress(ctx.db, period))!;
}

/**
 * Writes one bill per account for `period`: rent (prorated by day for a partial month, rounded once),
 * the period's usage and corrections from the rating sub-ledger, and every charge posted since the
 * last bill (late fees, adjustments) as lines. Then applies any credit the subscriber holds.
 */
export async function issueBills(
  executor: Executor,
  ctx: ServiceContext,
  period: Period,
  accounts: readonly AccountRow[],
  tariffs: Map<string, PlanPrices>,
  kind: 'regular' | 'final',
  now: Date,
): Promise<number> {
  const ids = accounts.map((a) => a.subscriber_id);
  // The batch's accounts are locked, in one order, as payments and refunds lock theirs: credit applied
  // below must not be refunded, or a payment miss the new bill, between this read and the commit.
  await sql`select 1 from billing_accounts where subscriber_id = any(${ids}::uuid[]) order by subscriber_id for update`.execute(executor);
  const usage = await sql<{
    subscriber_id: string;
    kind: 'rating' | 'correction';
    charge: number;
    calls: number;
    charged_seconds: number;
    billable_seconds: number;
  }>`
    select subscriber_id, kind, sum(charge_fen)::bigint as charge, count(*)::int as calls,
           sum(charged_seconds)::bigint as charged_seconds, sum(billable_seconds)::bigint as billable_seconds
    from call_charges where subscriber_id = any(${ids}::uuid[]) and bill_period = ${period}::date
    group by subscriber_id, kind`.execute(executor);
  const pending = await sql<{ id: string; subscriber_id: string; kind: string; amount_fen: number }>`
    select e.id, e.subscriber_id, e.kind, e.amount_fen from ledger_entries e
    where e.subscriber_id = any(${ids}::uuid[]) and e.kind in ('late_fee', 'adjustment', 'correction')
      and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)
    order by e.seq`.execute(executor);
  const usageBy = new Map<string, typeof usage.rows>();
  for (const row of usage.rows) usageBy.set(row.subscriber_id, [...(usageBy.get(row.subscriber_id) ?? []), row]);
  const pendingBy = new Map<string, typeof pending.rows>();
  for (const row of pending.rows) pendingBy.set(row.subscriber_id, [...(pendingBy.get(row.subscriber_id) ?? []), row]);

  // Clause 5 (by setting) and false data: days wholly inside a suspension that stops rent are not charged.
  const zone = ctx.settings.timeZone;
  const rentStopping = await rentStoppingSuspensions(
    executor,
    ids,
    startOfLocalDay(period, zone),
    startOfLocalDay(addDays(periodEnd(period), 1), zone),
  );
  const fullDaysOf = (suspension: { startedAt: Date; liftedAt: Date | null }) => {
    const startDay = localDateOf(suspension.startedAt, zone);
    const startsAtMidnight = startOfLocalDay(startDay, zone).getTime() === suspension.startedAt.getTime();
    return {
      firstFullDay: startsAtMidnight ? startDay : addDays(startDay, 1),
      lastFullDay: suspension.liftedAt ? addDays(localDateOf(suspension.liftedAt, zone), -1) : null,
    };
  };

  const issueDate: LocalDate = localDateOf(now, ctx.settings.timeZone);
  const dueDate = addDays(issueDate, ctx.settings.billDueDays);
  const entries: (NewLedgerEntry & { id: string })[] = [];
  const bills: { id: string; subscriberId: string; total: number; lateFee: number; from: string | null; to: string | null }[] = [];
  const lines: { billId: string; entryId: string; position: number }[] = [];
  for (const account of accounts) {
    const billId = randomUUID();
    const tariff = tariffs.get(account.plan_id)!;
    const billLines: { id: string; amount: number; kind: string }[] = [];
    const add = (entry: Omit<NewLedgerEntry, 'subscriberId' | 'postedAt' | 'billId'>) => {
      const id = randomUUID();
      entries.push({ ...entry, id, subscriberId: account.subscriber_id, billId, postedAt: now });
      billLines.push({ id, amount: entry.amountFen, kind: entry.kind });
    };
    const days = serviceDaysIn(period, account.service_start, account.service_end);
    const freeDays = days ? rentFreeDays(days.from, days.to, (rentStopping.get(account.subscriber_id) ?? []).map(fullDaysOf)) : 0;
    if (days && days.days > freeDays) {
      add({
        kind: 'rent',
        amountFen: proratedRent(tariff.monthlyRentFen, period, days.days - freeDays),
        description:
          `Monthly rent ${tariff.code}, ${days.from} – ${days.to}` + (freeDays > 0 ? `, less ${freeDays} days suspended without rent` : ''),
        detail: {
          planId: tariff.planId,
          monthlyRentFen: tariff.monthlyRentFen,
          from: days.from,
          to: days.to,
          days: days.days - freeDays,
          ...(freeDays > 0 ? { rentFreeDays: freeDays } : {}),
        },
        idempotencyKey: `rent:${account.subscriber_id}:${period}`,
      });
    }
    for (const row of usageBy.get(account.subscriber_id) ?? []) {
      add({
        kind: row.kind === 'rating' ? 'usage' : 'correction',
        amountFen: Number(row.charge),
        description:
          row.kind === 'rating'
            ? `Video calls: ${row.calls} calls, ${Number(row.charged_seconds)} s charged`
            : `Re-rating corrections: ${row.calls} calls`,
        detail: { calls: row.calls, billableSeconds: Number(row.billable_seconds), chargedSeconds: Number(row.charged_seconds), period },
        idempotencyKey: `${row.kind === 'rating' ? 'usage' : 'usage-correction'}:${account.subscriber_id}:${period}`,
      });
    }
    for (const entry of pendingBy.get(account.subscriber_id) ?? [])
      billLines.push({ id: entry.id, amount: Number(entry.amount_fen), kind: entry.kind });
    billLines.forEach((line, i) => lines.push({ billId, entryId: line.id, position: i + 1 }));
    bills.push({
      id: billId,
      subscriberId: account.subscriber_id,
      total: billLines.reduce((s, l) => s + l.amount, 0),
      lateFee: billLines.filter((l) => l.kind === 'late_fee').reduce((s, l) => s + l.amount, 0),
      from: days?.from ?? null,
      to: days?.to ?? null,
    });
  }
  await postEntries(executor, entries);
  const col = <T>(pick: (b: (typeof bills)[number]) => T) => bills.map(pick);
  await sql`
    insert into bills (id, subscriber_id, period, kind, issue_date, due_date, issued_at, total_fen, late_fee_fen, principal_fen, service_from, service_to)
    select t.id, t.subscriber_id, ${period}::date, ${kind}, ${issueDate}::date, ${dueDate}::date, ${now}::timestamptz,
           t.total, t.late_fee, t.total - t.late_fee, t.service_from, t.service_to
    from unnest(${col((b) => b.id)}::uuid[], ${col((b) => b.subscriberId)}::uuid[], ${col((b) => b.total)}::bigint[],
                ${col((b) => b.lateFee)}::bigint[], ${col((b) => b.from)}::date[], ${col((b) => b.to)}::date[])
         as t(id, subscriber_id, total, late_fee, service_from, service_to)`.execute(executor);
  if (lines.length > 0) {
    await sql`
      insert into bill_lines (bill_id, ledger_entry_id, position)
      select * from unnest(${lines.map((l) => l.billId)}::uuid[], ${lines.map((l) => l.entryId)}::uuid[], ${lines.map((l) => l.position)}::int[])`.execute(
      executor,
    );
  }
  // Credit already on the account (an overpayment, a credit note, a bill that came out negative) pays
  // the new bill at once.
  const withCredit = await sql<{ subscriber_id: string }>`
    select subscriber_id from ledger_entries where subscriber_id = any(${ids}::uuid[]) and kind in ('payment', 'credit_note')
    union
    select subscriber_id from bills where subscriber_id = any(${ids}::uuid[]) and total_fen < 0`.execute(executor);
  for (const { subscriber_id } of withCredit.rows) await applyCredit(executor, ctx.settings, subscriber_id, now, now);
  return bills.length;
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
