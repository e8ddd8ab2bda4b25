import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { rentStoppingSuspensions } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { appendEventsFrom } from '../platform/events/index.js';
import { addDays, localDateOf, periodEnd, periodOf, startOfLocalDay, type LocalDate, type Period } from '../platform/zoned-calendar.js';
import { announceUsageTermsChanged, endService, findBillingAccount, releaseBillingNumbers, type BillingAccount } from './accounts.js';
import { composeBill, isPosted, type BillSnapshot, type ComposedBill } from './compose-bill.js';
import { BILL_ISSUED, billIssuedRows, writeRegularBills } from './compose-bill.sql.js';
import { postEntries, type NewLedgerEntry } from './ledger.js';
import { phaseTimer } from './phase-timer.js';
import { applyCredit, lockSubscriber } from './receivables.js';
import { billDates } from './rules.js';
import type { LedgerKind } from './tables.js';
import { loadTariffs, type PlanPrices } from './tariffs.js';

/**
 * A monthly bill (the bill run), the final one of an account whose service ended (clause 11), or a
 * supplementary one for charges posted after the final bill (a late fee that accrued until the
 * final bill was paid, a staff adjustment), so no charge is ever owed without a document showing it.
 */
export type BillKind = 'regular' | 'final' | 'supplementary';

export interface IssueBillDeps {
  /** Bills are written in the caller's transaction: the embedded engine has one connection. */
  executor: Executor;
  ctx: ServiceContext;
  /** When the bill is written (its `issued_at`); its dates come from `billDates`, not from this. */
  now: Date;
  /** Plan versions already loaded (the bill run reuses them across batches); missing ones are loaded. */
  tariffs?: Map<string, PlanPrices>;
}

/** Issues one account's bill for `period`: see `issueBills`. */
export function issueBill(
  input: { account: BillingAccount; period: Period; kind: BillKind; dates: BillDates },
  deps: IssueBillDeps,
): Promise<number> {
  return issueBills({ accounts: [input.account], period: input.period, kind: input.kind, dates: input.dates }, deps);
}

export type BillDates = ReturnType<typeof billDates>;

/**
 * The one writer of bills (clause 5, 11): locks the accounts, then composes and writes each one's
 * bill, then lets credit the subscriber already holds pay the new bill. A regular bill with no day
 * inside a suspension that stops rent is composed and written in SQL (`writeRegularBills`, held
 * equal to composeBill by its test), all of a batch in one statement; the others gather a snapshot
 * in a few set-based reads, compose it (`composeBill`) and write bills, new ledger entries and lines
 * in one statement each. Returns how many bills were written. The caller owns the transaction and
 * has checked no bill exists yet.
 */
export async function issueBills(
  input: { accounts: readonly BillingAccount[]; period: Period; kind: BillKind; dates: BillDates },
  deps: IssueBillDeps,
): Promise<number> {
  const { executor, ctx, now } = deps;
  const ids = input.accounts.map((a) => a.subscriberId);
  if (ids.length === 0) return 0;
  const phase = phaseTimer();
  // The accounts are locked, in one order, as payments and refunds lock theirs: credit applied
  // below must not be refunded, or a payment miss the new bill, between this read and the commit.
  await sql`select 1 from billing_accounts where subscriber_id = any(${ids}::uuid[]) order by subscriber_id for update`.execute(executor);
  phase('lock');
  const tariffs = await loadTariffs(
    { ...ctx, db: executor },
    input.accounts.map((a) => a.planId),
    deps.tariffs,
  );
  // Clause 5 (by setting) and false data: days wholly inside a suspension that stops rent are not charged.
  const timeZone = ctx.settings.timeZone;
  const rentStopping = await rentStoppingSuspensions(
    executor,
    ctx.settings,
    ids,
    startOfLocalDay(input.period, timeZone),
    startOfLocalDay(addDays(periodEnd(input.period), 1), timeZone),
  );
  phase('suspensions');
  const header = { period: input.period, kind: input.kind, ...input.dates, now };
  const inSql = input.kind === 'regular' ? input.accounts.filter((a) => !rentStopping.has(a.subscriberId)) : [];
  const composed = input.kind === 'regular' ? input.accounts.filter((a) => rentStopping.has(a.subscriberId)) : input.accounts;
  const billed = await writeRegularBills(
    executor,
    { subscriberIds: inSql.map((a) => a.subscriberId), period: input.period, tariffs: [...tariffs.values()] },
    header,
  );
  phase('bills in SQL');
  const snapshots = (await billSnapshots(executor, ctx.settings, input.period, composed, tariffs, rentStopping)).map((snapshot) =>
    input.kind === 'supplementary' ? { ...snapshot, chargesOnly: true } : snapshot,
  );
  const bills = snapshots.map(composeBill);
  await writeBills(executor, header, bills);
  phase('bills composed');
  // Credit already on the account (an overpayment, a credit note, a bill that came out negative) pays
  // the new bill at once, as of when both existed: the bill's issue date, or the newest credit's
  // arrival if that was later, so a late run does not make money that was waiting look late.
  const issuedFrom = startOfLocalDay(input.dates.issueDate, timeZone);
  const withCredit = await sql<{ subscriber_id: string; arrived: Date }>`
    select subscriber_id, max(arrived) as arrived from (
      select p.subscriber_id, p.paid_at as arrived from payments p where p.subscriber_id = any(${ids}::uuid[])
      union all
      select subscriber_id, posted_at from ledger_entries where subscriber_id = any(${ids}::uuid[]) and kind = 'credit_note'
      union all
      select subscriber_id, issued_at from bills where subscriber_id = any(${ids}::uuid[]) and total_fen < 0
    ) as credit group by subscriber_id`.execute(executor);
  for (const { subscriber_id, arrived } of withCredit.rows) {
    const effectiveAt = new Date(Math.min(now.getTime(), Math.max(issuedFrom.getTime(), new Date(arrived).getTime())));
    await applyCredit(executor, ctx.settings, subscriber_id, effectiveAt, now);
  }
  phase('credit');
  ctx.logger.debug({ phaseMs: phase.totals(), bills: billed + bills.length }, 'bill batch');
  return billed + bills.length;
}

/** Each account's snapshot, in the accounts' order: two reads for the whole batch. */
export async function billSnapshots(
  executor: Executor,
  settings: ServiceContext['settings'],
  period: Period,
  accounts: readonly BillingAccount[],
  tariffs: Map<string, PlanPrices>,
  rentStopping: Map<string, { startedAt: Date; liftedAt: Date | null }[]>,
): Promise<BillSnapshot[]> {
  if (accounts.length === 0) return [];
  const ids = accounts.map((a) => a.subscriberId);
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
    group by subscriber_id, kind
    -- Printed in this order: the period's calls, then corrections of calls rated before.
    order by subscriber_id, kind = 'correction'`.execute(executor);
  const pending = await sql<{ id: string; subscriber_id: string; kind: LedgerKind; amount_fen: number }>`
    select e.id, e.subscriber_id, e.kind, e.amount_fen from ledger_entries e
    where e.subscriber_id = any(${ids}::uuid[]) and e.kind in ('late_fee', 'adjustment', 'correction')
      and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)
    order by e.seq`.execute(executor);
  const timeZone = settings.timeZone;
  const usageBy = groupBySubscriber(usage.rows);
  const pendingBy = groupBySubscriber(pending.rows);
  return accounts.map((account) => {
    const plan = tariffs.get(account.planId)!;
    return {
      subscriberId: account.subscriberId,
      period,
      serviceStart: account.serviceStart,
      serviceEnd: account.serviceEnd,
      plan: { planId: plan.planId, code: plan.code, monthlyRentFen: plan.monthlyRentFen },
      rentStoppingDays: (rentStopping.get(account.subscriberId) ?? []).map((s) => wholeDaysOf(s, timeZone)),
      usage: (usageBy.get(account.subscriberId) ?? []).map((row) => ({
        kind: row.kind,
        chargeFen: Number(row.charge),
        calls: row.calls,
        chargedSeconds: Number(row.charged_seconds),
        billableSeconds: Number(row.billable_seconds),
      })),
      pendingCharges: (pendingBy.get(account.subscriberId) ?? []).map((row) => ({
        entryId: row.id,
        kind: row.kind,
        amountFen: Number(row.amount_fen),
      })),
    };
  });
}

function groupBySubscriber<T extends { subscriber_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.subscriber_id);
    if (group) group.push(row);
    else groups.set(row.subscriber_id, [row]);
  }
  return groups;
}

/** The local days a suspension covered wholly: from the day it began (the next, unless at midnight) to the day before it was lifted. */
function wholeDaysOf(suspension: { startedAt: Date; liftedAt: Date | null }, timeZone: string) {
  const startDay = localDateOf(suspension.startedAt, timeZone);
  const startsAtMidnight = startOfLocalDay(startDay, timeZone).getTime() === suspension.startedAt.getTime();
  return {
    firstFullDay: startsAtMidnight ? startDay : addDays(startDay, 1),
    lastFullDay: suspension.liftedAt ? addDays(localDateOf(suspension.liftedAt, timeZone), -1) : null,
  };
}

/** Writes composed bills: their new ledger entries, the bills, and every line in print order, one statement each. */
async function writeBills(
  executor: Executor,
  header: { period: Period; kind: BillKind; issueDate: LocalDate; dueDate: LocalDate; now: Date },
  bills: readonly ComposedBill[],
): Promise<void> {
  if (bills.length === 0) return;
  const entries: (NewLedgerEntry & { id: string })[] = [];
  const lines: { billId: string; entryId: string; position: number }[] = [];
  const billIds = bills.map((bill) => {
    const billId = randomUUID();
    bill.lines.forEach((line, i) => {
      const entryId = isPosted(line) ? line.entryId : randomUUID();
      if (!isPosted(line)) entries.push({ ...line, id: entryId, subscriberId: bill.subscriberId, billId, postedAt: header.now });
      lines.push({ billId, entryId, position: i + 1 });
    });
    return billId;
  });
  await postEntries(executor, entries);
  const col = <T>(pick: (b: ComposedBill) => T) => bills.map(pick);
  await sql`
    insert into bills (id, subscriber_id, period, kind, issue_date, due_date, issued_at, total_fen, late_fee_fen, principal_fen, service_from, service_to)
    select t.id, t.subscriber_id, ${header.period}::date, ${header.kind}, ${header.issueDate}::date, ${header.dueDate}::date, ${header.now}::timestamptz,
           t.total, t.late_fee, t.total - t.late_fee, t.service_from, t.service_to
    from unnest(${billIds}::uuid[], ${col((b) => b.subscriberId)}::uuid[], ${col((b) => b.totalFen)}::bigint[],
                ${col((b) => b.lateFeeFen)}::bigint[], ${col((b) => b.serviceFrom)}::date[], ${col((b) => b.serviceTo)}::date[])
         as t(id, subscriber_id, total, late_fee, service_from, service_to)`.execute(executor);
  await appendEventsFrom(BILL_ISSUED, 'subscriber', billIssuedRows(sql`(select * from bills where id = any(${billIds}::uuid[]))`)).execute(
    executor,
  );
  if (lines.length > 0) {
    await sql`
      insert into bill_lines (bill_id, ledger_entry_id, position)
      select * from unnest(${lines.map((l) => l.billId)}::uuid[], ${lines.map((l) => l.entryId)}::uuid[], ${lines.map((l) => l.position)}::int[])`.execute(
      executor,
    );
  }
}

/**
 * The final bill (clause 11): service ends on `lastDay`, the subscriber's numbers stop being billed,
 * and the bill of that month carries rent prorated to `lastDay`, the period's usage and every charge
 * not yet billed. Service ends once: a later termination (the agreement completing, or dunning)
 * keeps the first end. Runs in the caller's transaction with the subscriber locked.
 */
export async function endServiceWithFinalBill(
  executor: Executor,
  ctx: ServiceContext,
  subscriberId: string,
  lastDay: LocalDate,
  now: Date,
): Promise<void> {
  const before = await findBillingAccount(executor, subscriberId);
  if (!before || before.serviceEnd !== null) return;
  await endService(executor, subscriberId, lastDay, now);
  await releaseBillingNumbers(executor, subscriberId, now);
  const period = periodOf(lastDay);
  const exists = await executor
    .selectFrom('bills')
    .select('id')
    .where('subscriber_id', '=', subscriberId)
    .where('period', '=', period)
    .where('kind', '<>', 'supplementary')
    .executeTakeFirst();
  if (exists) return;
  const dates = billDates({ kind: 'final', lastDay, today: localDateOf(now, ctx.settings.timeZone) }, ctx.settings.billDueDays);
  await issueBill({ account: { ...before, serviceEnd: lastDay }, period, kind: 'final', dates }, { executor, ctx, now });
}

/**
 * Supplementary bills (clause 11 with clause 5): an account whose service ended on a final bill may
 * still be charged afterwards — the late fee that accrued until the final bill was paid, an
 * adjustment staff post. Each such account gets a bill carrying those charges, dated the day the
 * newest of them was posted (so a late job issues the same bill), due `billDueDays` later; credit
 * on the account pays it at once. Idempotent: charges on a bill are not pending any more.
 */
export async function issueSupplementaryBills(ctx: ServiceContext, until: Date): Promise<number> {
  const { rows } = await sql<{ subscriber_id: string }>`
    select a.subscriber_id from billing_accounts a
    where a.service_end is not null
      and exists (select 1 from bills b where b.subscriber_id = a.subscriber_id and b.kind = 'final')
      and exists (select 1 from ledger_entries e
                  where e.subscriber_id = a.subscriber_id and e.kind in ('late_fee', 'adjustment', 'correction') and e.posted_at <= ${until}
                    and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id))`.execute(ctx.db);
  let issued = 0;
  for (const { subscriber_id: subscriberId } of rows) {
    issued += await ctx.db.transaction().execute(async (trx) => {
      await lockSubscriber(trx, subscriberId);
      const account = await findBillingAccount(trx, subscriberId);
      const newest = await sql<{ posted_at: Date | null }>`
        select max(e.posted_at) as posted_at from ledger_entries e
        where e.subscriber_id = ${subscriberId} and e.kind in ('late_fee', 'adjustment', 'correction')
          and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)`.execute(trx);
      const postedAt = newest.rows[0]?.posted_at;
      if (!account || !postedAt) return 0;
      const dates = billDates(
        { kind: 'supplementary', lastPosted: localDateOf(new Date(postedAt), ctx.settings.timeZone) },
        ctx.settings.billDueDays,
      );
      return issueBill({ account, period: periodOf(dates.issueDate), kind: 'supplementary', dates }, { executor: trx, ctx, now: until });
    });
  }
  return issued;
}

/** Clause 11, on the subscriber's request: the final bill now; the agreement ends once the balance is settled. */
export async function issueFinalBill(ctx: ServiceContext, subscriberId: string, lastDay?: LocalDate): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockSubscriber(trx, subscriberId);
    await endServiceWithFinalBill(trx, ctx, subscriberId, lastDay ?? localDateOf(now, ctx.settings.timeZone), now);
  });
  announceUsageTermsChanged();
}
