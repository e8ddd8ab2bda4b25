import type { ServiceContext } from '../platform/context.js';
import type { SubscriberStatus } from './tables.js';

/** Where a subscriber's agreement stands, for modules that explain it to the subscriber. */
export interface SubscriberStanding {
  status: SubscriberStatus;
  terminationRequestedAt: string | null;
  terminatedAt: string | null;
}

export async function subscriberStanding(ctx: ServiceContext, subscriberId: string): Promise<SubscriberStanding | null> {
  const row = await ctx.db
    .selectFrom('subscribers')
    .select(['status', 'termination_requested_at', 'terminated_at'])
    .where('id', '=', subscriberId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    status: row.status,
    terminationRequestedAt: row.termination_requested_at?.toISOString() ?? null,
    terminatedAt: row.terminated_at?.toISOString() ?? null,
  };
}
