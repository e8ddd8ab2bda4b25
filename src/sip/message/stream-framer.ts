import { SipSyntaxError, trimLws } from './grammar.js';

/**
 * Cuts a byte stream (TCP, TLS) into messages (§18.3): the headers end at the first empty line and
 * Content-Length, mandatory on streams, says how many body bytes follow. CRLF keep-alives between
 * messages (RFC 5626 §4.4.1 "double CRLF" ping) are reported so the transport can answer with a
 * single CRLF pong. The frames do not depend on how the stream was chunked.
 */
export type Frame = { kind: 'message'; data: Buffer } | { kind: 'keepalive-ping' };

const CRLF = 0x0d0a;
const SEPARATOR = Buffer.from('\r\n\r\n');

/**
 * The stream cannot be cut into messages any more. When the header block was complete, `head`
 * holds it, so the request can still be answered (400, or 413 when it is too large) before the
 * connection is closed.
 */
export class FramingError extends SipSyntaxError {
  constructor(
    message: string,
    readonly status: 400 | 413,
    readonly head: Buffer | null,
  ) {
    super(message);
    this.name = 'FramingError';
  }
}

export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);
  /** Length of the message whose headers are already read, while its body is still arriving. */
  #pending: number | null = null;

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds received bytes and returns the complete frames; throws SipSyntaxError when the stream is unusable. */
  push(chunk: Buffer): Frame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      if (this.#pending === null) {
        if (!this.#takeKeepalives(frames)) return frames;
        const end = this.#buffer.indexOf(SEPARATOR);
        if (end < 0) {
          if (this.#buffer.length > this.maxMessageBytes) throw new FramingError('Headers too large', 413, null);
          return frames;
        }
        const head = this.#buffer.subarray(0, end + SEPARATOR.length);
        let length: number;
        try {
          length = contentLength(head.toString('latin1', 0, end));
        } catch (error) {
          if (error instanceof SipSyntaxError) throw new FramingError(error.message, 400, Buffer.from(head));
          throw error;
        }
        const total = head.length + length;
        if (total > this.maxMessageBytes) throw new FramingError('Message too large', 413, Buffer.from(head));
        this.#pending = total;
      }
      if (this.#buffer.length < this.#pending) return frames;
      frames.push({ kind: 'message', data: Buffer.from(this.#buffer.subarray(0, this.#pending)) });
      this.#buffer = this.#buffer.subarray(this.#pending);
      this.#pending = null;
    }
  }

  /**
   * True while part of a message has arrived and the rest has not; CRLF keep-alives waiting to be
   * completed do not count, so a peer that only sends keep-alives is never "in a message".
   */
  get inMessage(): boolean {
    if (this.#pending !== null) return true;
    return this.#buffer.length > 0 && !(this.#buffer.length < 4 && SEPARATOR.subarray(0, this.#buffer.length).equals(this.#buffer));
  }

  /**
   * RFC 5626 §4.4.1, §3.5.1: between messages each CRLFCRLF is a ping, and a lone CRLF (a pong,
   * or the padding §7.5 allows before a start line) is dropped. While the buffer could still grow
   * into a ping it is kept, so a ping split across reads is not lost. Returns false to wait.
   */
  #takeKeepalives(frames: Frame[]): boolean {
    let at = 0;
    while (this.#buffer.length >= at + 4 && this.#buffer.readUInt16BE(at) === CRLF && this.#buffer.readUInt16BE(at + 2) === CRLF) {
      frames.push({ kind: 'keepalive-ping' });
      at += 4;
    }
    const rest = this.#buffer.subarray(at);
    if (rest.length < 4 && SEPARATOR.subarray(0, rest.length).equals(rest)) {
      this.#buffer = rest;
      return false;
    }
    this.#buffer = rest.length >= 2 && rest.readUInt16BE(0) === CRLF ? rest.subarray(2) : rest;
    return true;
  }
}

/**
 * §18.3, §20.14: the Content-Length of a header block, read line by line as the parser reads it
 * (folded lines joined, compact form `l`), so the two never disagree about where a message ends.
 */
function contentLength(head: string): number {
  const lines: string[] = [];
  for (const line of head.split('\r\n').slice(1)) {
    if (!line.startsWith(' ') && !line.startsWith('\t')) lines.push(line);
    else if (lines.length > 0) lines[lines.length - 1] += ' ' + trimLws(line);
  }
  let found: number | null = null;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = trimLws(line.slice(0, Math.max(colon, 0))).toLowerCase();
    if (colon < 0 || (name !== 'content-length' && name !== 'l')) continue;
    const value = trimLws(line.slice(colon + 1));
    // A negative or non-numeric length (RFC 4475 §3.1.2.3) leaves no way to find the next message.
    if (!/^\d{1,10}$/.test(value)) throw new SipSyntaxError('Bad Content-Length on a stream');
    // RFC 4475 §3.3.9: two different lengths, two different places the next message might start.
    if (found !== null && found !== Number(value)) throw new SipSyntaxError('Conflicting Content-Length headers on a stream');
    found = Number(value);
  }
  // §18.3: on a stream the length is mandatory; without it the framing is lost for good.
  if (found === null) throw new SipSyntaxError('Missing Content-Length on a stream');
  return found;
}
