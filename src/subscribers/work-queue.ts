import type { Executor } from '../platform/db/index.js';
import {
  emptyQueuePage,
  excludesEverything,
  idFilter,
  queuePageOf,
  type QueuePage,
  type QueuePageRequest,
} from '../platform/queue-page.js';

/** Applications a reviewer has to look at (clause 1), oldest first; see `verificationQueue`. */
export const verificationStages = ['applied', 'documents_requested'] as const;

export async function verificationQueuePage(db: Executor, request: QueuePageRequest): Promise<QueuePage> {
  if (excludesEverything(request)) return emptyQueuePage;
  const stages = request.stage ? [request.stage] : [...verificationStages];
  const base = db
    .selectFrom('subscribers')
    .where('status', 'in', stages as never[])
    .where(idFilter('id', request));
  return queuePageOf(
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base.select(['id', 'status', 'created_at']).orderBy('created_at').orderBy('id').offset(request.offset).limit(request.limit).execute(),
    (row) => ({
      id: row.id,
      subscriberId: row.id,
      stage: row.status,
      since: row.created_at.toISOString(),
      amountFen: null,
    }),
  );
}
