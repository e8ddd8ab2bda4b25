import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.js';
import {
  emptyQueuePage,
  excludesEverything,
  idFilter,
  queuePageOf,
  type QueuePage,
  type QueuePageRequest,
} from '../platform/queue-page.js';
import type { LocalDate } from '../platform/zoned-calendar.js';

/**
 * Overdue accounts by dunning stage (clause 5): warned (a bill is past due, service still on),
 * suspended for arrears, terminated and handed to collections. Read from the dunning state the
 * dunning job keeps, so the queue costs one indexed scan however many bills there are.
 */
export const overdueStages = ['warned', 'suspended', 'terminated'] as const;

export async function overdueQueuePage(db: Executor, today: LocalDate, request: QueuePageRequest): Promise<QueuePage> {
  if (excludesEverything(request)) return emptyQueuePage;
  const stages = request.stage ? [request.stage] : [...overdueStages];
  const stageOf = sql<string>`case when stage = 'current' then 'warned' else stage end`;
  const base = db
    .selectFrom('dunning_states')
    .where((eb) =>
      eb.or([
        ...stages.filter((s) => s !== 'warned').map((s) => eb('stage', '=', s)),
        ...(stages.includes('warned')
          ? [eb.and([eb('stage', '=', 'current'), eb('oldest_due_date', '<', sql<string>`${today}::date`)])]
          : []),
      ]),
    )
    .where(idFilter('subscriber_id', request));
  return queuePageOf(
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select(['subscriber_id', 'since', 'updated_at', 'stage'])
      .select(stageOf.as('queue_stage'))
      .orderBy('oldest_due_date')
      .orderBy('subscriber_id')
      .offset(request.offset)
      .limit(request.limit)
      .execute(),
    (row) => ({
      id: row.subscriber_id,
      subscriberId: row.subscriber_id,
      stage: row.queue_stage,
      // A warning does not move `since` (the stage stays current); the warning's time is the update.
      since: (row.stage === 'current' ? row.updated_at : row.since).toISOString(),
      amountFen: null,
    }),
  );
}
