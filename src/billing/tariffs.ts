import { findPlanVersion } from '../catalog/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import type { PlanTariff } from './rules.js';

export interface PlanPrices extends PlanTariff {
  monthlyRentFen: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Plan versions by id, read through the catalogue (it owns them). Versions never change, so caching within a run is safe. */
export async function loadTariffs(
  ctx: Omit<ServiceContext, 'db'> & { db: Executor },
  planIds: Iterable<string>,
  cache = new Map<string, PlanPrices>(),
): Promise<Map<string, PlanPrices>> {
  for (const id of planIds) {
    if (cache.has(id)) continue;
    const plan = await findPlanVersion(ctx as ServiceContext, id);
    if (!plan) throw new Error(`billing account references unknown plan version ${id}`);
    cache.set(id, {
      planId: plan.id,
      code: plan.code,
      nameZh: plan.nameZh,
      nameEn: plan.nameEn,
      monthlyRentFen: plan.monthlyRentFen,
      includedMinutes: plan.includedMinutes,
      perMinuteRatePrecise: plan.perMinuteRatePrecise,
      billingIncrementSeconds: plan.billingIncrementSeconds,
    });
  }
  return cache;
}

/** How a number's calls are rated at a moment: whose they are, and the plan's rate and included minutes. */
export interface UsageTerms {
  subscriberId: string;
  planId: string;
  perMinuteRatePrecise: number;
  billingIncrementSeconds: number;
  includedSeconds: number;
  /** When the number's assignment to this subscriber ends (it was released); null while it is open. */
  assignedUntil: Date | null;
}

/**
 * The terms the rating pass will apply to a call this number makes at `at` (the same number
 * assignment and plan it joins on), for charging's real-time view; null for a number billing does
 * not know (not activated yet, or not a subscriber's).
 */
export async function usageTermsOfNumber(
  ctx: Omit<ServiceContext, 'db'> & { db: Executor },
  number: string,
  at: Date,
  cache?: Map<string, PlanPrices>,
): Promise<UsageTerms | null> {
  return usageTerms(ctx, { number }, at, cache);
}

/**
 * The same for many numbers, each at its own moment, in one statement: charging asks on every
 * registration and call, and the asks made in one turn of the event loop share the round trip.
 */
export async function usageTermsOfNumbers(
  ctx: Omit<ServiceContext, 'db'> & { db: Executor },
  asks: { number: string; at: Date }[],
  cache?: Map<string, PlanPrices>,
): Promise<(UsageTerms | null)[]> {
  if (asks.length === 0) return [];
  const instants = asks.map((ask) => ask.at.getTime());
  const rows = await ctx.db
    .selectFrom('billing_numbers as n')
    .innerJoin('billing_accounts as a', 'a.subscriber_id', 'n.subscriber_id')
    .select(['n.number', 'n.subscriber_id', 'a.plan_id', 'n.assigned_at', 'n.released_at'])
    .where('n.number', 'in', [...new Set(asks.map((ask) => ask.number))])
    .where('n.assigned_at', '<=', new Date(Math.max(...instants)))
    .where((eb) => eb.or([eb('n.released_at', 'is', null), eb('n.released_at', '>', new Date(Math.min(...instants)))]))
    .execute();
  const byNumber = new Map<string, typeof rows>();
  for (const row of rows) byNumber.set(row.number, [...(byNumber.get(row.number) ?? []), row]);
  // Each ask gets the assignment in force at its own moment, as usageTermsOfNumber's filter picks it.
  const found = asks.map(
    ({ number, at }) =>
      byNumber
        .get(number)
        ?.find(
          (row) => row.assigned_at.getTime() <= at.getTime() && (row.released_at === null || row.released_at.getTime() > at.getTime()),
        ) ?? null,
  );
  const tariffs = await loadTariffs(ctx, new Set(found.flatMap((row) => (row ? [row.plan_id] : []))), cache);
  return found.map((row) => (row ? termsOf(row, tariffs.get(row.plan_id)!) : null));
}

function termsOf(row: { subscriber_id: string; plan_id: string; released_at: Date | null }, tariff: PlanPrices): UsageTerms {
  return {
    subscriberId: row.subscriber_id,
    assignedUntil: row.released_at,
    planId: row.plan_id,
    perMinuteRatePrecise: tariff.perMinuteRatePrecise,
    billingIncrementSeconds: tariff.billingIncrementSeconds,
    includedSeconds: tariff.includedMinutes * 60,
  };
}

/** The same terms by subscriber (through any number they hold at `at`). */
export function usageTermsOfSubscriber(
  ctx: Omit<ServiceContext, 'db'> & { db: Executor },
  subscriberId: string,
  at: Date,
  cache?: Map<string, PlanPrices>,
): Promise<UsageTerms | null> {
  return usageTerms(ctx, { subscriberId }, at, cache);
}

async function usageTerms(
  ctx: Omit<ServiceContext, 'db'> & { db: Executor },
  who: { number: string } | { subscriberId: string },
  at: Date,
  cache?: Map<string, PlanPrices>,
): Promise<UsageTerms | null> {
  const row = await ctx.db
    .selectFrom('billing_numbers as n')
    .innerJoin('billing_accounts as a', 'a.subscriber_id', 'n.subscriber_id')
    .select(['n.subscriber_id', 'a.plan_id', 'n.released_at'])
    .$if('number' in who, (qb) => qb.where('n.number', '=', (who as { number: string }).number))
    .$if('subscriberId' in who, (qb) => qb.where('n.subscriber_id', '=', (who as { subscriberId: string }).subscriberId))
    .where('n.assigned_at', '<=', at)
    .where((eb) => eb.or([eb('n.released_at', 'is', null), eb('n.released_at', '>', at)]))
    .executeTakeFirst();
  if (!row) return null;
  return termsOf(row, (await loadTariffs(ctx, [row.plan_id], cache)).get(row.plan_id)!);
}
