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
