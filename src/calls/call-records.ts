import { sql, type Kysely } from 'kysely';
import { Batcher } from '../platform/db/batcher.js';
import type { Database } from '../platform/db/schema.js';
import type { TimeDrivenJob } from '../platform/jobs/job-runner.js';

/**
 * Call records: one per call attempt, written before the INVITE leaves the proxy so a crash can
 * never lose a call that rang, and keyed by (Call-ID, From tag) so a retransmission or a replay
 * cannot duplicate it. Calls whose end was never seen are closed by `closeStaleCallsJob`.
 */
export interface CallStart {
  callId: string;
  fromTag: string;
  caller: string;
  callee: string;
  callerDevice: string | null;
  at: Date;
  sessionExpiresSeconds: number | null;
}

export class CallRecorder {
  /**
   * Writes for one call run in the order the proxy saw the events: on a pool, an "answered" sent
   * without waiting must not be overtaken by the BYE's "ended" on another connection. The proxy
   * keeps a call on one node (it is in the route set), so ordering per process is enough.
   */
  readonly #pending = new Map<string, Promise<unknown>>();
  /** Group commit: the INVITEs of one turn share one INSERT, each still durable before it is forwarded. */
  readonly #inserts: Batcher<CallStart, string>;

  readonly #answers: Batcher<{ id: string; at: Date; calleeDevice: string | null }, void>;
  readonly #endings: Batcher<{ callId: string; at: Date; byeFromTag: string; reason: string }, void>;

  constructor(private readonly db: Kysely<Database>) {
    this.#inserts = new Batcher((calls) => this.#insertMany(calls));
    this.#answers = new Batcher<{ id: string; at: Date; calleeDevice: string | null }, void>(async (answers) => {
      const rows = sql.join(answers.map((a) => sql`(${a.id}::uuid, ${a.at}::timestamptz, ${a.calleeDevice}::text)`));
      await sql`
        update call_records c
        set status = 'answered', answered_at = v.at, callee_device = v.device, final_status = 200, last_activity_at = v.at
        from (values ${rows}) as v(id, at, device)
        where c.id = v.id and c.status = 'ringing'`.execute(this.db);
      return answers.map(() => undefined);
    });
    // One statement per batch: the duration and who hung up are computed where the answer time is.
    this.#endings = new Batcher<{ callId: string; at: Date; byeFromTag: string; reason: string }, void>(async (endings) => {
      const rows = sql.join(endings.map((e) => sql`(${e.callId}::text, ${e.at}::timestamptz, ${e.byeFromTag}::text, ${e.reason}::text)`));
      await sql`
        update call_records c
        set status = 'completed',
            ended_at = v.at,
            duration_ms = greatest(0, round(extract(epoch from (v.at - c.answered_at)) * 1000))::bigint,
            hung_up_by = case when v.tag = c.from_tag then 'caller' else 'callee' end,
            end_reason = v.reason,
            last_activity_at = v.at
        from (values ${rows}) as v(call_id, at, tag, reason)
        where c.call_id = v.call_id and c.status = 'answered'`.execute(this.db);
      return endings.map(() => undefined);
    });
  }

  #inOrder<T>(callId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.#pending.get(callId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.#pending.set(callId, next);
    void next
      .finally(() => {
        if (this.#pending.get(callId) === next) this.#pending.delete(callId);
      })
      .catch(() => undefined);
    return next;
  }

  /** Returns the record id; the same call started twice returns the first record. */
  started(call: CallStart): Promise<string> {
    return this.#inOrder(call.callId, () => this.#insert(call));
  }

  #insert(call: CallStart): Promise<string> {
    return this.#inserts.load(call);
  }

  async #insertMany(calls: CallStart[]): Promise<string[]> {
    const key = (callId: string, fromTag: string) => `${callId}\u0000${fromTag}`;
    const inserted = await this.db
      .insertInto('call_records')
      .values(
        calls.map((call) => ({
          call_id: call.callId,
          from_tag: call.fromTag,
          caller: call.caller,
          callee: call.callee,
          caller_device: call.callerDevice,
          callee_device: null,
          invited_at: call.at,
          answered_at: null,
          ended_at: null,
          duration_ms: null,
          status: 'ringing' as const,
          final_status: null,
          hung_up_by: null,
          end_reason: null,
          session_expires_s: call.sessionExpiresSeconds,
          last_activity_at: call.at,
        })),
      )
      .onConflict((oc) => oc.columns(['call_id', 'from_tag']).doNothing())
      .returning(['id', 'call_id', 'from_tag'])
      .execute();
    const ids = new Map(inserted.map((row) => [key(row.call_id, row.from_tag), row.id]));
    // Calls that were already recorded (a replayed INVITE) keep their first record.
    const missing = calls.filter((call) => !ids.has(key(call.callId, call.fromTag)));
    if (missing.length > 0) {
      const existing = await this.db
        .selectFrom('call_records')
        .select(['id', 'call_id', 'from_tag'])
        .where((eb) => eb.or(missing.map((call) => eb.and([eb('call_id', '=', call.callId), eb('from_tag', '=', call.fromTag)]))))
        .execute();
      for (const row of existing) ids.set(key(row.call_id, row.from_tag), row.id);
    }
    return calls.map((call) => {
      const id = ids.get(key(call.callId, call.fromTag));
      if (!id) throw new Error(`call record for ${call.callId} was neither inserted nor found`);
      return id;
    });
  }

  answered(callId: string, id: string, at: Date, calleeDevice: string | null): Promise<void> {
    return this.#inOrder(callId, () => this.#answered(id, at, calleeDevice));
  }

  #answered(id: string, at: Date, calleeDevice: string | null): Promise<void> {
    return this.#answers.load({ id, at, calleeDevice });
  }

  failed(callId: string, id: string, at: Date, finalStatus: number, reason: string, cancelled: boolean): Promise<void> {
    return this.#inOrder(callId, () => this.#failed(id, at, finalStatus, reason, cancelled));
  }

  async #failed(id: string, at: Date, finalStatus: number, reason: string, cancelled: boolean): Promise<void> {
    await this.db
      .updateTable('call_records')
      .set({
        status: cancelled ? 'cancelled' : 'failed',
        ended_at: at,
        final_status: finalStatus,
        end_reason: reason,
        last_activity_at: at,
        duration_ms: 0,
      })
      .where('id', '=', id)
      .where('status', '=', 'ringing')
      .execute();
  }

  /** A BYE ended an answered call; its From tag tells whether the caller or the callee hung up. */
  ended(callId: string, at: Date, byeFromTag: string, reason: string): Promise<void> {
    return this.#inOrder(callId, () => this.#ended(callId, at, byeFromTag, reason));
  }

  #ended(callId: string, at: Date, byeFromTag: string, reason: string): Promise<void> {
    return this.#endings.load({ callId, at, byeFromTag, reason });
  }

  /** A re-INVITE or UPDATE refreshed the session (RFC 4028): the call is alive. */
  async refreshed(callId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('call_records')
      .set({ last_activity_at: at })
      .where('call_id', '=', callId)
      .where('status', '=', 'answered')
      .execute();
  }
}

export interface StaleCallRules {
  /** Ringing longer than this means the proxy died mid-setup. */
  maxRingingSeconds: number;
  /** An answered call without a session timer is closed after this long without activity. */
  maxCallSeconds: number;
}

/**
 * Closes calls whose end was never seen, as of instant T: ringing past the setup limit, or answered
 * and silent past their RFC 4028 session interval (or the maximum duration). They are flagged
 * `end_unseen` and end at their last sign of life, so nobody is billed for time after it.
 */
export function closeStaleCallsJob(db: Kysely<Database>, rules: StaleCallRules): TimeDrivenJob {
  return {
    name: 'calls.close-stale',
    intervalSeconds: 30,
    async advanceTo(instant) {
      const ringingBefore = new Date(instant.getTime() - rules.maxRingingSeconds * 1000);
      const abandoned = await db
        .updateTable('call_records')
        .set((eb) => ({
          status: 'failed',
          ended_at: eb.ref('last_activity_at'),
          duration_ms: 0,
          final_status: 408,
          end_reason: 'setup never completed',
          hung_up_by: 'system',
          end_unseen: true,
        }))
        .where('status', '=', 'ringing')
        .where('last_activity_at', '<', ringingBefore)
        .executeTakeFirst();
      const open = await db
        .selectFrom('call_records')
        .select(['id', 'answered_at', 'last_activity_at', 'session_expires_s'])
        .where('status', '=', 'answered')
        .where('last_activity_at', '<', new Date(instant.getTime() - 90_000))
        .execute();
      let closed = 0;
      for (const call of open) {
        // RFC 4028 §10: without a refresh (or a keep-alive round) within the interval the session is
        // over. It ended at its last proof of life, which is all that can be billed.
        const limitSeconds = call.session_expires_s ?? rules.maxCallSeconds;
        if (call.last_activity_at.getTime() + limitSeconds * 1000 > instant.getTime()) continue;
        const endedAt = call.last_activity_at;
        await db
          .updateTable('call_records')
          .set({
            status: 'completed',
            ended_at: endedAt,
            duration_ms: Math.max(0, endedAt.getTime() - (call.answered_at ?? endedAt).getTime()),
            hung_up_by: 'system',
            end_reason: call.session_expires_s ? 'session timer expired (RFC 4028)' : 'maximum call duration',
            end_unseen: true,
          })
          .where('id', '=', call.id)
          .where('status', '=', 'answered')
          .where('last_activity_at', '=', call.last_activity_at) // not refreshed since it was read
          .execute();
        closed += 1;
      }
      return { abandoned: Number(abandoned.numUpdatedRows), closed };
    },
  };
}
