import type { Executor } from '../platform/db/index.js';
import {
  emptyQueuePage,
  excludesEverything,
  idFilter,
  queuePageOf,
  type QueuePage,
  type QueuePageRequest,
} from '../platform/queue-page.js';

/** Negotiation cases (objections to terms changes, fee disputes taken further) still open. */
export const negotiationStages = ['open'] as const;

export async function negotiationQueuePage(db: Executor, request: QueuePageRequest): Promise<QueuePage> {
  if (excludesEverything(request)) return emptyQueuePage;
  const stages = request.stage ? [request.stage] : [...negotiationStages];
  const base = db
    .selectFrom('negotiation_cases')
    .where('status', 'in', stages as never[])
    .where(idFilter('id', request));
  return queuePageOf(
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'subscriber_id', 'status', 'opened_at'])
      .orderBy('opened_at')
      .orderBy('id')
      .offset(request.offset)
      .limit(request.limit)
      .execute(),
    (row) => ({
      id: row.id,
      subscriberId: row.subscriber_id,
      stage: row.status,
      since: row.opened_at.toISOString(),
      amountFen: null,
    }),
  );
}
