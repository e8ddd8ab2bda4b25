import { SipSyntaxError } from './grammar.js';

/**
 * Cuts a byte stream (TCP, TLS) into messages (§18.3): the headers end at the first empty line and
 * Content-Length, mandatory on streams, says how many body bytes follow. CRLF keep-alives between
 * messages (RFC 5626 §4.4.1 "double CRLF" ping) are reported so the transport can answer with a
 * single CRLF pong.
 */
export type Frame = { kind: 'message'; data: Buffer } | { kind: 'keepalive-ping' };

const SEPARATOR = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im;

export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds received bytes and returns the complete frames; throws SipSyntaxError when the stream is unusable. */
  push(chunk: Buffer): Frame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      let crlfs = 0;
      while (this.#buffer.length >= (crlfs + 1) * 2 && this.#buffer[crlfs * 2] === 0x0d && this.#buffer[crlfs * 2 + 1] === 0x0a) crlfs += 1;
      if (crlfs > 0) {
        if (crlfs >= 2) frames.push({ kind: 'keepalive-ping' });
        this.#buffer = this.#buffer.subarray(crlfs * 2);
        continue;
      }
      const end = this.#buffer.indexOf(SEPARATOR);
      if (end < 0) {
        if (this.#buffer.length > this.maxMessageBytes) throw new SipSyntaxError('Headers too large');
        return frames;
      }
      const head = this.#buffer.subarray(0, end).toString('latin1');
      const lengthMatch = CONTENT_LENGTH.exec(head);
      // §18.3: on a stream the length is mandatory; without it the framing is lost for good.
      if (!lengthMatch) throw new SipSyntaxError('Missing Content-Length on a stream');
      const total = end + 4 + Number(lengthMatch[1]);
      if (total > this.maxMessageBytes) throw new SipSyntaxError('Message too large');
      if (this.#buffer.length < total) return frames;
      frames.push({ kind: 'message', data: Buffer.from(this.#buffer.subarray(0, total)) });
      this.#buffer = this.#buffer.subarray(total);
    }
  }
}
