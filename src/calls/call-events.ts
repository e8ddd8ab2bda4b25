import { sql, type RawBuilder } from 'kysely';
import { appendEvent, appendEventsFrom } from '../platform/events/index.js';
import type { Executor } from '../platform/db/index.js';

/**
 * `call.completed`: an answered call has ended and its record is final. Published in the statement
 * that completes the record (a BYE, a journal replay, the stale-call job), so a completed call and
 * its event exist together or not at all. Billing rates from it and never reads `call_records`.
 */
export const CALL_COMPLETED = 'call.completed';

export interface CallCompleted {
  recordId: string;
  caller: string;
  callee: string;
  /** ISO 8601 instants. */
  answeredAt: string;
  endedAt: string;
  durationMs: number;
}

/**
 * The tail of a statement that publishes one `call.completed` per row of the CTE `relation` (which
 * returns id, caller, callee, answered_at, ended_at, duration_ms of records just completed).
 */
export function publishCompletedFrom(relation: string): RawBuilder<unknown> {
  return appendEventsFrom(
    CALL_COMPLETED,
    'call',
    sql`
      select d.id::text as aggregate_id,
             jsonb_build_object('recordId', d.id, 'caller', d.caller, 'callee', d.callee,
                                'answeredAt', to_char(d.answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                'endedAt', to_char(d.ended_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                'durationMs', d.duration_ms) as payload,
             d.ended_at as occurred_at
      from ${sql.table(relation)} d
      where d.answered_at is not null`,
  );
}

/** For records completed outside the recorder (imports, test fixtures): the same event, in the caller's transaction. */
export function publishCallCompleted(executor: Executor, call: CallCompleted): Promise<void> {
  return appendEvent(executor, {
    type: CALL_COMPLETED,
    aggregateType: 'call',
    aggregateId: call.recordId,
    payload: call,
    occurredAt: new Date(call.endedAt),
  });
}
