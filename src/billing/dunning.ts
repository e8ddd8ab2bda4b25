import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import { appendEvent } from '../platform/events/index.js';
import { addDays, addMonthsClamped, localDateOf, type LocalDate } from '../platform/zoned-calendar.js';
import { announceUsageTermsChanged, numbersBilledTo } from './accounts.js';
import type { BillingContext } from './context.js';
import { endServiceWithFinalBill } from './issue-bill.js';
import { openDisputedByBill } from './disputed-amounts.js';
import { billBalances, lockSubscriber, postLateFee } from './receivables.js';
import { desiredDunningStage, dunningStagesFromSettings, type DunningStage } from './rules.js';

export const OVERDUE_SUSPENSION_REASON = 'Service suspended: overdue bill';

/** `billing.dunning-warning`: a bill became overdue; unless it is paid, service is suspended from `suspendOn` (clause 5). */
export const DUNNING_WARNING = 'billing.dunning-warning';
export interface DunningWarning {
  oldestDueDate: LocalDate;
  overdueFen: Fen;
  /** The first local day of the suspension the dunning stages foresee, or null when no stage suspends. */
  suspendOn: LocalDate | null;
}

export interface DunningView {
  stage: string;
  since: string | null;
  oldestUnpaidDueDate: LocalDate | null;
  overdueFen: Fen;
}

/** The snapshot the pure rule reads: today and the due date of the oldest bill with anything outstanding. */
async function snapshot(executor: Executor, ctx: ServiceContext, subscriberId: string) {
  const today = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  const bills = await billBalances(executor, subscriberId);
  // Clause 6: an amount under open dispute is not overdue; a bill owed only in that amount suspends nobody.
  const disputed = await openDisputedByBill(executor, subscriberId);
  const unpaid = bills.filter((b) => b.outstandingFen - (disputed.get(b.billId) ?? 0) > 0);
  const oldest = unpaid.reduce<LocalDate | null>((min, b) => (min === null || b.dueDate < min ? b.dueDate : min), null);
  return {
    today,
    oldestUnpaidDueDate: oldest,
    bills,
    overdueFen: unpaid.filter((b) => b.dueDate < today).reduce((s, b) => s + b.outstandingFen - (disputed.get(b.billId) ?? 0), 0),
  };
}

export async function dunningStageOf(ctx: ServiceContext, subscriberId: string): Promise<DunningView> {
  const state = await ctx.db
    .selectFrom('dunning_states')
    .select(['stage', 'since'])
    .where('subscriber_id', '=', subscriberId)
    .executeTakeFirst();
  const snap = await snapshot(ctx.db, ctx, subscriberId);
  return {
    stage: state?.stage ?? 'current',
    since: state?.since.toISOString() ?? null,
    oldestUnpaidDueDate: snap.oldestUnpaidDueDate,
    overdueFen: snap.overdueFen,
  };
}

/**
 * Dunning (clause 5), applied in this one place: the pure rule names the stage the subscriber should
 * be in; moving there suspends (cause 'overdue'), lifts, or terminates and freezes the arrears and
 * late fees into a collections record. Termination is final: paying later settles collections but
 * does not reopen the agreement.
 */
export async function evaluateDunning(
  ctx: BillingContext,
  subscriberId: string,
  stages: DunningStage[] = dunningStagesFromSettings(ctx.settings),
): Promise<{ stage: string; changed: boolean }> {
  return moveToDesiredStage(ctx, subscriberId, stages, 'either way');
}

/**
 * Dunning's consequence of money arriving (a payment, a credit note): a subscriber whose debt no
 * longer warrants their stage moves down at once, so paying what is overdue restores service within
 * seconds. It only ever lifts: suspending, and terminating with its final bill, are the dunning
 * job's (`runDunning`), so paying never issues a bill.
 */
export async function restoreServiceAfterPayment(
  ctx: BillingContext,
  subscriberId: string,
  stages: DunningStage[] = dunningStagesFromSettings(ctx.settings),
): Promise<{ stage: string; changed: boolean }> {
  return moveToDesiredStage(ctx, subscriberId, stages, 'down only');
}

async function moveToDesiredStage(
  ctx: BillingContext,
  subscriberId: string,
  stages: DunningStage[],
  direction: 'either way' | 'down only',
): Promise<{ stage: string; changed: boolean }> {
  const now = ctx.clock.now();
  const current =
    (await ctx.db.selectFrom('dunning_states').select('stage').where('subscriber_id', '=', subscriberId).executeTakeFirst())?.stage ??
    'current';
  if (current === 'terminated') return { stage: current, changed: false };
  const snap = await snapshot(ctx.db, ctx, subscriberId);
  const desired = desiredDunningStage(stages, snap);
  if (desired.name === current && desired.action === 'none' && direction === 'either way')
    await warnBeforeSuspension(ctx, subscriberId, stages, snap);
  if (desired.name === current) return { stage: current, changed: false };
  const currentMonths = stages.find((s) => s.name === current)?.overdueMonths ?? 0;
  if (direction === 'down only' && desired.overdueMonths >= currentMonths) return { stage: current, changed: false };

  if (desired.action === 'terminate') {
    await terminateForArrears(ctx, subscriberId, snap.today, now);
    await ctx.control.terminateForNonPayment(subscriberId);
  } else if (desired.action === 'suspend') {
    await ctx.control.suspendForOverdue(subscriberId, {
      reason: OVERDUE_SUSPENSION_REASON,
      reference: `overdue-since:${snap.oldestUnpaidDueDate ?? ''}`,
    });
  } else {
    await ctx.control.liftOverdueSuspension(subscriberId);
  }
  await ctx.db
    .insertInto('dunning_states')
    .values({ subscriber_id: subscriberId, stage: desired.name, since: now, oldest_due_date: snap.oldestUnpaidDueDate, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('subscriber_id')
        .doUpdateSet({ stage: desired.name, since: now, oldest_due_date: snap.oldestUnpaidDueDate, updated_at: now }),
    )
    .execute();
  return { stage: desired.name, changed: true };
}

/**
 * The warning stage before suspension (clause 5): once a bill is overdue and the subscriber is still
 * in service, they are warned once per oldest unpaid due date, with the day suspension would start.
 * The state row remembers which due date was warned of, so the next dunning run warns nobody again.
 */
async function warnBeforeSuspension(
  ctx: BillingContext,
  subscriberId: string,
  stages: DunningStage[],
  snap: { today: LocalDate; oldestUnpaidDueDate: LocalDate | null; overdueFen: Fen },
): Promise<void> {
  const oldest = snap.oldestUnpaidDueDate;
  if (oldest === null || oldest >= snap.today || snap.overdueFen <= 0) return;
  const suspending = stages.filter((s) => s.action === 'suspend').sort((a, b) => a.overdueMonths - b.overdueMonths)[0];
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const warned = await trx
      .insertInto('dunning_states')
      .values({ subscriber_id: subscriberId, stage: 'current', since: now, oldest_due_date: oldest, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('subscriber_id')
          .doUpdateSet({ oldest_due_date: oldest, updated_at: now })
          .where('dunning_states.stage', '=', 'current')
          .where((eb) => eb.or([eb('dunning_states.oldest_due_date', 'is', null), eb('dunning_states.oldest_due_date', '<>', oldest)])),
      )
      .returning('subscriber_id')
      .executeTakeFirst();
    if (!warned) return;
    await appendEvent<DunningWarning>(trx, {
      type: DUNNING_WARNING,
      aggregateType: 'subscriber',
      aggregateId: subscriberId,
      payload: {
        oldestDueDate: oldest,
        overdueFen: snap.overdueFen,
        suspendOn: suspending ? addDays(addMonthsClamped(oldest, suspending.overdueMonths), 1) : null,
      },
      occurredAt: now,
    });
  });
}

/**
 * Clause 5, more than three months overdue: late fees accrued through today are posted, service ends
 * today with a final bill (rent prorated to today), and what is owed is frozen for collections.
 */
async function terminateForArrears(ctx: BillingContext, subscriberId: string, today: LocalDate, now: Date): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockSubscriber(trx, subscriberId);
    for (const bill of await billBalances(trx, subscriberId)) {
      if (bill.principalOutstandingFen > 0 && bill.dueDate < today) await postLateFee(trx, ctx.settings, bill, today, now);
    }
    await endServiceWithFinalBill(trx, ctx, subscriberId, today, now);
    const bills = (await billBalances(trx, subscriberId)).filter((b) => b.outstandingFen > 0);
    const arrears = bills.reduce((s, b) => s + b.principalOutstandingFen, 0);
    const lateFees = bills.reduce((s, b) => s + b.lateFeeOutstandingFen, 0);
    await trx
      .insertInto('collections')
      .values({
        subscriber_id: subscriberId,
        arrears_fen: arrears,
        late_fees_fen: lateFees,
        total_fen: arrears + lateFees,
        frozen_at: now,
        bills: JSON.stringify(
          bills.map((b) => ({
            billId: b.billId,
            period: b.period,
            dueDate: b.dueDate,
            principalFen: b.principalOutstandingFen,
            lateFeeFen: b.lateFeeOutstandingFen,
          })),
        ),
      })
      .onConflict((oc) => oc.column('subscriber_id').doNothing())
      .execute();
  });
  announceUsageTermsChanged();
}

/** Re-evaluates everyone with an overdue bill or in a stage other than current. */
export async function runDunning(ctx: BillingContext): Promise<{ evaluated: number; changed: number }> {
  const today = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  const { rows } = await sql<{ subscriber_id: string }>`
    select b.subscriber_id from bills b
    left join (select bill_id, sum(amount_fen) as paid from payment_allocations group by bill_id) a on a.bill_id = b.id
    where b.due_date < ${today}::date and b.total_fen > coalesce(a.paid, 0)
    union
    select subscriber_id from dunning_states where stage not in ('current', 'terminated')`.execute(ctx.db);
  let changed = 0;
  for (const { subscriber_id } of rows) if ((await evaluateDunning(ctx, subscriber_id)).changed) changed += 1;
  return { evaluated: rows.length, changed };
}

export { numbersBilledTo };
