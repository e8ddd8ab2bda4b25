import type { Logger } from 'pino';
import {
  createBranch,
  createTag,
  quote,
  serializeMessage,
  type Flow,
  type SipHeader,
  type SipRequest,
  type TransactionLayer,
} from '../sip/index.js';
import type { Binding, LocationService } from './location-service.js';

/**
 * Short text from the operator to every registered device of some numbers: RFC 3428 MESSAGE
 * requests sent by the server itself (the notices module's urgent channel, clause 7 and 15).
 * The notices module calls it through this interface and never sees SIP.
 */
export interface DeviceMessenger {
  sendText(numbers: readonly string[], text: string, options?: DeviceMessageOptions): Promise<DeviceMessageOutcome>;
}

export interface DeviceMessageOptions {
  /** RFC 3261 §20.26 Priority: urgent notices are marked so a device may ring or flash. */
  priority?: 'normal' | 'urgent';
  /**
   * Stops waiting for answers (the service is stopping): a device that never answers holds a
   * MESSAGE until Timer F, 64*T1 = 32 s, which a shutdown should not wait out.
   */
  signal?: AbortSignal;
}

export interface DeviceMessageOutcome {
  /** Registered devices (bindings) of the numbers a MESSAGE was sent to. */
  devices: number;
  /** Devices that accepted it with a 2xx (RFC 3428 §7: the UAS answers 200 once it has the text). */
  delivered: number;
  /**
   * The signal stopped the wait (or came before anything was sent) while some device had not
   * answered: that device may or may not have the text.
   */
  interrupted?: true;
}

/** Who the MESSAGE is from: the operator's notice identity, e.g. `"Videophone" <sip:notices@domain>`. */
export interface NoticeIdentity {
  displayName: string;
  user: string;
}

export const DEFAULT_NOTICE_IDENTITY: NoticeIdentity = { displayName: 'Videophone', user: 'notices' };

/**
 * RFC 3428 §9: over a transport without congestion control (UDP) a MESSAGE must stay under 1300
 * bytes, the whole request. Over UDP a longer text is cut (at a character boundary, with an ellipsis)
 * so the request fits: a notice's first lines reach the phone, and the full text is in the portal
 * inbox and the e-mail. Stream transports (TCP, TLS, WebSocket) are congestion-controlled and carry
 * up to MAX_TEXT_BYTES.
 */
export const UDP_MESSAGE_LIMIT_BYTES = 1300;
/** A notice is a few sentences; anything longer is cut here on every transport. */
export const MAX_TEXT_BYTES = 4096;
const ELLIPSIS = '…';

export interface DeviceMessengerDeps {
  domain: string;
  identity?: NoticeIdentity;
  transactions: TransactionLayer;
  location: LocationService;
  logger: Logger;
  now: () => Date;
  /**
   * The way to a device, as the proxy reaches it for an INVITE: its flow (RFC 5626), else its
   * contact, or the node holding its connection with the Route there (RFC 3327 Path).
   */
  reach: (binding: Binding) => Promise<{ flow: Flow; route: string[] } | null>;
  /** Our Via toward a flow, as the proxy writes it (sent-by our address, a fresh branch, rport). */
  via: (flow: Flow, branch: string) => string;
}

/** Sends operator MESSAGEs through the SIP server's transaction layer. */
export class SipDeviceMessenger implements DeviceMessenger {
  readonly #identity: NoticeIdentity;

  constructor(private readonly deps: DeviceMessengerDeps) {
    this.#identity = deps.identity ?? DEFAULT_NOTICE_IDENTITY;
  }

  async sendText(numbers: readonly string[], text: string, options: DeviceMessageOptions = {}): Promise<DeviceMessageOutcome> {
    const at = this.deps.now().getTime();
    const bindings = [...new Set(numbers)].flatMap((number) => this.deps.location.lookup(number, at));
    if (options.signal?.aborted) return { devices: bindings.length, delivered: 0, ...(bindings.length > 0 ? { interrupted: true } : {}) };
    const results = await Promise.all(bindings.map((binding) => this.#sendTo(binding, text, options)));
    return {
      devices: bindings.length,
      delivered: results.filter((result) => result === 'delivered').length,
      ...(results.includes('interrupted') ? { interrupted: true } : {}),
    };
  }

  /** One MESSAGE to one binding, and what became of it. */
  async #sendTo(binding: Binding, text: string, options: DeviceMessageOptions): Promise<'delivered' | 'undelivered' | 'interrupted'> {
    const hop = await this.deps.reach(binding);
    if (!hop) return 'undelivered';
    const { flow } = hop;
    const request = this.#request(binding, flow, hop.route, text, options);
    if (!request) return 'undelivered';
    const signal = options.signal;
    if (signal?.aborted) return 'interrupted';
    return new Promise((resolve) => {
      // The transaction itself runs on to its end (or to the transport's close); only the wait stops.
      const stop = () => resolve('interrupted');
      signal?.addEventListener('abort', stop, { once: true });
      const settle = (result: 'delivered' | 'undelivered') => {
        signal?.removeEventListener('abort', stop);
        resolve(result);
      };
      // RFC 3428 §4: a non-INVITE client transaction; a 2xx means the device has the text, a final
      // non-2xx (480, 486, 415 ...) that it refused it, Timer F (64*T1) that it never answered.
      this.deps.transactions.sendRequest(request, flow, {
        onResponse: (response) => {
          if (response.status >= 200) settle(response.status < 300 ? 'delivered' : 'undelivered');
        },
        onTimeout: () => settle('undelivered'),
        onTransportError: () => settle('undelivered'),
      });
    });
  }

  /** RFC 3428 §4 (and RFC 3261 §8.1.1): a request outside any dialog, addressed to the device's contact. */
  #request(binding: Binding, flow: Flow, route: string[], text: string, options: DeviceMessageOptions): SipRequest | null {
    const domain = this.deps.domain;
    const headers: SipHeader[] = [
      { name: 'Via', value: this.deps.via(flow, createBranch()) },
      { name: 'Max-Forwards', value: '70' },
      ...route.map((value) => ({ name: 'Route', value })),
      { name: 'From', value: `${quote(this.#identity.displayName)} <sip:${this.#identity.user}@${domain}>;tag=${createTag()}` },
      // §4: To is the address of record; the Request-URI is the binding's contact (we are its registrar).
      { name: 'To', value: `<sip:${binding.aor}@${domain}>` },
      { name: 'Call-ID', value: `${createTag()}${createTag()}@${domain}` },
      { name: 'CSeq', value: '1 MESSAGE' },
      { name: 'Date', value: new Date(this.deps.now().getTime()).toUTCString() },
      ...(options.priority === 'urgent' ? [{ name: 'Priority', value: 'urgent' }] : []),
      // §4: the body is the message; UTF-8 text/plain is what every client renders.
      { name: 'Content-Type', value: 'text/plain;charset=UTF-8' },
    ];
    const request: SipRequest = { kind: 'request', method: 'MESSAGE', uri: binding.contact, headers, body: Buffer.alloc(0) };
    const headBytes = serializeMessage(request).length + 4; // room for Content-Length's digits
    const limit = flow.protocol === 'UDP' ? Math.min(MAX_TEXT_BYTES, UDP_MESSAGE_LIMIT_BYTES - headBytes) : MAX_TEXT_BYTES;
    if (limit <= Buffer.byteLength(ELLIPSIS)) {
      this.deps.logger.warn({ aor: binding.aor, contact: binding.contact }, 'SIP MESSAGE headers leave no room for text over UDP');
      return null;
    }
    const body = fitText(text, limit);
    if (body.length < Buffer.byteLength(text))
      this.deps.logger.info(
        { aor: binding.aor, protocol: flow.protocol, bytes: Buffer.byteLength(text), sent: body.length },
        'SIP MESSAGE text cut to fit',
      );
    request.body = body;
    return request;
  }
}

/**
 * The text as UTF-8 in at most `limit` bytes: whole if it fits, else cut at a grapheme boundary
 * (never inside a character, a surrogate pair or a combining sequence) and ended with an ellipsis.
 */
export function fitText(text: string, limit: number): Buffer {
  const whole = Buffer.from(text, 'utf8');
  if (whole.length <= limit) return whole;
  const budget = limit - Buffer.byteLength(ELLIPSIS);
  let used = 0;
  let kept = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const size = Buffer.byteLength(segment);
    if (used + size > budget) break;
    kept += segment;
    used += size;
  }
  return Buffer.from(kept.trimEnd() + ELLIPSIS, 'utf8');
}
