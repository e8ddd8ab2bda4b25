import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import type { LocalDate } from '../platform/zoned-calendar.js';

/**
 * Billing's view of a subscriber: the plan version of their order (clause 2), the local dates service
 * ran, and the numbers whose calls they pay for. The subscribers module calls these on activation,
 * number assignment and termination; billing reads nothing of its tables.
 */
export interface BillingAccount {
  subscriberId: string;
  planId: string;
  serviceStart: LocalDate;
  serviceEnd: LocalDate | null;
}

type UsageTermsListener = () => void;
const usageTermsListeners = new Set<UsageTermsListener>();

/**
 * Tells `listener` when the terms a number's calls are charged under may have changed: an account
 * opened, a number assigned or released, a plan corrected (real-time charging keeps them cached and
 * forgets them then). Returns the function that stops it.
 */
export function onUsageTermsChanged(listener: UsageTermsListener): () => void {
  usageTermsListeners.add(listener);
  return () => usageTermsListeners.delete(listener);
}

/** After the transaction that changed them commits: a cache read again before that would keep the old ones. */
export function announceUsageTermsChanged(): void {
  for (const listener of usageTermsListeners) listener();
}

export async function openBillingAccount(
  ctx: ServiceContext,
  input: { subscriberId: string; planId: string; serviceStart: LocalDate; numbers?: string[]; numbersFrom?: Date },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('billing_accounts')
      .values({
        subscriber_id: input.subscriberId,
        plan_id: input.planId,
        service_start: input.serviceStart,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('subscriber_id').doNothing())
      .execute();
    for (const number of input.numbers ?? []) await assignNumber(trx, input.subscriberId, number, input.numbersFrom ?? now);
  });
  announceUsageTermsChanged();
}

/** From `at` on, calls from `number` are billed to the subscriber. */
export async function assignBillingNumber(ctx: ServiceContext, subscriberId: string, number: string): Promise<void> {
  await assignNumber(ctx.db, subscriberId, number, ctx.clock.now());
  announceUsageTermsChanged();
}

async function assignNumber(executor: Executor, subscriberId: string, number: string, at: Date): Promise<void> {
  const open = await executor
    .selectFrom('billing_numbers')
    .select('subscriber_id')
    .where('number', '=', number)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  if (open?.subscriber_id === subscriberId) return;
  if (open) throw new Error(`number ${number} is still billed to another subscriber`);
  await executor
    .insertInto('billing_numbers')
    .values({ number, subscriber_id: subscriberId, assigned_at: at, released_at: null })
    .execute();
}

/** Inside the caller's transaction: the caller announces it (announceUsageTermsChanged) once that commits. */
export async function releaseBillingNumbers(executor: Executor, subscriberId: string, at: Date): Promise<void> {
  await executor
    .updateTable('billing_numbers')
    .set({ released_at: at })
    .where('subscriber_id', '=', subscriberId)
    .where('released_at', 'is', null)
    .execute();
}

/** The last local day of service (clause 11): rent is prorated to it on the final bill. */
export async function endService(executor: Executor, subscriberId: string, lastDay: LocalDate, at: Date): Promise<void> {
  await executor
    .updateTable('billing_accounts')
    .set({ service_end: lastDay, updated_at: at })
    .where('subscriber_id', '=', subscriberId)
    .execute();
}

/**
 * A tariff correction: the subscriber should have been on another plan version. Nothing already rated
 * changes in place; `rerateSubscriber` then posts the differences as correction lines.
 */
export async function correctAccountPlan(ctx: ServiceContext, subscriberId: string, planId: string): Promise<void> {
  await ctx.db
    .updateTable('billing_accounts')
    .set({ plan_id: planId, updated_at: ctx.clock.now() })
    .where('subscriber_id', '=', subscriberId)
    .execute();
  announceUsageTermsChanged();
}

export async function findBillingAccount(executor: Executor, subscriberId: string): Promise<BillingAccount | null> {
  const row = await sql<{ subscriber_id: string; plan_id: string; service_start: string; service_end: string | null }>`
    select subscriber_id, plan_id, service_start::text as service_start, service_end::text as service_end
    from billing_accounts where subscriber_id = ${subscriberId}`
    .execute(executor)
    .then((r) => r.rows[0]);
  return row
    ? { subscriberId: row.subscriber_id, planId: row.plan_id, serviceStart: row.service_start, serviceEnd: row.service_end }
    : null;
}

export async function numbersBilledTo(executor: Executor, subscriberId: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('billing_numbers')
    .select('number')
    .where('subscriber_id', '=', subscriberId)
    .where('released_at', 'is', null)
    .orderBy('number')
    .execute();
  return rows.map((r) => r.number);
}

/** A billing account whose service ran in a span of time, with the numbers billed to it then. */
export interface AccountInService extends BillingAccount {
  numbers: { number: string; assignedAt: Date; releasedAt: Date | null }[];
}

/**
 * Accounts whose service (local days `serviceStart` … `serviceEnd`) touches the local days `from` …
 * `to`, with every number they held. For other modules that compensate service time (clause 13's
 * outage credits): they learn who was served and on which plan without reading billing's tables.
 */
export async function accountsInService(executor: Executor, from: LocalDate, to: LocalDate): Promise<AccountInService[]> {
  const { rows } = await sql<{ subscriber_id: string; plan_id: string; service_start: string; service_end: string | null }>`
    select subscriber_id, plan_id, service_start::text as service_start, service_end::text as service_end
    from billing_accounts
    where service_start <= ${to}::date and (service_end is null or service_end >= ${from}::date)
    order by subscriber_id`.execute(executor);
  if (rows.length === 0) return [];
  const numbers = await executor
    .selectFrom('billing_numbers')
    .select(['subscriber_id', 'number', 'assigned_at', 'released_at'])
    .where(
      'subscriber_id',
      'in',
      rows.map((r) => r.subscriber_id),
    )
    .orderBy('assigned_at')
    .execute();
  return rows.map((row) => ({
    subscriberId: row.subscriber_id,
    planId: row.plan_id,
    serviceStart: row.service_start,
    serviceEnd: row.service_end,
    numbers: numbers
      .filter((n) => n.subscriber_id === row.subscriber_id)
      .map((n) => ({ number: n.number, assignedAt: n.assigned_at, releasedAt: n.released_at })),
  }));
}
