import {
  cloneMessage,
  detachedCopy,
  createResponse,
  getHeader,
  type InviteClientTransaction,
  type InviteServerTransaction,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  type TransactionLayer,
  createTag,
  type Flow,
} from '../sip/index.js';
import type { CallRecorder } from './call-records.js';
import type { Binding } from './location-service.js';

/** What a fork needs of the proxy: the transaction layer to send on, the recorder, the clock. */
export interface ForkDeps {
  transactions: TransactionLayer;
  /** Where the call's outcome is written (a node that only carries the call to its device writes nothing). */
  recorder: Pick<CallRecorder, 'answered' | 'failed'>;
  now: () => Date;
}

/**
 * Writes how a call failed once its record is durable (the start and this failure are ordered per
 * call by the recorder, but the failure needs the start's id). `at` is when it failed, not when the
 * record came; a record that could not be written has nothing to say it in.
 */
export async function recordFailureOnceRecorded(
  recorder: ForkDeps['recorder'],
  call: { callId: string; recorded: Promise<string>; at: Date },
  status: number,
  reason: string,
  cancelled: boolean,
): Promise<void> {
  const recordId = await call.recorded.catch(() => null);
  if (recordId !== null) await recorder.failed(call.callId, recordId, call.at, status, reason, cancelled);
}

function nothing(): void {}

/** One INVITE forked to every device of the callee. */
export class InviteFork {
  /**
   * `request` is the INVITE as sent on the branch until its final response, for the 408 or 480 the
   * branch may end with; `final` is that final response, kept when it is not a 2xx (the best of them
   * goes upstream, §16.7 step 6). An answered call's fork stays for 64*T1 to pass on retransmitted
   * 2xx, and keeps neither (RFC 6026 Accepted needs neither).
   */
  readonly #branches = new Map<
    string,
    {
      binding: Binding;
      flow: Flow;
      transaction: InviteClientTransaction | null;
      request: SipRequest | null;
      settled: boolean;
      final: SipResponse | null;
    }
  >();
  #answered = false;
  #finished = false;
  #timerC: NodeJS.Timeout | null = null;
  /** Adjusts each 2xx before it goes upstream (RFC 4028 §8.2). */
  completeAnswer: (response: SipResponse) => void = () => undefined;
  /** The call was answered by `binding`'s device, reached over `flow`, at `at` (the instant its record says). */
  onAnswered: (invite: SipRequest, response: SipResponse, flow: Flow, at: Date, binding: Binding) => void = () => undefined;
  /** The call ended without an answer (declined, unanswered, cancelled, abandoned). */
  onUnanswered: () => void = () => undefined;
  /**
   * Rewrites a branch's response in place before it is handled (the media bridge's SDP answer).
   * When set, every response of the fork waits its turn behind the ones before it, so a rewritten
   * 183 never overtakes or trails the 200 that follows it.
   */
  rewriteResponse: ((branch: string, response: SipResponse) => Promise<void>) | null = null;
  #rewrites: Promise<void> = Promise.resolve();
  /** The call's record once it is durable; null while it is being written, or if it could not be. */
  #recordId: string | null = null;
  /** The write is over, one way or the other. */
  #recordSettled = false;

  readonly callId: string;

  /**
   * `recorded` is the call's record being written. The devices ring meanwhile; a final response
   * waits for it (see #onBranchResponse), so an answer is never passed on for a call without its
   * record. A recording that fails gives the call up with 500 (abandon).
   */
  constructor(
    readonly server: InviteServerTransaction,
    private readonly recorded: Promise<string>,
    private readonly deps: ForkDeps,
    private readonly onDone: () => void,
  ) {
    // A copy: a slice would keep the whole INVITE text alive as long as the fork.
    this.callId = detachedCopy(getHeader(server.request, 'Call-ID')!);
    recorded.then(
      (recordId) => {
        this.#recordId = recordId;
        this.#recordSettled = true;
      },
      () => {
        this.#recordSettled = true;
        this.abandon(500, 'Server Internal Error', 'the call record could not be written');
      },
    );
  }

  get branchIds(): string[] {
    return [...this.#branches.keys()];
  }

  /** A branch to `binding`'s device, sent over `flow` (its own flow, or the way to the node holding it). */
  addBranch(branch: string, binding: Binding, request: SipRequest, flow: Flow = binding.flow): void {
    const state = {
      binding,
      flow,
      transaction: null as InviteClientTransaction | null,
      request: request as SipRequest | null,
      settled: false,
      final: null as SipResponse | null,
    };
    this.#branches.set(branch, state);
    // The callbacks reach the INVITE through the branch's state, not by holding it themselves: the
    // transaction keeps them for as long as it lives.
    const ending = (status: number, reason?: string) =>
      this.#onBranchFinal(branch, createResponse(state.request ?? this.server.request, status, { toTag: createTag(), reason }));
    state.transaction = this.deps.transactions.sendRequest(request, flow, {
      onResponse: (response) => this.#receive(branch, response, () => this.#onBranchResponse(branch, response)),
      onTimeout: () => ending(408),
      onTransportError: () => ending(480, 'Device unreachable'),
    }) as InviteClientTransaction;
  }

  start(ringTimeoutMs: number): void {
    if (this.#branches.size === 0) {
      void this.#finish(createResponse(this.server.request, 480, { toTag: createTag() }), 'no reachable device');
      return;
    }
    // §16.6 step 11: Timer C bounds how long the call may ring.
    this.#timerC = setTimeout(() => {
      if (this.#finished) return;
      void this.#finish(createResponse(this.server.request, 408, { toTag: createTag(), reason: 'No answer' }), 'no answer');
      this.#cancelBranches([]);
    }, ringTimeoutMs);
    this.#timerC.unref();
  }

  /** A cleared timer is still an object (and its callback, a closure): an answered fork keeps neither for its 64*T1. */
  #stopTimerC(): void {
    if (this.#timerC) clearTimeout(this.#timerC);
    this.#timerC = null;
  }

  #receive(branch: string, response: SipResponse, handle: () => void): void {
    const rewrite = this.rewriteResponse;
    if (!rewrite || response.status === 100) return handle();
    this.#rewrites = this.#rewrites
      .then(() => rewrite(branch, response))
      .catch(() => undefined)
      .then(handle);
  }

  #onBranchResponse(branch: string, response: SipResponse): void {
    if (response.status === 100) return;
    // A final response decides the call, which its record then says: it waits until the record is
    // durable (an answer is the moment a call starts to cost; group commit makes that wait short).
    // Provisional ones go on at once: ringing must not wait for the disk.
    if (response.status >= 200 && !this.#recordSettled) {
      const handle = () => this.#onBranchResponse(branch, response);
      this.recorded.then(handle, handle);
      return;
    }
    if (response.status < 200) {
      // §16.7 step 5: provisional responses go upstream while the call is undecided.
      if (!this.#finished) this.server.respond(withoutTopVia(response));
      return;
    }
    if (response.status < 300) {
      // §16.7 step 5: every 2xx goes upstream; the first one decides the call.
      const upstream = withoutTopVia(response);
      this.completeAnswer(upstream);
      // Read before the 2xx settles the server transaction, which then keeps only a skeleton of it.
      const invite = this.server.request;
      this.server.respond(upstream);
      if (!this.#answered) {
        this.#answered = true;
        const state = this.#branches.get(branch)!;
        state.settled = true;
        state.request = null;
        this.#finished = true;
        this.#stopTimerC();
        const answeredAt = this.deps.now();
        if (this.#recordId !== null)
          void this.deps.recorder.answered(this.callId, this.#recordId, answeredAt, state.binding.userAgent ?? state.binding.contact);
        const onAnswered = this.onAnswered;
        // Told once; what the proxy's callbacks hold for the call is let go with them. (Not a new
        // arrow function here: it would share this call's scope, and so hold the response.)
        this.onAnswered = nothing;
        this.onUnanswered = nothing;
        onAnswered(invite, upstream, state.flow, answeredAt, state.binding);
        // RFC 3326: the other devices learn the call was answered elsewhere.
        this.#cancelBranches([{ name: 'Reason', value: 'SIP ;cause=200 ;text="Call completed elsewhere"' }]);
        this.onDone();
      }
      return;
    }
    this.#onBranchFinal(branch, response);
  }

  #onBranchFinal(branch: string, response: SipResponse): void {
    const state = this.#branches.get(branch);
    if (!state || state.settled) return;
    state.settled = true;
    state.request = null;
    if (this.#finished) return;
    state.final = response;
    const pending = [...this.#branches.values()].filter((b) => !b.settled);
    // §16.7 step 5: a 6xx ends the search; the other branches are cancelled.
    if (response.status >= 600) {
      this.#cancelBranches([]);
      void this.#finish(withoutTopVia(response), 'declined');
      return;
    }
    if (pending.length === 0) {
      const best = chooseBestResponse([...this.#branches.values()].map((b) => b.final!).filter(Boolean));
      if (best) void this.#finish(withoutTopVia(best), 'no device answered');
      else void this.#finish(createResponse(this.server.request, 480, { toTag: createTag() }), 'no device answered');
    }
  }

  cancelByCaller(reason: string[]): void {
    if (this.#finished) return;
    this.#cancelBranches(reason.map((value) => ({ name: 'Reason', value })));
    void this.#finish(createResponse(this.server.request, 487, { toTag: createTag() }), 'cancelled by caller', true);
  }

  /**
   * The proxy gives up on a ringing call of its own accord (the caller's time ran out): the devices
   * are cancelled with the reason (RFC 3326), and the caller hears `status` and why.
   */
  abandon(status: number, reason: string, cause: string): void {
    if (this.#finished) return;
    this.#cancelBranches([{ name: 'Reason', value: `SIP ;cause=${status} ;text="${reason}"` }]);
    void this.#finish(createResponse(this.server.request, status, { toTag: createTag(), reason }), cause);
  }

  forwardLate2xx(branch: string, response: SipResponse): void {
    this.#receive(branch, response, () => this.server.respond(withoutTopVia(response)));
  }

  #cancelBranches(headers: SipHeader[]): void {
    for (const state of this.#branches.values()) if (!state.settled) state.transaction?.cancel(headers);
  }

  /** Sends the one final response upstream; `upstream` already carries the caller's Via list. */
  async #finish(upstream: SipResponse, reason: string, cancelled = false): Promise<void> {
    if (this.#finished && !cancelled) return;
    this.#finished = true;
    this.#stopTimerC();
    // §16.7 step 6: a 503 from downstream is not passed on as such.
    if (upstream.status === 503) {
      upstream.status = 500;
      upstream.reason = 'Server Internal Error';
    }
    this.server.respond(upstream);
    this.onDone();
    this.onUnanswered();
    await recordFailureOnceRecorded(
      this.deps.recorder,
      { callId: this.callId, recorded: this.recorded, at: this.deps.now() },
      upstream.status,
      `${reason} (${upstream.status} ${upstream.reason})`,
      cancelled,
    );
  }
}

/** §16.7 step 6: 6xx first, else the lowest class; within a class a specific answer beats "no answer". */
export function chooseBestResponse(responses: SipResponse[]): SipResponse | null {
  const finals = responses.filter((r) => r.status >= 300);
  if (finals.length === 0) return null;
  const global = finals.find((r) => r.status >= 600);
  if (global) return global;
  const weak = new Set([408, 480, 487, 503]);
  return [...finals].sort(
    (a, b) => Math.floor(a.status / 100) - Math.floor(b.status / 100) || Number(weak.has(a.status)) - Number(weak.has(b.status)),
  )[0]!;
}

/** §16.7 step 3: the proxy's own Via comes off before a response goes upstream. */
export function withoutTopVia(response: SipResponse): SipResponse {
  const copy = cloneMessage(response);
  const index = copy.headers.findIndex((h) => h.name === 'Via');
  if (index >= 0) copy.headers.splice(index, 1);
  return copy;
}
