import { parseCSeq, parseNameAddr, parseSmallInteger, parseUri, parseVia, splitOutside, SipSyntaxError, uriScheme } from './grammar.js';
import { canonicalHeaderName, isListHeader, SIP_VERSION, type SipHeader, type SipMessage, type SipRequest } from './message.js';

export interface ParseLimits {
  /** Whole message, headers and body. */
  maxBytes: number;
  /** Header lines after unfolding. */
  maxHeaderLines: number;
}

export const defaultParseLimits: ParseLimits = { maxBytes: 16 * 1024, maxHeaderLines: 128 };

/**
 * A parse either yields a message, or a fault with the status a server should answer (400, 413,
 * 505) and, when the request got far enough for a response to be built (§8.2.6 needs Via, From,
 * To, Call-ID and CSeq), that request so the transport can answer instead of dropping it.
 */
export type ParseOutcome =
  { ok: true; message: SipMessage } | { ok: false; reason: string; status: 400 | 413 | 505; answerable: SipRequest | null };

const HEADER_BODY_SEPARATOR = Buffer.from('\r\n\r\n');

/**
 * Parses one message from a datagram or from a frame cut by StreamFramer. Never throws: every
 * fault is a value.
 */
export function parseMessage(data: Buffer, limits: ParseLimits = defaultParseLimits): ParseOutcome {
  if (data.length > limits.maxBytes) return fault(413, `Message too large (over ${limits.maxBytes} bytes)`, null);
  // §7.5: ignore CRLFs before the start line.
  let start = 0;
  while (start + 1 < data.length && data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
  const separator = data.indexOf(HEADER_BODY_SEPARATOR, start);
  if (separator < 0) return fault(400, 'Missing empty line after headers', null);
  const head = data.subarray(start, separator).toString('utf8');
  const bodyBytes = data.subarray(separator + 4);

  const lines = unfold(head);
  if (lines.length - 1 > limits.maxHeaderLines) return fault(400, `Too many header lines (over ${limits.maxHeaderLines})`, null);
  const startLine = lines[0] ?? '';

  let headers: SipHeader[];
  try {
    headers = parseHeaderLines(lines.slice(1));
  } catch (error) {
    return fault(400, reasonOf(error), null);
  }

  const request = /^SIP\//i.test(startLine) ? null : parseRequestLine(startLine);
  if (request === 'malformed') return fault(400, 'Malformed request line', null);
  if (request === null) return parseResponse(startLine, headers, bodyBytes);

  const message: SipRequest = { kind: 'request', method: request.method, uri: request.uri, headers, body: Buffer.alloc(0) };
  const answerable = hasAnswerableHeaders(headers) ? message : null;
  try {
    message.body = frameBody(headers, bodyBytes);
  } catch (error) {
    return fault(400, reasonOf(error), answerable);
  }
  // §8.2: a request in another SIP version gets 505.
  if (request.version.toUpperCase() !== SIP_VERSION) return fault(505, 'Version Not Supported', answerable);
  try {
    validateRequest(message);
  } catch (error) {
    return fault(400, reasonOf(error), answerable);
  }
  return { ok: true, message };
}

function fault(status: 400 | 413 | 505, reason: string, answerable: SipRequest | null): ParseOutcome {
  return { ok: false, status, reason, answerable };
}

function reasonOf(error: unknown): string {
  if (error instanceof SipSyntaxError) return error.message;
  throw error;
}

/** §7.3.1: a line starting with whitespace continues the previous header. */
function unfold(head: string): string[] {
  const lines: string[] = [];
  for (const line of head.split('\r\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 1) lines[lines.length - 1] += ' ' + line.trim();
    else lines.push(line);
  }
  return lines;
}

function parseHeaderLines(lines: string[]): SipHeader[] {
  const headers: SipHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipSyntaxError('Malformed header line');
    const rawName = line.slice(0, colon).trim();
    if (!/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(rawName)) throw new SipSyntaxError('Malformed header name');
    const name = canonicalHeaderName(rawName);
    const value = line.slice(colon + 1).trim();
    if (isListHeader(name)) {
      for (const item of splitOutside(value, ',')) {
        const trimmed = item.trim();
        if (trimmed !== '') headers.push({ name, value: trimmed });
      }
    } else {
      headers.push({ name, value });
    }
  }
  return headers;
}

function parseRequestLine(line: string): { method: string; uri: string; version: string } | 'malformed' {
  // §7.1: Method SP Request-URI SP SIP-Version, single spaces; LWS inside the URI is illegal.
  const match = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) (SIP\/\d+\.\d+)$/i.exec(line);
  if (!match) return 'malformed';
  return { method: match[1]!, uri: match[2]!, version: match[3]! };
}

function parseResponse(line: string, headers: SipHeader[], bodyBytes: Buffer): ParseOutcome {
  const match = /^SIP\/2\.0 (\d{3}) ?(.*)$/i.exec(line);
  if (!match) return fault(400, 'Malformed status line', null);
  const status = Number(match[1]);
  if (status < 100 || status > 699) return fault(400, 'Bad status code', null);
  try {
    const body = frameBody(headers, bodyBytes);
    const message: SipMessage = { kind: 'response', status, reason: match[2] ?? '', headers, body };
    validateCommon(message);
    return { ok: true, message };
  } catch (error) {
    return fault(400, reasonOf(error), null);
  }
}

function hasAnswerableHeaders(headers: SipHeader[]): boolean {
  const names = new Set(headers.map((h) => h.name));
  return ['Via', 'From', 'To', 'Call-ID', 'CSeq'].every((name) => names.has(name));
}

/** §18.3, §20.14: Content-Length frames the body; a datagram may carry bytes beyond it, which are dropped. */
function frameBody(headers: SipHeader[], bytes: Buffer): Buffer {
  const lengths = new Set(headers.filter((h) => h.name === 'Content-Length').map((h) => h.value.trim()));
  if (lengths.size > 1) throw new SipSyntaxError('Conflicting Content-Length headers');
  const [declared] = lengths;
  if (declared === undefined) return Buffer.from(bytes);
  const length = parseSmallInteger(declared, 'Content-Length', 2 ** 31);
  if (length > bytes.length) throw new SipSyntaxError('Content-Length larger than body');
  return Buffer.from(bytes.subarray(0, length));
}

/** §8.1.1: the headers every message needs, in a form the layers above can rely on. */
function validateCommon(message: SipMessage): void {
  const first = (name: string) => message.headers.find((h) => h.name === name)?.value;
  const vias = message.headers.filter((h) => h.name === 'Via');
  if (vias.length === 0) throw new SipSyntaxError('Missing Via');
  parseVia(vias[0]!.value);
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
    const values = message.headers.filter((h) => h.name === name);
    if (values.length === 0) throw new SipSyntaxError(`Missing ${name}`);
    if (values.length > 1) throw new SipSyntaxError(`Multiple ${name} headers`);
  }
  if (first('Call-ID')!.trim() === '') throw new SipSyntaxError('Empty Call-ID');
  for (const name of ['From', 'To']) {
    const addr = parseNameAddr(first(name)!);
    const scheme = uriScheme(addr.uri);
    if (scheme === 'sip' || scheme === 'sips') parseUri(addr.uri);
    else if (scheme === null) throw new SipSyntaxError(`Bad ${name} URI`);
  }
  parseCSeq(first('CSeq')!);
}

function validateRequest(request: SipRequest): void {
  validateCommon(request);
  const cseq = parseCSeq(request.headers.find((h) => h.name === 'CSeq')!.value);
  // §8.2 (RFC 4475 §3.1.2.10): the CSeq method must match the request method.
  if (cseq.method !== request.method) throw new SipSyntaxError('CSeq method does not match request method');
  const maxForwards = request.headers.find((h) => h.name === 'Max-Forwards');
  if (maxForwards) parseSmallInteger(maxForwards.value, 'Max-Forwards', 255);
  const expires = request.headers.find((h) => h.name === 'Expires');
  if (expires) parseSmallInteger(expires.value, 'Expires');
  const scheme = uriScheme(request.uri);
  if (scheme === null) throw new SipSyntaxError('Bad Request-URI');
  // Other schemes (tel:, im:) are well-formed requests the core answers with 416 (§8.2.2.1).
  if (scheme === 'sip' || scheme === 'sips') parseUri(request.uri);
}
