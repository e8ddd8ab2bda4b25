import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';

export interface CallHistoryEntry {
  callId: string;
  /** The call record (one per attempt): what a billing dispute about this call names. */
  recordId: string;
  direction: 'outgoing' | 'incoming';
  /** Which of the subscriber's numbers the call was on. */
  number: string;
  peer: string;
  status: 'ringing' | 'answered' | 'completed' | 'failed' | 'cancelled';
  finalStatus: number | null;
  /** An incoming call nobody answered: shown highlighted. */
  missed: boolean;
  startedAt: Date;
  durationMs: number | null;
}

/**
 * The most recent calls to and from the given numbers, newest first. A call between two numbers of
 * the same subscriber appears twice, once each way, as on a phone bill.
 */
export async function callHistory(db: Kysely<Database>, numbers: readonly string[], limit = 50): Promise<CallHistoryEntry[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .selectFrom('call_records')
    .select(['id', 'call_id', 'caller', 'callee', 'status', 'final_status', 'invited_at', 'duration_ms'])
    .where((eb) => eb.or([eb('caller', 'in', [...numbers]), eb('callee', 'in', [...numbers])]))
    .orderBy('invited_at', 'desc')
    .limit(limit)
    .execute();
  const mine = new Set(numbers);
  return rows.flatMap((row) => {
    const entries: CallHistoryEntry[] = [];
    const base = {
      callId: row.call_id,
      recordId: row.id,
      status: row.status,
      finalStatus: row.final_status,
      startedAt: row.invited_at,
      durationMs: row.duration_ms,
    };
    if (mine.has(row.caller)) entries.push({ ...base, direction: 'outgoing', number: row.caller, peer: row.callee, missed: false });
    if (mine.has(row.callee)) {
      // Declined on purpose (603) or busy on every device is not "missed": the person saw it.
      const missed = (row.status === 'cancelled' || row.status === 'failed') && row.final_status !== 603 && row.final_status !== 486;
      entries.push({ ...base, direction: 'incoming', number: row.callee, peer: row.caller, missed });
    }
    return entries;
  });
}

/** What the calls module knows of one call, as evidence in a billing dispute (clause 6, 12). */
export interface CallEvidence {
  recordId: string;
  callId: string;
  caller: string;
  callee: string;
  invitedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
  status: CallHistoryEntry['status'];
  finalStatus: number | null;
  hungUpBy: 'caller' | 'callee' | 'system' | null;
  endReason: string | null;
  /** Closed by the platform because its end was never seen (crash, lost BYE). */
  endUnseen: boolean;
}

export async function callEvidence(db: Kysely<Database>, recordId: string): Promise<CallEvidence | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(recordId)) return null;
  const row = await db.selectFrom('call_records').selectAll().where('id', '=', recordId).executeTakeFirst();
  if (!row) return null;
  return {
    recordId: row.id,
    callId: row.call_id,
    caller: row.caller,
    callee: row.callee,
    invitedAt: row.invited_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    status: row.status,
    finalStatus: row.final_status,
    hungUpBy: row.hung_up_by,
    endReason: row.end_reason,
    endUnseen: row.end_unseen,
  };
}
