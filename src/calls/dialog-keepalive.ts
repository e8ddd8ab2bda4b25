import type { Logger } from 'pino';
import {
  detachedCopy,
  getHeader,
  parseCSeq,
  parseMessage,
  parseNameAddr,
  type SipRequest,
  type SipResponse,
  createBranch,
  type TransactionLayer,
  type Flow,
} from '../sip/index.js';
import type { CallRecorder } from './call-records.js';

/**
 * Proof of life for calls whose terminals refresh no session timer (RFC 4028 was not negotiated:
 * neither side supports it). Like Kamailio's dialog keep-alives, the proxy itself sends an in-dialog
 * OPTIONS to each party every half interval; a round both parties answer is recorded as activity,
 * so after a crash of the proxy a call is closed at its last proven moment, not at its answer and
 * not hours later. A party that answers 481 or not at all ends the keep-alive (the call is gone;
 * the stale-call job closes the record at the last proof).
 *
 * It knows every answered call's dialog, kept alive or not, because it is also how the proxy itself
 * ends a call (`hangUp`: BYE to both parties, when the caller's time runs out, clause 9).
 */
export interface KeepaliveDeps {
  transactions: TransactionLayer;
  recorder: CallRecorder;
  logger: Logger;
  now: () => Date;
  /** Our Via toward a flow, as the proxy writes it. */
  via: (flow: Flow, branch: string) => string;
  /** A kept-alive call stopped answering: it is over. */
  onGone?: (callId: string) => void;
}

interface Side {
  flow: Flow;
  /** The party's remote target (its Contact), where requests to it go (§12.2.1.1). */
  target: string;
  /** Its own From/To value with its tag, and the other party's. */
  self: string;
  peer: string;
  /**
   * The last CSeq number the party received from its peer. Requests we send reuse it: a UA refuses
   * a lower one (§12.2.2), and a higher one would make the peer's own next request look out of order.
   */
  cseq: number;
  /** Route entries toward the party beyond this node (RFC 3327/§16.12: the node holding its connection). */
  route: string[];
}

interface KeptDialog {
  callId: string;
  callerTag: string;
  /** The parties' numbers, so the proxy can end every call of a number (a judicial order). */
  parties: { caller: string; callee: string };
  caller: Side;
  callee: Side;
  /** Null for a dialog whose parties refresh a session timer themselves. */
  timer: NodeJS.Timeout | null;
  inFlight: boolean;
}

export class DialogKeepalive {
  readonly #dialogs = new Map<string, KeptDialog>();

  constructor(private readonly deps: KeepaliveDeps) {}

  /** Dialogs the proxy probes itself. */
  get size(): number {
    let probed = 0;
    for (const dialog of this.#dialogs.values()) if (dialog.timer) probed += 1;
    return probed;
  }

  /**
   * Called with the INVITE as forwarded and the 2xx that answered it. Keeps the dialog alive only
   * when the 2xx carries no Session-Expires, i.e. no party will refresh the session (and the proxy
   * asked for one: `intervalSeconds`).
   */
  start(
    invite: SipRequest,
    callerFlow: Flow,
    answer: SipResponse,
    calleeFlow: Flow,
    intervalSeconds: number | null,
    parties: { caller: string; callee: string },
    routes: { towardCaller: string[]; towardCallee: string[] } = { towardCaller: [], towardCallee: [] },
  ): void {
    const probe = intervalSeconds !== null && getHeader(answer, 'Session-Expires') === undefined;
    const callId = getHeader(invite, 'Call-ID')!;
    const callerContact = getHeader(invite, 'Contact');
    const calleeContact = getHeader(answer, 'Contact');
    if (!callerContact || !calleeContact || this.#dialogs.has(callId)) return;
    // The dialog lasts as long as the call: what it keeps are copies, not slices that would keep the
    // whole header text of the INVITE and of the 200 alive for hours.
    const from = detachedCopy(getHeader(invite, 'From')!);
    const to = detachedCopy(getHeader(answer, 'To')!);
    const dialog: KeptDialog = {
      callId: detachedCopy(callId),
      callerTag: parseNameAddr(from).params.get('tag') ?? '',
      parties,
      caller: {
        flow: callerFlow,
        target: detachedCopy(parseNameAddr(callerContact).uri),
        self: from,
        peer: to,
        cseq: 1,
        route: routes.towardCaller.map(detachedCopy),
      },
      callee: {
        flow: calleeFlow,
        target: detachedCopy(parseNameAddr(calleeContact).uri),
        self: to,
        peer: from,
        cseq: parseCSeq(getHeader(invite, 'CSeq')!).seq,
        route: routes.towardCallee.map(detachedCopy),
      },
      timer: probe ? setInterval(() => this.#probe(dialog), (intervalSeconds * 1000) / 2) : null,
      inFlight: false,
    };
    dialog.timer?.unref();
    this.#dialogs.set(dialog.callId, dialog);
  }

  /** An in-dialog request passing through: it tells which CSeq the receiving party now expects. */
  observeRequest(callId: string, request: SipRequest): void {
    const dialog = this.#dialogs.get(callId);
    if (!dialog) return;
    const fromTag = parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '';
    const receiver = fromTag === dialog.callerTag ? dialog.callee : dialog.caller;
    receiver.cseq = Math.max(receiver.cseq, parseCSeq(getHeader(request, 'CSeq')!).seq);
  }

  /** The Call-IDs of the answered calls in which one of `numbers` is the caller or the callee. */
  callsOf(numbers: ReadonlySet<string>): string[] {
    const calls: string[] = [];
    for (const dialog of this.#dialogs.values())
      if (numbers.has(dialog.parties.caller) || numbers.has(dialog.parties.callee)) calls.push(dialog.callId);
    return calls;
  }

  stop(callId: string): void {
    const dialog = this.#dialogs.get(callId);
    if (!dialog) return;
    if (dialog.timer) clearInterval(dialog.timer);
    this.#dialogs.delete(callId);
  }

  stopAll(): void {
    for (const callId of [...this.#dialogs.keys()]) this.stop(callId);
  }

  /**
   * Ends an answered call from the middle (RFC 3261 §15.1.1 as a proxy may: a BYE to each party
   * within its dialog, as if the other party had sent it, with the RFC 3326 Reason). False when the
   * proxy knows no such dialog.
   */
  hangUp(callId: string, reason: string): boolean {
    const dialog = this.#dialogs.get(callId);
    if (!dialog) return false;
    this.stop(callId);
    for (const side of [dialog.caller, dialog.callee]) {
      side.cseq += 1;
      const request = this.#request(dialog, side, 'BYE', [`Reason: ${reason}`]);
      if (!request) continue;
      this.deps.transactions.sendRequest(request, side.flow, {
        onResponse: () => undefined,
        onTimeout: () => undefined,
        onTransportError: () => undefined,
      });
    }
    return true;
  }

  #request(dialog: KeptDialog, side: Side, method: 'OPTIONS' | 'BYE', extra: string[] = []): SipRequest | null {
    const text = [
      `${method} ${side.target} SIP/2.0`,
      `Via: ${this.deps.via(side.flow, createBranch())}`,
      'Max-Forwards: 70',
      ...side.route.map((entry) => `Route: ${entry}`),
      `From: ${side.peer}`,
      `To: ${side.self}`,
      `Call-ID: ${dialog.callId}`,
      `CSeq: ${side.cseq} ${method}`,
      ...extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const parsed = parseMessage(Buffer.from(text));
    return parsed.ok && parsed.message.kind === 'request' ? parsed.message : null;
  }

  #probe(dialog: KeptDialog): void {
    if (dialog.inFlight) return;
    dialog.inFlight = true;
    const sentAt = this.deps.now();
    void Promise.all([this.#ask(dialog, dialog.caller), this.#ask(dialog, dialog.callee)]).then(([callerAlive, calleeAlive]) => {
      dialog.inFlight = false;
      if (!this.#dialogs.has(dialog.callId)) return;
      if (callerAlive && calleeAlive) {
        void this.deps.recorder
          .refreshed(dialog.callId, sentAt)
          .catch((error: unknown) => this.deps.logger.warn({ err: error, callId: dialog.callId }, 'could not record a keep-alive'));
        return;
      }
      this.deps.logger.info({ callId: dialog.callId, callerAlive, calleeAlive }, 'SIP dialog keep-alive failed; the call is over');
      this.stop(dialog.callId);
      this.deps.onGone?.(dialog.callId);
    });
  }

  /** One in-dialog OPTIONS; true unless the party says the dialog is gone (481) or does not answer. */
  #ask(dialog: KeptDialog, side: Side): Promise<boolean> {
    const request = this.#request(dialog, side, 'OPTIONS');
    if (!request) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.deps.transactions.sendRequest(request, side.flow, {
        onResponse: (response) => {
          if (response.status >= 200) resolve(response.status !== 481 && response.status !== 408);
        },
        onTimeout: () => resolve(false),
        onTransportError: () => resolve(false),
      });
    });
  }
}
