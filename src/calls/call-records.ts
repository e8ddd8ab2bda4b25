import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { pino, type Logger } from 'pino';
import { Batcher, isDatabaseUnavailable, WriteJournal, type Database } from '../platform/db/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { publishCompletedFrom } from './call-events.js';

/**
 * Call records: one per call attempt, written before the INVITE leaves the proxy so a crash can
 * never lose a call that rang, and keyed by (Call-ID, From tag) so a retransmission or a replay
 * cannot duplicate it. Calls whose end was never seen are closed by `closeStaleCallsJob`. While the
 * database is down, the writes go to a local journal and reach the database, in order, when it is back.
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

/** A write the database could not take, as the journal keeps it (instants as ISO strings). */
export type CallRecordWrite =
  | {
      op: 'started';
      id: string;
      callId: string;
      fromTag: string;
      caller: string;
      callee: string;
      callerDevice: string | null;
      at: string;
      sessionExpiresSeconds: number | null;
    }
  | { op: 'answered'; id: string; at: string; calleeDevice: string | null }
  | { op: 'failed'; id: string; at: string; finalStatus: number; reason: string; cancelled: boolean }
  | { op: 'ended'; callId: string; at: string; byeFromTag: string; reason: string }
  | { op: 'refreshed'; callId: string; at: string };

export interface CallRecorderOptions {
  /**
   * Directory of the durable journal that takes the writes the database cannot (it is down). Without
   * it, such writes fail as the database did.
   */
  journalDir?: string | null;
  logger?: Logger;
  /** First wait before replaying the journal after an outage began; it doubles up to `maxReplayDelayMs`. */
  replayDelayMs?: number;
  maxReplayDelayMs?: number;
  /** Told of each call event as the proxy reports it (for metrics), before it is written. */
  observer?: CallEventObserver;
}

/** What the proxy reported of a call, for figures that must not wait for the database. */
export interface CallEventObserver {
  started(callId: string): void;
  answered(callId: string): void;
  failed(callId: string, finalStatus: number): void;
  ended(callId: string): void;
}

interface Answer {
  id: string;
  at: Date;
  calleeDevice: string | null;
}
interface Failure {
  id: string;
  at: Date;
  finalStatus: number;
  reason: string;
  cancelled: boolean;
}
export interface Ending {
  callId: string;
  at: Date;
  byeFromTag: string;
  reason: string;
}

/**
 * How long an answer or an ending waits for others to share its statement. A crash loses what waits
 * (as it loses a write under way); the stale-call job then closes the call at its last sign of life.
 */
const EVENT_LINGER_MS = 50;

/**
 * How long call starts wait to share an INSERT. Ringing does not wait for it; an answer (or any final
 * response) is passed on only once it is done, so this is the most an answer can be held, against
 * the seconds a person takes to pick up. On the embedded database an INSERT of one call record cost
 * 450–530 µs of CPU and each further row in it 65–90 µs (measured 2026-12-05, README).
 */
const START_LINGER_MS = 20;

export class CallRecorder {
  /**
   * Writes for one call run in the order the proxy saw the events: on a pool, an "answered" sent
   * without waiting must not be overtaken by the BYE's "ended" on another connection. The proxy
   * keeps a call on one node (it is in the route set), so ordering per process is enough.
   */
  readonly #pending = new Map<string, Promise<unknown>>();
  /**
   * Group commit: the calls started within START_LINGER_MS share one INSERT. The devices ring
   * meanwhile; the proxy passes no final response on before its call's record is durable.
   */
  readonly #inserts: Batcher<CallStart & { id: string }, string>;
  readonly #answers: Batcher<Answer, void>;
  readonly #endings: Batcher<Ending, void>;

  /**
   * While the database is down, writes go to this journal and are replayed in order once it is back;
   * while it holds anything, new writes queue behind them there. Replays are idempotent (inserts do
   * nothing on conflict, updates only move a call forward from the status they expect).
   */
  #journal: WriteJournal<CallRecordWrite> | null = null;
  readonly #journalDir: string | null;
  readonly #logger: Logger | null;
  /** Starts journalled during this outage, so a call started twice keeps its first id there too. */
  readonly #journalledStarts = new Map<string, string>();
  readonly #replayDelayMs: number;
  readonly #maxReplayDelayMs: number;
  #replayAllowed = false;
  #replayTimer: NodeJS.Timeout | null = null;
  #replaying: Promise<void> | null = null;
  #nextReplayDelayMs: number;
  #closed = false;
  readonly #observer: CallEventObserver | null;

  constructor(
    private readonly db: Kysely<Database>,
    options: CallRecorderOptions = {},
  ) {
    this.#logger = options.logger ?? null;
    this.#journalDir = options.journalDir ?? null;
    this.#replayDelayMs = options.replayDelayMs ?? 1_000;
    this.#maxReplayDelayMs = options.maxReplayDelayMs ?? 5_000;
    this.#nextReplayDelayMs = this.#replayDelayMs;
    this.#observer = options.observer ?? null;
    this.#inserts = new Batcher((calls) => this.#insertMany(calls), { lingerMs: START_LINGER_MS });
    // Nobody waits on an answer or an ending being written (the proxy has already relayed it), so
    // they linger longer to share statements than the start, which an answer waits for.
    this.#answers = new Batcher<Answer, void>(
      async (answers) => {
        await applyAnswers(this.db, answers);
        return answers.map(() => undefined);
      },
      { lingerMs: EVENT_LINGER_MS },
    );
    this.#endings = new Batcher<Ending, void>(
      async (endings) => {
        await applyEndings(this.db, endings);
        return endings.map(() => undefined);
      },
      { lingerMs: EVENT_LINGER_MS },
    );
  }

  /**
   * Opened by the serving process (startReplaying) or at the first outage, not at construction:
   * a CLI command that never records a call must not take the journal's lock.
   */
  #openJournal(): WriteJournal<CallRecordWrite> | null {
    if (!this.#journal && this.#journalDir && !this.#closed) {
      this.#journal = new WriteJournal(this.#journalDir, 'call-records.ndjson', this.#logger ?? pino({ level: 'silent' }));
    }
    return this.#journal;
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

  /**
   * Writes to the database, or to the journal when the database is unavailable or the journal
   * already holds earlier writes (which must be applied first). Resolves once the write is durable
   * in one or the other.
   */
  async #write<T>(entry: CallRecordWrite, direct: () => Promise<T>, journalled: T): Promise<T> {
    if (this.#journal?.active) return this.#toJournal(this.#journal, entry, journalled);
    try {
      return await direct();
    } catch (error) {
      const journal = isDatabaseUnavailable(error) ? this.#openJournal() : null;
      if (!journal) throw error;
      if (!journal.active) this.#logger?.warn({ err: error }, 'database unavailable: call records go to the journal until it answers');
      return this.#toJournal(journal, entry, journalled);
    }
  }

  async #toJournal<T>(journal: WriteJournal<CallRecordWrite>, entry: CallRecordWrite, journalled: T): Promise<T> {
    await journal.append(entry);
    this.#scheduleReplay();
    return journalled;
  }

  /** Later writes are best effort for the caller (the proxy does not wait for some): a failure is logged, never thrown. */
  #logged(what: string, write: Promise<void>): Promise<void> {
    return write.catch((error: unknown) => this.#logger?.error({ err: error, write: what }, 'could not record a call event'));
  }

  /** Returns the record id; the same call started twice returns the first record. */
  started(call: CallStart): Promise<string> {
    this.#observer?.started(call.callId);
    return this.#inOrder(call.callId, () => {
      const key = `${call.callId}\u0000${call.fromTag}`;
      const known = this.#journal?.active ? this.#journalledStarts.get(key) : undefined;
      if (known) return Promise.resolve(known);
      // The id is made here, not by the database, so a start can be recorded while it is down.
      const id = randomUUID();
      const entry: CallRecordWrite = { op: 'started', id, ...call, at: call.at.toISOString() };
      return this.#write(entry, () => this.#inserts.load({ ...call, id }), id).then((recorded) => {
        if (this.#journal?.active) this.#journalledStarts.set(key, recorded);
        return recorded;
      });
    });
  }

  async #insertMany(calls: (CallStart & { id: string })[]): Promise<string[]> {
    const key = (callId: string, fromTag: string) => `${callId}\u0000${fromTag}`;
    const inserted = await insertStarts(this.db, calls);
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
    this.#observer?.answered(callId);
    const entry: CallRecordWrite = { op: 'answered', id, at: at.toISOString(), calleeDevice };
    return this.#logged(
      'answered',
      this.#inOrder(callId, () => this.#write(entry, () => this.#answers.load({ id, at, calleeDevice }), undefined)),
    );
  }

  failed(callId: string, id: string, at: Date, finalStatus: number, reason: string, cancelled: boolean): Promise<void> {
    this.#observer?.failed(callId, finalStatus);
    const failure: Failure = { id, at, finalStatus, reason, cancelled };
    const entry: CallRecordWrite = { op: 'failed', ...failure, at: at.toISOString() };
    return this.#logged(
      'failed',
      this.#inOrder(callId, () => this.#write(entry, () => applyFailures(this.db, [failure]), undefined)),
    );
  }

  /**
   * A BYE ended an answered call; its From tag tells whether the caller or the callee hung up
   * (`ENDED_BY_PROXY` when the proxy itself ended it).
   */
  ended(callId: string, at: Date, byeFromTag: string, reason: string): Promise<void> {
    this.#observer?.ended(callId);
    const entry: CallRecordWrite = { op: 'ended', callId, at: at.toISOString(), byeFromTag, reason };
    return this.#logged(
      'ended',
      this.#inOrder(callId, () => this.#write(entry, () => this.#endings.load({ callId, at, byeFromTag, reason }), undefined)),
    );
  }

  /** A re-INVITE or UPDATE refreshed the session (RFC 4028): the call is alive. */
  refreshed(callId: string, at: Date): Promise<void> {
    const entry: CallRecordWrite = { op: 'refreshed', callId, at: at.toISOString() };
    return this.#logged(
      'refreshed',
      this.#inOrder(callId, () => this.#write(entry, () => applyRefreshes(this.db, [{ callId, at }]), undefined)),
    );
  }

  /** True while writes wait in the journal for the database. */
  get journalPending(): boolean {
    return this.#journal?.active ?? false;
  }

  /**
   * Replays what the journal holds (left by an outage, or by an earlier process) once the schema is
   * in place, and from then on whenever an outage ends.
   */
  startReplaying(): void {
    this.#replayAllowed = true;
    if (this.#openJournal()?.active) this.#scheduleReplay(0);
  }

  /** Replays now; resolves when the journal is empty, rejects if the database refused. */
  async replayJournal(): Promise<number> {
    const journal = this.#openJournal();
    if (!journal) return 0;
    const applied = await journal.replay((entries) => applyWrites(this.db, entries));
    if (!journal.active) this.#journalledStarts.clear();
    return applied;
  }

  #scheduleReplay(delayMs = this.#nextReplayDelayMs): void {
    if (!this.#replayAllowed || this.#closed || this.#replayTimer || this.#replaying) return;
    this.#replayTimer = setTimeout(() => {
      this.#replayTimer = null;
      this.#replaying = this.#replayOnce().finally(() => {
        this.#replaying = null;
        if (this.#journal?.active) this.#scheduleReplay();
      });
    }, delayMs);
    this.#replayTimer.unref();
  }

  async #replayOnce(): Promise<void> {
    try {
      const applied = await this.replayJournal();
      this.#nextReplayDelayMs = this.#replayDelayMs;
      if (applied > 0) this.#logger?.info({ applied }, 'database answers again: journalled call record writes replayed');
    } catch (error) {
      this.#nextReplayDelayMs = Math.min(this.#maxReplayDelayMs, this.#nextReplayDelayMs * 2);
      if (!isDatabaseUnavailable(error)) this.#logger?.error({ err: error }, 'replaying the call record journal failed; will retry');
    }
  }

  /** Stops replaying and closes the journal; what it still holds is replayed by the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#replayTimer) clearTimeout(this.#replayTimer);
    await this.#replaying;
    await Promise.allSettled([...this.#pending.values()]);
    await this.#journal?.close();
  }
}

/** Applies journalled writes in order: consecutive writes of one kind go in one statement. */
async function applyWrites(db: Kysely<Database>, writes: CallRecordWrite[]): Promise<void> {
  for (let start = 0; start < writes.length;) {
    const op = writes[start]!.op;
    let end = start;
    while (end < writes.length && writes[end]!.op === op && end - start < 500) end += 1;
    const run = writes.slice(start, end);
    start = end;
    switch (op) {
      case 'started':
        await insertStarts(
          db,
          run.map((w) => {
            const s = w as Extract<CallRecordWrite, { op: 'started' }>;
            return { ...s, at: new Date(s.at) };
          }),
        );
        break;
      case 'answered':
        await applyAnswers(
          db,
          run.map((w) => {
            const a = w as Extract<CallRecordWrite, { op: 'answered' }>;
            return { id: a.id, at: new Date(a.at), calleeDevice: a.calleeDevice };
          }),
        );
        break;
      case 'failed':
        await applyFailures(
          db,
          run.map((w) => {
            const f = w as Extract<CallRecordWrite, { op: 'failed' }>;
            return { ...f, at: new Date(f.at) };
          }),
        );
        break;
      case 'ended':
        await applyEndings(
          db,
          run.map((w) => {
            const e = w as Extract<CallRecordWrite, { op: 'ended' }>;
            return { ...e, at: new Date(e.at) };
          }),
        );
        break;
      case 'refreshed':
        await applyRefreshes(
          db,
          run.map((w) => {
            const r = w as Extract<CallRecordWrite, { op: 'refreshed' }>;
            return { callId: r.callId, at: new Date(r.at) };
          }),
        );
        break;
    }
  }
}

/** In place of a BYE's From tag: the proxy ended the call (a tag is a token, which has no space). */
export const ENDED_BY_PROXY = ' proxy';

/** Inserts new call attempts; one already recorded (same Call-ID and From tag) is left as it is. */
function insertStarts(db: Kysely<Database>, calls: (CallStart & { id: string })[]) {
  return db
    .insertInto('call_records')
    .values(
      calls.map((call) => ({
        id: call.id,
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
}

async function applyAnswers(db: Kysely<Database>, answers: Answer[]): Promise<void> {
  const rows = sql.join(answers.map((a) => sql`(${a.id}::uuid, ${a.at}::timestamptz, ${a.calleeDevice}::text)`));
  await sql`
    update call_records c
    set status = 'answered', answered_at = v.at, callee_device = v.device, final_status = 200, last_activity_at = v.at
    from (values ${rows}) as v(id, at, device)
    where c.id = v.id and c.status = 'ringing'`.execute(db);
}

async function applyFailures(db: Kysely<Database>, failures: Failure[]): Promise<void> {
  const rows = sql.join(
    failures.map(
      (f) =>
        sql`(${f.id}::uuid, ${f.at}::timestamptz, ${f.cancelled ? 'cancelled' : 'failed'}::text, ${f.finalStatus}::int, ${f.reason}::text)`,
    ),
  );
  await sql`
    update call_records c
    set status = v.status, ended_at = v.at, final_status = v.final_status, end_reason = v.reason, last_activity_at = v.at, duration_ms = 0
    from (values ${rows}) as v(id, at, status, final_status, reason)
    where c.id = v.id and c.status = 'ringing'`.execute(db);
}

/**
 * The answered record of a Call-ID, found through the dialog index (`call_records_dialog`) once per
 * row of a batch, whatever the statistics say: joined directly, the planner estimated from missing
 * statistics (the embedded database has no autovacuum to gather them) that a Call-ID matches many
 * records, and scanned every call record ever made for each batch of endings: a cost per call that
 * grows with the table (docs/sip-capacity-log.md, session 29). `offset 0` keeps the probe from being flattened into
 * that join.
 */
function answeredRecordOf(callId: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select r.id from call_records r where r.call_id = ${callId} and r.status = 'answered' offset 0`;
}

/**
 * One statement per batch: the duration and who hung up are computed where the answer time is, and
 * each call completed here is published (`call.completed`) by the same statement.
 */
async function applyEndings(db: Kysely<Database>, endings: Ending[]): Promise<void> {
  await endingsStatement(endings).execute(db);
}

/** The statement applyEndings runs (exported for the test of its plan). */
export function endingsStatement(endings: Ending[]): RawBuilder<unknown> {
  const rows = sql.join(endings.map((e) => sql`(${e.callId}::text, ${e.at}::timestamptz, ${e.byeFromTag}::text, ${e.reason}::text)`));
  return sql`
    with completed as (
      update call_records c
      set status = 'completed',
          ended_at = v.at,
          duration_ms = greatest(0, round(extract(epoch from (v.at - c.answered_at)) * 1000))::bigint,
          hung_up_by = case when v.tag = ${ENDED_BY_PROXY} then 'system' when v.tag = c.from_tag then 'caller' else 'callee' end,
          end_reason = v.reason,
          last_activity_at = v.at
      from (values ${rows}) as v(call_id, at, tag, reason)
      cross join lateral (${answeredRecordOf(sql`v.call_id`)}) as hit
      where c.id = hit.id and c.status = 'answered'
      returning c.id, c.caller, c.callee, c.answered_at, c.ended_at, c.duration_ms
    )
    ${publishCompletedFrom('completed')}`;
}

/** Activity only moves forward, so a refresh replayed twice cannot rewind it. */
async function applyRefreshes(db: Kysely<Database>, refreshes: { callId: string; at: Date }[]): Promise<void> {
  const rows = sql.join(refreshes.map((r) => sql`(${r.callId}::text, ${r.at}::timestamptz)`));
  await sql`
    update call_records c
    set last_activity_at = greatest(c.last_activity_at, v.at)
    from (values ${rows}) as v(call_id, at)
    cross join lateral (${answeredRecordOf(sql`v.call_id`)}) as hit
    where c.id = hit.id and c.status = 'answered'`.execute(db);
}

export interface StaleCallRules {
  /** Ringing longer than this means the proxy died mid-setup. */
  maxRingingSeconds: number;
  /** An answered call without a session timer is closed after this long without activity. */
  maxCallSeconds: number;
}

/**
 * The stale-call job's two searches as of `instant` (exported for the test of their plans): ringing
 * calls past the setup limit, closed here as abandoned, and answered calls silent for 90 s, whose
 * session limits the job then checks one by one. Both say `ended_at is null`, always true of a
 * ringing or answered call, so that the open calls' partial index (`call_records_open`) serves
 * them: without it they read every call record ever made, every 30 s.
 */
export function staleCallSearches(db: Kysely<Database>, rules: StaleCallRules, instant: Date) {
  const ringingBefore = new Date(instant.getTime() - rules.maxRingingSeconds * 1000);
  return {
    abandoned: db
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
      .where('ended_at', 'is', null)
      .where('status', '=', 'ringing')
      .where('last_activity_at', '<', ringingBefore),
    silent: db
      .selectFrom('call_records')
      .select(['id', 'answered_at', 'last_activity_at', 'session_expires_s'])
      .where('ended_at', 'is', null)
      .where('status', '=', 'answered')
      .where('last_activity_at', '<', new Date(instant.getTime() - 90_000)),
  };
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
      const searches = staleCallSearches(db, rules, instant);
      const abandoned = await searches.abandoned.executeTakeFirst();
      const open = await searches.silent.execute();
      let closed = 0;
      for (const call of open) {
        // RFC 4028 §10: without a refresh (or a keep-alive round) within the interval the session is
        // over. It ended at its last proof of life, which is all that can be billed.
        const limitSeconds = call.session_expires_s ?? rules.maxCallSeconds;
        if (call.last_activity_at.getTime() + limitSeconds * 1000 > instant.getTime()) continue;
        const endedAt = call.last_activity_at;
        // The close and its `call.completed` are one statement: both happen or neither.
        await sql`
          with completed as (
            update call_records
            set status = 'completed', ended_at = ${endedAt}::timestamptz,
                duration_ms = ${Math.max(0, endedAt.getTime() - (call.answered_at ?? endedAt).getTime())}::bigint,
                hung_up_by = 'system',
                end_reason = ${call.session_expires_s ? 'session timer expired (RFC 4028)' : 'maximum call duration'}::text,
                end_unseen = true
            where id = ${call.id}::uuid and status = 'answered'
              and last_activity_at = ${call.last_activity_at}::timestamptz -- not refreshed since it was read
            returning id, caller, callee, answered_at, ended_at, duration_ms
          )
          ${publishCompletedFrom('completed')}`.execute(db);
        closed += 1;
      }
      return { abandoned: Number(abandoned.numUpdatedRows), closed };
    },
  };
}
