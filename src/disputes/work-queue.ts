import type { Executor } from '../platform/db/index.js';
import {
  emptyQueuePage,
  excludesEverything,
  idFilter,
  queuePageOf,
  type QueuePage,
  type QueuePageRequest,
} from '../platform/queue-page.js';

/** Fee disputes (clause 6) staff still have to answer, and answered ones awaiting the subscriber. */
export const disputeStages = ['open', 'investigating', 'answered'] as const;

export async function disputeQueuePage(db: Executor, request: QueuePageRequest): Promise<QueuePage> {
  if (excludesEverything(request)) return emptyQueuePage;
  const stages = request.stage ? [request.stage] : ['open', 'investigating'];
  const base = db
    .selectFrom('disputes')
    .where('status', 'in', stages as never[])
    .where(idFilter('id', request));
  return queuePageOf(
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'subscriber_id', 'status', 'opened_at', 'amount_fen'])
      .orderBy('due_on')
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
      amountFen: Number(row.amount_fen),
    }),
  );
}
