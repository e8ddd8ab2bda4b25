import { hash, randomBytes } from 'node:crypto';
import {
  createResponse,
  detachedCopy,
  getHeader,
  parseCSeq,
  parseNameAddr,
  parseVia,
  type SipHeader,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import type { Flow } from '../transport/flow.js';
import type { SentDatagram, TransportLayer, TransportUser } from '../transport/transport-layer.js';
import {
  InviteClientTransaction,
  NonInviteClientTransaction,
  type ClientTransaction,
  type ClientTransactionTransport,
  type ClientTransactionUser,
} from './client-transaction.js';
import {
  InviteServerTransaction,
  NonInviteServerTransaction,
  type ServerTransaction,
  type ServerTransactionTransport,
} from './server-transaction.js';
import { KeptFor } from './kept-for.js';
import type { OverloadControl } from './overload.js';
import { BRANCH_MAGIC_COOKIE, defaultTimerValues, type TimerValues } from './timers.js';

/** The layer above transactions (the proxy core): the upward interface of STYLE.md. */
export interface TransactionUser {
  /** A new request; the TU answers through the transaction (never for ACK). */
  onRequest(transaction: ServerTransaction): void;
  /** An ACK that matches no server transaction: the ACK for a 2xx, end to end (§13.2.2.4). */
  onAck(request: SipRequest, flow: Flow): void;
  /** A response that matches no client transaction (§17.1.3), e.g. a late 2xx from a fork. */
  onStrayResponse(response: SipResponse, flow: Flow): void;
  onFlowClosed(flow: Flow): void;
}

export interface TransactionObserver {
  onServerTransaction(method: string): void;
  onRetransmission(): void;
}

/** Local overload control (see overload.ts) and who is told of each request it refuses. */
export interface TransactionAdmission {
  control: OverloadControl;
  onRefused?(method: string): void;
}

/**
 * RFC 3261 §17: matches incoming messages to transactions (§17.1.3 for responses, §17.2.3 for
 * requests), absorbs retransmissions, and creates transactions for the TU.
 */
export class TransactionLayer implements TransportUser {
  readonly #server = new Map<string, ServerTransaction>();
  readonly #completedOverUdp: CompletedOverUdp;
  readonly #client = new Map<string, ClientTransaction>();
  /** Non-INVITE client transactions in Completed over UDP, by key: for Timer K (T4) they absorb retransmitted final responses. */
  readonly #completedClients: KeptFor<true>;
  /** What every client transaction sends through: one object for all of them. */
  readonly #clientTransport: ClientTransactionTransport = {
    send: (message, to) => this.transport.sendOnFlow(message, to),
    completeOverUdp: (transaction) => this.#completedClients.keep(transaction.id, true),
  };
  /** What every server transaction sends through: one object for all of them. */
  readonly #serverTransport: ServerTransactionTransport = {
    sendResponse: (response, to) => void this.transport.sendResponse(response, to),
    completeOverUdp: (transaction, response) =>
      this.#completedOverUdp.keep(transaction.id, this.transport.sendUdpResponse(response, transaction.flow)),
  };
  /** Keys the To tags of stateless replies, so their ACKs are recognised without keeping anything. */
  readonly #statelessTagKey = randomBytes(16).toString('base64url');
  #user: TransactionUser | null = null;

  constructor(
    readonly transport: TransportLayer,
    readonly timers: TimerValues = defaultTimerValues,
    private readonly observer?: TransactionObserver,
    private readonly admission?: TransactionAdmission,
  ) {
    transport.setUser(this);
    this.#completedOverUdp = new CompletedOverUdp(64 * timers.T1, (sent) => void transport.resend(sent));
    this.#completedClients = new KeptFor<true>(timers.T4);
  }

  setUser(user: TransactionUser): void {
    this.#user = user;
  }

  /** Server transactions not yet terminated, those in Completed over UDP included. */
  get serverTransactionCount(): number {
    return this.#server.size + this.#completedOverUdp.size;
  }

  /** Client transactions not yet terminated, non-INVITE ones in Completed over UDP included. */
  get clientTransactionCount(): number {
    return this.#client.size + this.#completedClients.size;
  }

  onMessage(message: SipMessage, flow: Flow): void {
    if (message.kind === 'request') this.#receiveRequest(message, flow);
    else this.#receiveResponse(message, flow);
  }

  onFlowClosed(flow: Flow): void {
    this.#user?.onFlowClosed(flow);
  }

  #receiveRequest(request: SipRequest, flow: Flow): void {
    const key = serverKey(request);
    const existing = this.#server.get(key);
    if (existing) {
      this.observer?.onRetransmission();
      existing.receive(request);
      return;
    }
    if (this.#completedOverUdp.answer(key)) {
      this.observer?.onRetransmission();
      return;
    }
    if (request.method === 'ACK') {
      // §17.2.1: the ACK of a stateless non-2xx reply ends here; it belongs to no dialog.
      if (this.#isAckOfStatelessReply(request)) return;
      this.#user?.onAck(request, flow);
      return;
    }
    if (this.admission && this.admission.control.admittedFraction < 1 && isNewWork(request) && !this.admission.control.admit()) {
      this.#refuseWhileOverloaded(request, flow);
      return;
    }
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(key, request, flow, this.#serverTransport, this.timers)
        : new NonInviteServerTransaction(key, request, flow, this.#serverTransport, this.timers);
    this.#server.set(key, transaction);
    transaction.onTerminated = () => this.#server.delete(key);
    this.observer?.onServerTransaction(request.method);
    this.#user?.onRequest(transaction);
  }

  #receiveResponse(response: SipResponse, flow: Flow): void {
    const key = clientKey(response);
    const transaction = key ? this.#client.get(key) : undefined;
    if (transaction) transaction.receive(response);
    // §17.1.2.2: a retransmitted final response, absorbed in Completed.
    else if (key && this.#completedClients.get(key)) return;
    else this.#user?.onStrayResponse(response, flow);
  }

  /**
   * Answers with a final response sent once and never retransmitted, ending the transaction (§16.3,
   * §8.2: a stateless reply). Its To tag is derived from the request, so the ACK that follows it
   * (same Call-ID, From tag and CSeq number) is recognised and dropped without any state.
   */
  replyStatelessly(transaction: ServerTransaction, status: number, options: { reason?: string; headers?: SipHeader[] } = {}): void {
    const request = transaction.request;
    transaction.respondStatelessly(createResponse(request, status, { ...options, toTag: this.#statelessTag(request) }));
  }

  /**
   * RFC 3261 §21.5.4: 503 with Retry-After, sent statelessly (§16.3) and before any transaction
   * exists, so a refusal costs no state and no timers. A retransmission of the request is a new
   * request here and gets a new decision; the ACK of a refused INVITE is recognised by its To tag.
   */
  #refuseWhileOverloaded(request: SipRequest, flow: Flow): void {
    const control = this.admission!.control;
    const response = createResponse(request, 503, {
      toTag: this.#statelessTag(request),
      headers: [{ name: 'Retry-After', value: String(control.retryAfterSeconds()) }],
    });
    this.transport.sendResponse(response, flow);
    this.admission!.onRefused?.(request.method);
  }

  #statelessTag(request: SipRequest): string {
    const fromTag = parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '';
    const seq = parseCSeq(getHeader(request, 'CSeq')!).seq;
    // A secret-prefixed hash rather than an HMAC: the tag only tells the ACK of our stateless reply
    // from other ACKs, and a peer that could extend the hashed text would gain nothing by it. One
    // call, no Hmac object: every 407 and every ACK of one computes a tag.
    const mac = hash('sha256', `${this.#statelessTagKey}|${getHeader(request, 'Call-ID')}|${fromTag}|${seq}`, 'base64url');
    return 'sl' + mac.slice(0, 16);
  }

  #isAckOfStatelessReply(ack: SipRequest): boolean {
    const toTag = parseNameAddr(getHeader(ack, 'To')!).params.get('tag');
    return !!toTag && toTag.startsWith('sl') && toTag === this.#statelessTag(ack);
  }

  /** §9.2: the INVITE server transaction a CANCEL refers to (same branch and sent-by, method INVITE). */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const transaction = this.#server.get(serverKey(cancel, 'INVITE'));
    return transaction instanceof InviteServerTransaction ? transaction : undefined;
  }

  /** Starts a client transaction for a request whose top Via carries a fresh branch. */
  sendRequest(request: SipRequest, flow: Flow, user: ClientTransactionUser): ClientTransaction {
    const key = clientKey(request);
    if (!key) throw new Error('a client transaction needs a top Via with an RFC 3261 branch');
    const transaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, request, flow, this.#clientTransport, this.timers, user, this.#sendCancel)
        : new NonInviteClientTransaction(key, request, flow, this.#clientTransport, this.timers, user);
    this.#client.set(key, transaction);
    transaction.onTerminated = () => this.#client.delete(key);
    transaction.start();
    return transaction;
  }

  /** §9.1: a CANCEL is a transaction of its own, whose outcome no one waits for. */
  readonly #sendCancel = (cancel: SipRequest, flow: Flow): void => void this.sendRequest(cancel, flow, IGNORED_OUTCOME);
}

const IGNORED_OUTCOME: ClientTransactionUser = {
  onResponse: () => undefined,
  onTimeout: () => undefined,
  onTransportError: () => undefined,
};

/**
 * §17.2.2's Completed state of non-INVITE server transactions over UDP, kept as small as it can be:
 * all such a transaction still does, for Timer J (64*T1, 32 s by default), is send its final response
 * again to each retransmission of the request. So what is kept is that response's bytes and where
 * they went, and nothing else. Kept whole, with its request and response objects and its own timer,
 * every REGISTER, BYE and OPTIONS outlived V8's young generation and was copied into the old one; at
 * 3,000 REGISTER/s that is about 100,000 transactions alive at any moment.
 */
class CompletedOverUdp {
  /**
   * The response as latin1 text (its bytes one to a character, so any UTF-8 in it survives the round
   * trip), not the Buffer it was sent from: that is a slice of an 8 KB pool slab, which one kept
   * slice keeps whole. One response per REGISTER or BYE, kept 32 s, kept every slab of the last
   * 32 s of sends alive (tens of MB outside V8's heap, which it counts towards its next full
   * collection). Its address is a copy too: read from the request's Via, it is a slice of the request.
   */
  readonly #kept: KeptFor<KeptDatagram | null>;

  constructor(
    timerJMs: number,
    private readonly resend: (sent: SentDatagram) => void,
  ) {
    this.#kept = new KeptFor(timerJMs);
  }

  get size(): number {
    return this.#kept.size;
  }

  /** `sent` is the final response as it went out; null when it could not be sent (retransmissions are then absorbed). */
  keep(key: string, sent: SentDatagram | null): void {
    // A key is never here already: a request that matches one is answered, not made a transaction.
    const kept = sent && {
      text: sent.data.toString('latin1'),
      address: detachedCopy(sent.address),
      port: sent.port,
      localPort: sent.localPort,
    };
    this.#kept.keep(key, kept);
  }

  /** A retransmitted request: true when a transaction in Completed answered it (§17.2.2). */
  answer(key: string): boolean {
    const kept = this.#kept.get(key);
    if (kept === undefined) return false;
    if (kept) this.resend({ data: Buffer.from(kept.text, 'latin1'), address: kept.address, port: kept.port, localPort: kept.localPort });
    return true;
  }
}

interface KeptDatagram {
  text: string;
  address: string;
  port: number;
  localPort: number;
}

/** §17.2.3: branch + sent-by + method (ACK matches the INVITE); RFC 2543 requests fall back to dialog fields. */
function serverKey(request: SipRequest, methodOverride?: string): string {
  const via = parseVia(getHeader(request, 'Via')!);
  const method = methodOverride ?? (request.method === 'ACK' ? 'INVITE' : request.method);
  const branch = via.params.get('branch');
  const sentBy = `${via.host}:${via.port ?? ''}`;
  // A branch that is the bare cookie (RFC 4475 "badbranch") identifies nothing; match it the 2543 way.
  if (branch && branch.startsWith(BRANCH_MAGIC_COOKIE) && branch.length > BRANCH_MAGIC_COOKIE.length)
    return `${branch}|${sentBy}|${method}`;
  // §17.2.3 for RFC 2543 peers: Request-URI, From tag, Call-ID, CSeq number and top Via identify it.
  const fromTag = parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '';
  const cseq = parseCSeq(getHeader(request, 'CSeq')!).seq;
  return `2543|${request.uri}|${fromTag}|${getHeader(request, 'Call-ID')}|${cseq}|${sentBy}|${method}`;
}

/** §17.1.3: the top Via branch and the CSeq method. */
function clientKey(message: SipMessage): string | null {
  const top = getHeader(message, 'Via');
  const cseq = getHeader(message, 'CSeq');
  if (!top || !cseq) return null;
  const branch = parseVia(top).params.get('branch');
  return branch ? `${branch}|${parseCSeq(cseq).method}` : null;
}

/**
 * A request that starts new work, the only kind overload control may refuse: outside any dialog
 * (no To tag, §12.2), not a CANCEL (it ends work), and without credentials. A request with
 * Authorization or Proxy-Authorization answers our challenge (§22.2): its first half was admitted
 * and answered, and refusing it now would waste that. Sources that abuse this pay for it in
 * failed authentications, which ban them.
 */
function isNewWork(request: SipRequest): boolean {
  if (request.method === 'CANCEL') return false;
  if (getHeader(request, 'Authorization') !== undefined || getHeader(request, 'Proxy-Authorization') !== undefined) return false;
  const to = getHeader(request, 'To');
  return to !== undefined && !parseNameAddr(to).params.has('tag');
}
