import type { Executor } from '../platform/db/index.js';
import {
  emptyQueuePage,
  excludesEverything,
  idFilter,
  queuePageOf,
  type QueuePage,
  type QueuePageRequest,
} from '../platform/queue-page.js';

/** Warranty claims (clause 4) a technician still has to assess, quote or finish; see `claimQueue`. */
export const claimStages = ['filed', 'quoted', 'in-service'] as const;

export async function claimQueuePage(db: Executor, request: QueuePageRequest): Promise<QueuePage> {
  if (excludesEverything(request)) return emptyQueuePage;
  const stages = request.stage ? [request.stage] : [...claimStages];
  const base = db
    .selectFrom('warranty_claims')
    .where('status', 'in', stages as never[])
    .where(idFilter('id', request));
  return queuePageOf(
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'subscriber_id', 'status', 'filed_at'])
      .orderBy('filed_at')
      .orderBy('id')
      .offset(request.offset)
      .limit(request.limit)
      .execute(),
    (row) => ({
      id: row.id,
      subscriberId: row.subscriber_id,
      stage: row.status,
      since: row.filed_at.toISOString(),
      amountFen: null,
    }),
  );
}
