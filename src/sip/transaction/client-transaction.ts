import { getHeader, parseCSeq, type SipHeader, type SipRequest, type SipResponse } from '../message/index.js';
import { isReliable, type Flow } from '../transport/flow.js';
import { TransactionTimers, type TimerValues } from './timers.js';

/** How a client transaction reaches the wire: it (re)sends on one flow, chosen when it was created. */
export interface ClientTransactionTransport {
  send(request: SipRequest, flow: Flow): boolean;
  /**
   * Takes over the Completed state of a non-INVITE transaction over UDP (§17.1.2.2): absorbing
   * retransmissions of its final response until Timer K fires.
   */
  completeOverUdp(transaction: NonInviteClientTransaction): void;
}

/** What the transaction user hears from a client transaction. */
export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired (§17.1.1.2, §17.1.2.2): treat as 408. */
  onTimeout(): void;
  onTransportError(): void;
}

/** RFC 3261 §17.1.1 with RFC 6026 §8.4 (the Accepted state). */
export type InviteClientState = 'Calling' | 'Proceeding' | 'Completed' | 'Accepted' | 'Terminated';
/** RFC 3261 §17.1.2. */
export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const inviteClientTransitions: Record<InviteClientState, InviteClientState[]> = {
  Calling: ['Proceeding', 'Completed', 'Accepted', 'Terminated'],
  Proceeding: ['Proceeding', 'Completed', 'Accepted', 'Terminated'],
  Completed: ['Terminated'],
  Accepted: ['Terminated'],
  Terminated: [],
};

const nonInviteClientTransitions: Record<NonInviteClientState, NonInviteClientState[]> = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Proceeding', 'Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

export class InviteClientTransaction {
  readonly #timers = new TransactionTimers<'A' | 'B' | 'D' | 'M'>();
  #state: InviteClientState = 'Calling';
  #cancelWanted: SipHeader[] | null = null;
  #cancelSent = false;
  /** The INVITE as sent; null in Accepted (see `request`). */
  #request: SipRequest | null;
  onTerminated: (() => void) | null = null;

  constructor(
    readonly id: string,
    request: SipRequest,
    readonly flow: Flow,
    private readonly transport: ClientTransactionTransport,
    private readonly timerValues: TimerValues,
    private readonly user: ClientTransactionUser,
    /** Sends CANCEL as its own non-INVITE transaction (§9.1). */
    private readonly sendCancel: (cancel: SipRequest, flow: Flow) => void,
  ) {
    this.#request = request;
  }

  get state(): InviteClientState {
    return this.#state;
  }

  /**
   * The INVITE as sent, until a 2xx moves the transaction to Accepted: there it is never sent again,
   * nor cancelled, nor acknowledged by us (RFC 6026 §8.4), and only passes retransmitted 2xx to the
   * TU for 64*T1. So it lets the INVITE go: at hundreds of calls a second, that is tens of thousands
   * of INVITEs no one reads again.
   */
  get request(): SipRequest | null {
    return this.#request;
  }

  /** The INVITE, in every state that sends or answers anything (all but Accepted and Terminated). */
  get #invite(): SipRequest {
    if (this.#request === null) throw new Error('InviteClientTransaction: the INVITE is gone once the transaction is Accepted');
    return this.#request;
  }

  #transitionTo(next: InviteClientState): void {
    if (!inviteClientTransitions[this.#state].includes(next))
      throw new Error(`InviteClientTransaction: ${this.#state} → ${next} is not allowed`);
    this.#state = next;
    if (next === 'Terminated') {
      this.#timers.stopAll();
      this.onTerminated?.();
    }
  }

  start(): void {
    if (!this.transport.send(this.#invite, this.flow)) return this.#transportError();
    // §17.1.1.2: Timer A retransmits over UDP, doubling; Timer B gives up after 64*T1.
    if (!isReliable(this.flow.protocol)) this.#startTimerA(this.timerValues.T1);
    this.#timers.start('B', 64 * this.timerValues.T1, () => {
      if (this.#state !== 'Calling') return;
      this.#transitionTo('Terminated');
      this.user.onTimeout();
    });
  }

  #startTimerA(interval: number): void {
    this.#timers.start('A', interval, () => {
      if (this.#state !== 'Calling') return;
      this.transport.send(this.#invite, this.flow);
      this.#startTimerA(2 * interval);
    });
  }

  receive(response: SipResponse): void {
    const status = response.status;
    switch (this.#state) {
      case 'Calling':
      case 'Proceeding':
        // §17.1.1.2: A retransmits and B gives up only while Calling; a response ends both.
        this.#timers.stop('A');
        this.#timers.stop('B');
        if (status < 200) {
          this.#transitionTo('Proceeding');
          this.user.onResponse(response);
          if (this.#cancelWanted) this.#cancelNow();
        } else if (status < 300) {
          // RFC 6026 §8.4: Accepted; retransmitted 2xx from other forks still reach the TU until Timer M.
          this.#transitionTo('Accepted');
          this.#request = null;
          this.#timers.start('M', 64 * this.timerValues.T1, () => this.#transitionTo('Terminated'));
          this.user.onResponse(response);
        } else {
          // §17.1.1.2: ACK the non-2xx final response ourselves; Timer D absorbs its retransmissions.
          this.#transitionTo('Completed');
          this.transport.send(this.#ackFor(response), this.flow);
          this.#timers.start('D', isReliable(this.flow.protocol) ? 0 : 32_000, () => this.#transitionTo('Terminated'));
          this.user.onResponse(response);
        }
        return;
      case 'Completed':
        if (status >= 300) this.transport.send(this.#ackFor(response), this.flow);
        return;
      case 'Accepted':
        if (status >= 200 && status < 300) this.user.onResponse(response);
        return;
      default:
        return;
    }
  }

  /**
   * §9.1: CANCEL only after a provisional response; before one, remember the wish and send on the
   * first 1xx. After a final response there is nothing to cancel.
   */
  cancel(extraHeaders: SipHeader[] = []): void {
    if (this.#cancelSent || this.#state === 'Completed' || this.#state === 'Accepted' || this.#state === 'Terminated') return;
    this.#cancelWanted = extraHeaders;
    if (this.#state === 'Proceeding') this.#cancelNow();
  }

  #cancelNow(): void {
    if (this.#cancelSent) return;
    this.#cancelSent = true;
    const copied = this.#invite.headers.filter((h) => ['Via', 'Route', 'Call-ID', 'From', 'To', 'Max-Forwards'].includes(h.name));
    // §9.1: a single Via, equal to the request's top Via, so the CANCEL matches the INVITE's transaction downstream.
    const firstVia = copied.findIndex((h) => h.name === 'Via');
    const headers = copied.filter((h, index) => h.name !== 'Via' || index === firstVia);
    const cseq = parseCSeq(getHeader(this.#invite, 'CSeq')!);
    headers.push({ name: 'CSeq', value: `${cseq.seq} CANCEL` }, ...(this.#cancelWanted ?? []));
    this.sendCancel({ kind: 'request', method: 'CANCEL', uri: this.#invite.uri, headers, body: Buffer.alloc(0) }, this.flow);
  }

  /** §17.1.1.3: the ACK for a non-2xx final response, built from the INVITE and the response's To. */
  #ackFor(response: SipResponse): SipRequest {
    const vias = this.#invite.headers.filter((h) => h.name === 'Via');
    const headers: SipHeader[] = [
      vias[0]!,
      ...this.#invite.headers.filter((h) => h.name === 'Route' || h.name === 'Call-ID' || h.name === 'From' || h.name === 'Max-Forwards'),
      { name: 'To', value: getHeader(response, 'To') ?? getHeader(this.#invite, 'To')! },
      { name: 'CSeq', value: `${parseCSeq(getHeader(this.#invite, 'CSeq')!).seq} ACK` },
    ];
    return { kind: 'request', method: 'ACK', uri: this.#invite.uri, headers, body: Buffer.alloc(0) };
  }

  #transportError(): void {
    if (this.#state !== 'Terminated') this.#transitionTo('Terminated');
    this.user.onTransportError();
  }
}

export class NonInviteClientTransaction {
  readonly #timers = new TransactionTimers<'E' | 'F'>();
  #state: NonInviteClientState = 'Trying';
  onTerminated: (() => void) | null = null;

  constructor(
    readonly id: string,
    readonly request: SipRequest,
    readonly flow: Flow,
    private readonly transport: ClientTransactionTransport,
    private readonly timerValues: TimerValues,
    private readonly user: ClientTransactionUser,
  ) {}

  get state(): NonInviteClientState {
    return this.#state;
  }

  #transitionTo(next: NonInviteClientState): void {
    if (!nonInviteClientTransitions[this.#state].includes(next))
      throw new Error(`NonInviteClientTransaction: ${this.#state} → ${next} is not allowed`);
    this.#state = next;
    if (next === 'Terminated') {
      this.#timers.stopAll();
      this.onTerminated?.();
    }
  }

  start(): void {
    if (!this.transport.send(this.request, this.flow)) {
      this.#transitionTo('Terminated');
      this.user.onTransportError();
      return;
    }
    // §17.1.2.2: Timer E retransmits over UDP (doubling up to T2); Timer F gives up after 64*T1.
    if (!isReliable(this.flow.protocol)) this.#startTimerE(this.timerValues.T1);
    this.#timers.start('F', 64 * this.timerValues.T1, () => {
      if (this.#state !== 'Trying' && this.#state !== 'Proceeding') return;
      this.#transitionTo('Terminated');
      this.user.onTimeout();
    });
  }

  #startTimerE(interval: number): void {
    this.#timers.start('E', interval, () => {
      if (this.#state !== 'Trying' && this.#state !== 'Proceeding') return;
      this.transport.send(this.request, this.flow);
      // In Proceeding the retransmit interval is T2 (§17.1.2.2).
      this.#startTimerE(this.#state === 'Proceeding' ? this.timerValues.T2 : Math.min(2 * interval, this.timerValues.T2));
    });
  }

  receive(response: SipResponse): void {
    if (this.#state !== 'Trying' && this.#state !== 'Proceeding') return;
    if (response.status < 200) {
      this.#transitionTo('Proceeding');
      this.user.onResponse(response);
      return;
    }
    // §17.1.2.2: Completed, where Timer K absorbs retransmitted responses: T4 over UDP, zero over a
    // reliable transport. Over UDP the transaction layer keeps that state (as the key alone), so
    // this object, with the request and the TU it holds, ends here either way.
    this.#timers.stop('E');
    this.#timers.stop('F');
    if (!isReliable(this.flow.protocol)) this.transport.completeOverUdp(this);
    this.#transitionTo('Completed');
    this.#transitionTo('Terminated');
    this.user.onResponse(response);
  }
}

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
