import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import type { ServiceContext } from '../platform/context.js';
import { loadTariffs } from './tariffs.js';

/**
 * Amounts of bills under dispute (clause 6): while open they accrue no late fee (`accruedLateFee`
 * reads them) and are not overdue for dunning. The disputes module opens and closes them through
 * these functions; the rows are billing's, beside the bills they hold back.
 */
export async function holdDisputedAmount(executor: Executor, input: { billId: string; amountFen: Fen; at: Date }): Promise<string> {
  const { id } = await executor
    .insertInto('bill_disputes')
    .values({ bill_id: input.billId, amount_fen: input.amountFen, opened_at: input.at, closed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The dispute is answered: from the next day its amount (if still owed) accrues late fees again. */
export async function releaseDisputedAmount(executor: Executor, holdId: string, at: Date): Promise<void> {
  await executor.updateTable('bill_disputes').set({ closed_at: at }).where('id', '=', holdId).where('closed_at', 'is', null).execute();
}

/** A subscriber's open disputed amounts by bill. */
export async function openDisputedByBill(executor: Executor, subscriberId: string): Promise<Map<string, Fen>> {
  const { rows } = await sql<{ bill_id: string; amount: number }>`
    select d.bill_id, sum(d.amount_fen)::bigint as amount from bill_disputes d join bills b on b.id = d.bill_id
    where b.subscriber_id = ${subscriberId} and d.closed_at is null group by d.bill_id`.execute(executor);
  return new Map(rows.map((r) => [r.bill_id, Number(r.amount)]));
}

/** A bill's owner, total and what is still owed on it, for a dispute about it; null when it does not exist. */
export async function billForDispute(
  executor: Executor,
  billId: string,
): Promise<{ billId: string; subscriberId: string; period: string; totalFen: Fen; dueDate: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(billId)) return null;
  const row = await executor
    .selectFrom('bills')
    .select(['id', 'subscriber_id', 'total_fen', sql<string>`period::text`.as('period'), sql<string>`due_date::text`.as('due_date')])
    .where('id', '=', billId)
    .executeTakeFirst();
  return row
    ? { billId: row.id, subscriberId: row.subscriber_id, period: row.period, totalFen: Number(row.total_fen), dueDate: row.due_date }
    : null;
}

/** One line of an issued bill, for a dispute about it. */
export async function billLineForDispute(
  executor: Executor,
  entryId: string,
): Promise<{ entryId: string; billId: string; subscriberId: string; kind: string; amountFen: Fen; description: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(entryId)) return null;
  const { rows } = await sql<{ id: string; bill_id: string; subscriber_id: string; kind: string; amount_fen: number; description: string }>`
    select e.id, l.bill_id, e.subscriber_id, e.kind, e.amount_fen, e.description
    from bill_lines l join ledger_entries e on e.id = l.ledger_entry_id where e.id = ${entryId}`.execute(executor);
  const row = rows[0];
  return row
    ? {
        entryId: row.id,
        billId: row.bill_id,
        subscriberId: row.subscriber_id,
        kind: row.kind,
        amountFen: Number(row.amount_fen),
        description: row.description,
      }
    : null;
}

/** How a call was rated, for a dispute about it: the plan terms, each charge row, and the bill that carries it (if issued). */
export interface CallRatingEvidence {
  subscriberId: string;
  plan: { planId: string; code: string; includedMinutes: number; perMinuteRatePrecise: number; billingIncrementSeconds: number };
  charges: {
    kind: 'rating' | 'correction';
    usagePeriod: string;
    billPeriod: string;
    billableSeconds: number;
    includedSeconds: number;
    chargedSeconds: number;
    chargeFen: Fen;
  }[];
  chargeFen: Fen;
  billId: string | null;
}

export async function callRatingForDispute(ctx: ServiceContext, recordId: string): Promise<CallRatingEvidence | null> {
  const { rows: charges } = await sql<{
    subscriber_id: string;
    plan_id: string;
    kind: 'rating' | 'correction';
    usage_period: string;
    bill_period: string;
    billable_seconds: number;
    included_seconds: number;
    charged_seconds: number;
    charge_fen: number;
  }>`
    select subscriber_id, plan_id, kind, usage_period::text as usage_period, bill_period::text as bill_period,
           billable_seconds, included_seconds, charged_seconds, charge_fen
    from call_charges where call_record_id = ${recordId} order by id`.execute(ctx.db);
  const first = charges[0];
  if (!first) return null;
  // The plan version the call was rated on (the rating row's), read through the catalogue.
  const plan = (await loadTariffs(ctx, [first.plan_id])).get(first.plan_id)!;
  const bill = await sql<{ id: string }>`
    select id from bills where subscriber_id = ${first.subscriber_id} and period = ${first.bill_period}::date and kind <> 'supplementary'`.execute(
    ctx.db,
  );
  return {
    subscriberId: first.subscriber_id,
    plan: {
      planId: plan.planId,
      code: plan.code,
      includedMinutes: plan.includedMinutes,
      perMinuteRatePrecise: plan.perMinuteRatePrecise,
      billingIncrementSeconds: plan.billingIncrementSeconds,
    },
    charges: charges.map((c) => ({
      kind: c.kind,
      usagePeriod: c.usage_period,
      billPeriod: c.bill_period,
      billableSeconds: c.billable_seconds,
      includedSeconds: c.included_seconds,
      chargedSeconds: c.charged_seconds,
      chargeFen: Number(c.charge_fen),
    })),
    chargeFen: charges.reduce((sum, c) => sum + Number(c.charge_fen), 0),
    billId: bill.rows[0]?.id ?? null,
  };
}
