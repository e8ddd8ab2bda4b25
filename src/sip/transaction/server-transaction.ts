import { requestSkeleton, type SipRequest, type SipResponse } from '../message/index.js';
import { isReliable, type Flow } from '../transport/flow.js';
import { TransactionTimers, type TimerValues } from './timers.js';

/** How a server transaction reaches the wire (the transport layer, through the transaction layer). */
export interface ServerTransactionTransport {
  sendResponse(response: SipResponse, flow: Flow): void;
  /**
   * Sends the final response of a non-INVITE transaction over UDP and takes over its Completed
   * state (§17.2.2): answering retransmissions of the request with that response until Timer J
   * fires.
   */
  completeOverUdp(transaction: NonInviteServerTransaction, response: SipResponse): void;
}

/** RFC 3261 §17.2.1 with RFC 6026 §8.5–8.7 (the Accepted state). */
export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';
/** RFC 3261 §17.2.2. */
export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

const inviteServerTransitions: Record<InviteServerState, InviteServerState[]> = {
  Proceeding: ['Proceeding', 'Completed', 'Accepted', 'Terminated'],
  Completed: ['Confirmed', 'Terminated'],
  Confirmed: ['Terminated'],
  Accepted: ['Accepted', 'Terminated'],
  Terminated: [],
};

const nonInviteServerTransitions: Record<NonInviteServerState, NonInviteServerState[]> = {
  Trying: ['Proceeding', 'Completed', 'Terminated'],
  Proceeding: ['Proceeding', 'Completed', 'Terminated'],
  Completed: ['Terminated'],
  Terminated: [],
};

abstract class ServerTransactionBase<State extends string> {
  protected lastResponse: SipResponse | null = null;
  #state: State;
  #request: SipRequest;
  onTerminated: (() => void) | null = null;

  constructor(
    readonly id: string,
    request: SipRequest,
    readonly flow: Flow,
    protected readonly transport: ServerTransactionTransport,
    protected readonly timerValues: TimerValues,
    initial: State,
    private readonly allowed: Record<State, State[]>,
  ) {
    this.#state = initial;
    this.#request = request;
  }

  get state(): State {
    return this.#state;
  }

  /** The request; once a 2xx settled the transaction, only what a response is built from (requestSkeleton). */
  get request(): SipRequest {
    return this.#request;
  }

  /**
   * RFC 6026 §8.7: in Accepted the transaction only absorbs retransmissions of its request and passes
   * on further 2xx the TU sends; it never sends its last response again, nor reads more of its request
   * than a response needs. So it keeps no more than that for its 64*T1.
   */
  protected keepOnlyWhatAcceptedNeeds(): void {
    this.#request = requestSkeleton(this.#request);
    this.lastResponse = null;
  }

  protected transitionTo(next: State): void {
    if (!this.allowed[this.#state].includes(next)) throw new Error(`${this.constructor.name}: ${this.#state} → ${next} is not allowed`);
    this.#state = next;
    if (next === ('Terminated' as State)) this.terminated();
  }

  protected send(response: SipResponse): void {
    this.lastResponse = response;
    this.transport.sendResponse(response, this.flow);
  }

  /**
   * §16.3 / §8.2: a final response sent statelessly (Kamailio `sl_send_reply`): once, never
   * retransmitted, and the transaction ends at once, so a retransmitted request is answered afresh
   * and an unanswered challenge costs one datagram, not eleven (Timer G).
   */
  respondStatelessly(response: SipResponse): void {
    if (response.status < 200 || !this.answerableStatelessly()) return;
    this.transport.sendResponse(response, this.flow);
    this.transitionTo('Terminated' as State);
  }

  /**
   * Ends the transaction without any response, as if the request had never arrived: for a request
   * the TU decides to drop after accepting it (its source was banned while it was being checked,
   * and the edge drops that source's retransmissions too). Only before a response was sent.
   */
  abandon(): void {
    if (this.lastResponse === null && this.state !== ('Terminated' as State)) this.transitionTo('Terminated' as State);
  }

  protected abstract answerableStatelessly(): boolean;

  protected abstract terminated(): void;
}

export class InviteServerTransaction extends ServerTransactionBase<InviteServerState> {
  readonly #timers = new TransactionTimers<'G' | 'H' | 'I' | 'L'>();

  constructor(id: string, request: SipRequest, flow: Flow, transport: ServerTransactionTransport, timerValues: TimerValues) {
    super(id, request, flow, transport, timerValues, 'Proceeding', inviteServerTransitions);
  }

  /** The TU answers; the transaction takes care of retransmission and absorption. */
  respond(response: SipResponse): void {
    const status = response.status;
    switch (this.state) {
      case 'Proceeding':
        if (status < 200) {
          // §17.2.1: provisional responses are sent and the state stays Proceeding.
          this.send(response);
        } else if (status < 300) {
          // RFC 6026 §8.5: a 2xx moves to Accepted; Timer L absorbs retransmitted INVITEs.
          this.send(response);
          this.transitionTo('Accepted');
          this.keepOnlyWhatAcceptedNeeds();
          this.#timers.start('L', 64 * this.timerValues.T1, () => this.transitionTo('Terminated'));
        } else {
          // §17.2.1: a final non-2xx moves to Completed; Timer G retransmits it over UDP, Timer H waits for the ACK.
          this.send(response);
          this.transitionTo('Completed');
          if (!isReliable(this.flow.protocol)) this.#startTimerG(this.timerValues.T1);
          this.#timers.start('H', 64 * this.timerValues.T1, () => this.transitionTo('Terminated'));
        }
        return;
      case 'Accepted':
        // RFC 6026 §8.7: further 2xx from the TU are passed to the transport (and not kept).
        if (status >= 200 && status < 300) this.transport.sendResponse(response, this.flow);
        return;
      default:
        return;
    }
  }

  #startTimerG(interval: number): void {
    this.#timers.start('G', interval, () => {
      if (this.state !== 'Completed' || !this.lastResponse) return;
      this.transport.sendResponse(this.lastResponse, this.flow);
      this.#startTimerG(Math.min(2 * interval, this.timerValues.T2));
    });
  }

  /** A retransmitted INVITE or the ACK of a non-2xx final response. */
  receive(request: SipRequest): void {
    if (request.method === 'ACK') {
      // §17.2.1: the ACK confirms a non-2xx final response; Timer I absorbs further ACKs.
      if (this.state !== 'Completed') return;
      this.transitionTo('Confirmed');
      this.#timers.stop('G');
      this.#timers.stop('H');
      const wait = isReliable(this.flow.protocol) ? 0 : this.timerValues.T4;
      this.#timers.start('I', wait, () => this.transitionTo('Terminated'));
      return;
    }
    // A retransmitted INVITE: resend the last response (Proceeding, Completed); absorb it in Accepted.
    if ((this.state === 'Proceeding' || this.state === 'Completed') && this.lastResponse) {
      this.transport.sendResponse(this.lastResponse, this.flow);
    }
  }

  /** The transport could not deliver a response (§17.2.4): the transaction ends. */
  transportError(): void {
    if (this.state !== 'Terminated') this.transitionTo('Terminated');
  }

  protected answerableStatelessly(): boolean {
    return this.state === 'Proceeding';
  }

  protected terminated(): void {
    this.#timers.stopAll();
    this.onTerminated?.();
  }
}

export class NonInviteServerTransaction extends ServerTransactionBase<NonInviteServerState> {
  constructor(id: string, request: SipRequest, flow: Flow, transport: ServerTransactionTransport, timerValues: TimerValues) {
    super(id, request, flow, transport, timerValues, 'Trying', nonInviteServerTransitions);
  }

  /**
   * §17.2.2: a provisional response moves to Proceeding, a final one to Completed, where Timer J
   * keeps the response for retransmitted requests: 64*T1 over UDP, zero over a reliable transport.
   * Over UDP the transaction layer keeps that state (as the response's bytes alone), so this object,
   * with the request and response it holds, ends here either way.
   */
  respond(response: SipResponse): void {
    if (this.state === 'Completed' || this.state === 'Terminated') return;
    if (response.status < 200) {
      this.send(response);
      this.transitionTo('Proceeding');
      return;
    }
    if (isReliable(this.flow.protocol)) this.send(response);
    else this.transport.completeOverUdp(this, response);
    this.transitionTo('Completed');
    this.transitionTo('Terminated');
  }

  /** §17.2.2: a retransmission in Proceeding gets the last provisional response again (none while Trying). */
  receive(_request: SipRequest): void {
    if (this.state === 'Proceeding' && this.lastResponse) this.transport.sendResponse(this.lastResponse, this.flow);
  }

  transportError(): void {
    if (this.state !== 'Terminated') this.transitionTo('Terminated');
  }

  protected answerableStatelessly(): boolean {
    return this.state === 'Trying' || this.state === 'Proceeding';
  }

  protected terminated(): void {
    this.onTerminated?.();
  }
}

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
