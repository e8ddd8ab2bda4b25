import type { Executor } from '../platform/db/index.js';
import {
  emptyQueuePage,
  excludesEverything,
  idFilter,
  queuePageOf,
  type QueuePage,
  type QueuePageRequest,
} from '../platform/queue-page.js';

/** Notice deliveries that failed (and will be retried) or were given up; see `listDeliveries`. */
export const failedDeliveryStages = ['failed', 'dead'] as const;

export async function failedDeliveryQueuePage(db: Executor, request: QueuePageRequest): Promise<QueuePage> {
  if (excludesEverything(request)) return emptyQueuePage;
  const stages = request.stage ? [request.stage] : [...failedDeliveryStages];
  const base = db
    .selectFrom('notice_deliveries as d')
    .innerJoin('notices as n', 'n.id', 'd.notice_id')
    .where('d.status', 'in', stages as never[])
    .where(idFilter('d.id', request));
  return queuePageOf(
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['d.id', 'n.subscriber_id', 'd.status', 'd.updated_at'])
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.id')
      .offset(request.offset)
      .limit(request.limit)
      .execute(),
    (row) => ({
      id: row.id,
      subscriberId: row.subscriber_id,
      stage: row.status,
      since: row.updated_at.toISOString(),
      amountFen: null,
    }),
  );
}
