import type { Logger } from 'pino';
import type { BudgetGrant, CallBudget } from './call-budget.js';

/** What the meter does to a call whose time ran out; the proxy knows how. */
export interface CutoffActions {
  /** A ringing call: CANCEL the devices, and the caller hears `status` and `reason`. */
  abandonRinging(callId: string, status: number, reason: string): void;
  /** An answered call: BYE to both parties; returns the instant the call ended. */
  hangUp(callId: string, status: number, reason: string): Date | null;
}

/** The meter's timers; a test drives them on its own clock. */
export interface MeterTimers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: MeterTimers = {
  set: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface MeteredCall {
  callId: string;
  callKey: string;
  caller: string;
  recordId: string | null;
  answeredAt: Date | null;
  until: Date;
  renewal: unknown;
  cutoff: unknown;
  /** Set once the call's end is decided, so it is ended once. */
  over: boolean;
}

/** A renewal is asked for this long before the grant runs out (at most half the grant). */
const RENEWAL_LEAD_MS = 1_000;

/**
 * A call whose time ran out is ended this long before its last granted instant: the BYE leaves a
 * few milliseconds after its timer fires, and a call that lasted even 1 ms past its grant would be
 * billed a whole increment more than the headroom paid for.
 */
export const CUTOFF_MARGIN_MS = 250;

/**
 * The clock of every metered call on this node (clause 9, real-time charging). The budget grants a
 * call time up to an instant; shortly before it, the meter asks for more. When none is granted the
 * call ends at that instant: a ringing call is cancelled, an answered one gets a BYE on both legs,
 * and every other call of the same caller on this node ends with it, since they shared the one
 * headroom that is now gone. A call whose budget cannot be reached runs to the end of what it holds.
 */
export class CallMeter {
  readonly #calls = new Map<string, MeteredCall>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #timers: MeterTimers;

  constructor(
    private readonly budget: CallBudget,
    private readonly deps: { now: () => Date; logger: Logger; timers?: MeterTimers },
    private readonly actions: CutoffActions,
  ) {
    this.#timers = deps.timers ?? realTimers;
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Resolves once no question to the budget is in flight (tests; a graceful stop). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** The budget, with each question counted while it is in flight. */
  #ask<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const forget = () => this.#inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Before the INVITE is forwarded: the grant, or the refusal to answer. */
  async authorize(callId: string, callerTag: string, caller: string): Promise<BudgetGrant> {
    const callKey = `${callId};${callerTag}`;
    const grant = await this.#ask(this.budget.authorize({ callKey, caller, at: this.deps.now() }));
    if (grant.kind === 'granted') {
      const call: MeteredCall = {
        callId,
        callKey,
        caller,
        recordId: null,
        answeredAt: null,
        until: grant.until,
        renewal: null,
        cutoff: null,
        over: false,
      };
      this.#calls.set(callId, call);
      this.#schedule(call);
    }
    return grant;
  }

  recorded(callId: string, recordId: string): void {
    const call = this.#calls.get(callId);
    if (call) call.recordId = recordId;
  }

  /** The call was answered at `at`: its time counts from there. */
  answered(callId: string, at: Date): void {
    const call = this.#calls.get(callId);
    if (!call || call.over) return;
    call.answeredAt = at;
    this.#clearTimers(call);
    void this.#ask(this.budget.answered({ callKey: call.callKey, caller: call.caller, recordId: call.recordId ?? '', at }))
      .then((grant) => this.#apply(call, grant))
      .catch((error: unknown) => {
        this.deps.logger.warn({ err: error, callId }, 'charging did not answer at the answer; the call keeps what it holds');
        this.#schedule(call);
      });
  }

  /**
   * The call ended by a party (BYE), or without an answer. `endedAt` is the instant the record
   * says; an unanswered call just gives back what it held.
   */
  ended(callId: string, endedAt: Date): void {
    const call = this.#calls.get(callId);
    if (!call) return;
    this.#finish(call, endedAt, false);
  }

  /**
   * The proxy lost the call (its parties stopped answering keep-alives): what it held is given back,
   * and its fees are settled from the record the stale-call job closes at its last proof of life.
   */
  lost(callId: string): void {
    const call = this.#calls.get(callId);
    if (!call) return;
    this.#clearTimers(call);
    call.over = true;
    this.#calls.delete(callId);
    void this.#ask(
      this.budget.ended({
        callKey: call.callKey,
        caller: call.caller,
        recordId: null,
        answeredAt: null,
        endedAt: this.deps.now(),
        cutoff: false,
      }),
    ).catch((error: unknown) => this.deps.logger.warn({ err: error, callId }, 'could not release a lost call'));
  }

  stopAll(): void {
    for (const call of this.#calls.values()) this.#clearTimers(call);
    this.#calls.clear();
  }

  #finish(call: MeteredCall, endedAt: Date, cutoff: boolean, after: Promise<unknown> = Promise.resolve()): Promise<unknown> {
    if (call.over) return after;
    call.over = true;
    this.#clearTimers(call);
    this.#calls.delete(call.callId);
    const answeredAt = call.answeredAt;
    const settled = this.#ask(
      after.then(() =>
        this.budget.ended({
          callKey: call.callKey,
          caller: call.caller,
          recordId: answeredAt ? call.recordId : null,
          answeredAt,
          endedAt,
          cutoff,
        }),
      ),
    );
    settled.catch((error: unknown) => this.deps.logger.warn({ err: error, callId: call.callId }, 'could not settle a call'));
    return settled.catch(() => undefined);
  }

  #apply(call: MeteredCall, grant: BudgetGrant): void {
    if (call.over) return;
    if (grant.kind === 'granted') {
      call.until = grant.until;
      this.#schedule(call);
    } else if (grant.kind === 'refused' && grant.status === 503) {
      // Charging cannot be asked: this call runs to the end of what it holds, the others to theirs.
      this.#cutAt([call], call.until, grant.status, grant.reason);
    } else if (grant.kind === 'refused') {
      this.#exhausted(call, grant.status, grant.reason);
    } else {
      // Not metered after all (the number left billing): nothing to keep time for.
      this.#clearTimers(call);
      this.#calls.delete(call.callId);
    }
  }

  #schedule(call: MeteredCall): void {
    this.#clearTimers(call);
    const left = call.until.getTime() - this.deps.now().getTime();
    const lead = Math.min(RENEWAL_LEAD_MS, Math.max(0, left / 2));
    call.renewal = this.#timers.set(() => this.#renew(call), Math.max(0, left - lead));
  }

  #renew(call: MeteredCall): void {
    call.renewal = null;
    if (call.over) return;
    // Fail-safe: the call ends at its last paid instant unless more time arrives before then (a
    // renewal that comes back late must not let the call run into time nobody paid for).
    this.#cutAt([call], call.until, 503, 'Charging unavailable');
    void this.#ask(this.budget.renew({ callKey: call.callKey, caller: call.caller, at: this.deps.now(), answeredAt: call.answeredAt }))
      .then((grant) => this.#apply(call, grant))
      .catch((error: unknown) => {
        this.deps.logger.warn({ err: error, callId: call.callId }, 'charging did not answer a renewal; the call ends when its time does');
        this.#cutAt([call], call.until, 503, 'Charging unavailable');
      });
  }

  /**
   * No more time for this call: it, and every other call of its caller here, end together when its
   * time does, since they shared the one headroom that is now gone.
   */
  #exhausted(call: MeteredCall, status: number, reason: string): void {
    const group = [call, ...[...this.#calls.values()].filter((other) => other !== call && other.caller === call.caller && !other.over)];
    this.#cutAt(group, call.until, status, reason);
  }

  #cutAt(group: MeteredCall[], at: Date, status: number, reason: string): void {
    const delay = Math.max(0, at.getTime() - CUTOFF_MARGIN_MS - this.deps.now().getTime());
    const handle = this.#timers.set(() => this.#cut(group, status, reason), delay);
    for (const call of group) {
      this.#clearTimers(call);
      call.cutoff = handle;
    }
  }

  /**
   * Ends the calls, and settles them one after the other in record order: calls ended at one
   * instant are rated in that order on the bill too (end time, then record id), so the included
   * minutes go to the same calls in both.
   */
  #cut(group: MeteredCall[], status: number, reason: string): void {
    let settled: Promise<unknown> = Promise.resolve();
    for (const call of [...group].sort((a, b) => ((a.recordId ?? '') < (b.recordId ?? '') ? -1 : 1))) {
      call.cutoff = null;
      if (call.over) continue;
      this.deps.logger.info({ callId: call.callId, caller: call.caller, status, reason }, 'SIP call ended: no more time granted');
      if (!call.answeredAt) {
        this.actions.abandonRinging(call.callId, status, reason);
        settled = this.#finish(call, this.deps.now(), true, settled);
        continue;
      }
      const endedAt = this.actions.hangUp(call.callId, status, reason) ?? this.deps.now();
      settled = this.#finish(call, endedAt, true, settled);
    }
  }

  #clearTimers(call: MeteredCall): void {
    if (call.renewal) this.#timers.clear(call.renewal);
    // A cutoff may be shared by the calls of one caller: only the last one still waiting clears it.
    if (call.cutoff && ![...this.#calls.values()].some((other) => other !== call && other.cutoff === call.cutoff && !other.over))
      this.#timers.clear(call.cutoff);
    call.renewal = null;
    call.cutoff = null;
  }
}
