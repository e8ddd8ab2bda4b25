import type { RTCSession, ReferEvent } from 'jssip/lib/RTCSession';
import type { DtmfTransport } from './dtmf';

/**
 * Blind transfer (RFC 3515 REFER, RFC 5589 §6), both ends of it:
 * - as the transferor, this phone asks the other party to call someone else and follows the
 *   outcome in the NOTIFYs (message/sipfrag), hanging up once the new call is answered;
 * - as the transferee, it accepts the REFER, calls the target as a call of its own (through the
 *   proxy, authenticated and billed as this number) and ends the original call once answered.
 */
export type OutgoingTransferStatus = 'requested' | 'accepted' | 'ringing' | 'succeeded' | 'failed';

export interface OutgoingTransfer {
  callKey: string;
  target: string;
  status: OutgoingTransferStatus;
  /** The SIP status the refusal or the failed call ended with, e.g. "404 Not Found". */
  detail: string | null;
}

export interface IncomingTransfer {
  target: string;
  /** RFC 3892: who asked for the transfer (the other party of the original call). */
  referredBy: string | null;
  status: 'calling' | 'failed';
  detail: string | null;
}

export interface CallAssistState {
  /** Keypad digits sent in a call (by its key), and how the last one travelled. */
  dtmf: { callKey: string; sent: string; transport: DtmfTransport } | null;
  outgoingTransfer: OutgoingTransfer | null;
  incomingTransfer: IncomingTransfer | null;
}

/** What the keypad and transfer panels show, kept beside the engine's state (useSyncExternalStore). */
export class CallAssistStore {
  #state: CallAssistState = { dtmf: null, outgoingTransfer: null, incomingTransfer: null };
  readonly #listeners = new Set<() => void>();

  getState = (): CallAssistState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(patch: Partial<CallAssistState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  dtmfSent(callKey: string, tone: string, transport: DtmfTransport): void {
    const previous = this.#state.dtmf?.callKey === callKey ? this.#state.dtmf.sent : '';
    this.set({ dtmf: { callKey, sent: previous + tone, transport } });
  }

  #updateOutgoing(callKey: string, patch: Partial<OutgoingTransfer>): void {
    const current = this.#state.outgoingTransfer;
    if (current?.callKey !== callKey) return;
    this.set({ outgoingTransfer: { ...current, ...patch } });
  }

  /**
   * Sends the REFER (JsSIP adds Referred-By, RFC 3892) and follows the NOTIFYs: 1xx while the
   * target rings, 2xx when it answered, at which point the transferor's part is over (RFC 5589 §6:
   * it sends BYE); a failure leaves the original call as it was.
   */
  refer(callKey: string, session: RTCSession, targetUri: string, target: string): void {
    this.set({ outgoingTransfer: { callKey, target, status: 'requested', detail: null } });
    const statusOf = (response: { status_code?: number; reason_phrase?: string } | undefined) =>
      response?.status_code ? `${response.status_code} ${response.reason_phrase ?? ''}`.trim() : null;
    try {
      session.refer(targetUri, {
        eventHandlers: {
          requestSucceeded: () => this.#updateOutgoing(callKey, { status: 'accepted' }),
          requestFailed: (event: { response?: { status_code?: number; reason_phrase?: string }; cause?: string }) =>
            this.#updateOutgoing(callKey, { status: 'failed', detail: statusOf(event.response) ?? event.cause ?? null }),
          trying: () => this.#updateOutgoing(callKey, { status: 'ringing' }),
          progress: () => this.#updateOutgoing(callKey, { status: 'ringing' }),
          accepted: () => {
            this.#updateOutgoing(callKey, { status: 'succeeded' });
            if (!session.isEnded()) session.terminate();
          },
          failed: (event: { status_line?: { status_code?: number; reason_phrase?: string } }) =>
            this.#updateOutgoing(callKey, { status: 'failed', detail: statusOf(event.status_line) }),
        },
      });
    } catch (error) {
      this.#updateOutgoing(callKey, { status: 'failed', detail: error instanceof Error ? error.message : String(error) });
    }
  }
}

export interface FollowTransferOptions {
  /** Our SIP domain: a Refer-To elsewhere is refused (the proxy would refuse the INVITE anyway). */
  domain: string;
  /** Whether the REFER came in the call in progress, answered and not on hold by us. */
  inActiveCall: boolean;
  /** What a new outgoing call needs (local media, ICE servers), as for a dialled call. */
  callOptions: () => Promise<Record<string, unknown>>;
  /** Ends the original call (once the target answered, if the transferor has not already). */
  endOriginal: () => void;
}

/**
 * The transferee's side (RFC 3515 §2.4.2–§2.4.5): JsSIP has already answered 202 (or 416 for a
 * non-SIP Refer-To); `accept` makes the new call and reports its progress to the transferor in
 * NOTIFYs, `reject` reports 603. The new call carries the Referred-By on (RFC 3892 §3).
 */
export async function followTransfer(store: CallAssistStore, event: ReferEvent, options: FollowTransferOptions): Promise<void> {
  // JsSIP parses Refer-To into `refer_to` (its typings omit it).
  const referTo = (event.request as unknown as { refer_to: { uri: { user?: string; host: string; toString(): string } } }).refer_to.uri;
  const referredBy = event.request.getHeader('Referred-By') || null;
  const target = referTo.user ?? referTo.toString();
  if (!options.inActiveCall || referTo.host.toLowerCase() !== options.domain.toLowerCase()) {
    event.reject();
    return;
  }
  store.set({ incomingTransfer: { target, referredBy, status: 'calling', detail: null } });
  let callOptions: Record<string, unknown>;
  try {
    callOptions = await options.callOptions();
  } catch (error) {
    event.reject();
    store.set({
      incomingTransfer: { target, referredBy, status: 'failed', detail: error instanceof Error ? error.message : String(error) },
    });
    return;
  }
  const extraHeaders = referredBy ? [`Referred-By: ${referredBy}`] : [];
  event.accept(
    (session: RTCSession) => {
      session.on('accepted', () => {
        store.set({ incomingTransfer: null });
        options.endOriginal();
      });
      session.on('failed', (failure) => {
        const response = failure.message as { status_code?: number; reason_phrase?: string } | null;
        const detail = response?.status_code ? `${response.status_code} ${response.reason_phrase ?? ''}`.trim() : String(failure.cause);
        store.set({ incomingTransfer: { target, referredBy, status: 'failed', detail } });
      });
    },
    { ...callOptions, extraHeaders },
  );
}
