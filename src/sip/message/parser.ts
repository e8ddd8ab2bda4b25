import {
  checkNameAddr,
  checkUri,
  checkVia,
  isPlainSipNameAddr,
  isToken,
  parseCSeq,
  parseSipDate,
  parseSmallInteger,
  parseUri,
  parseVia,
  splitOutside,
  SipSyntaxError,
  trimLws,
  uriScheme,
  type SipUri,
} from './grammar.js';
import {
  canonicalHeaderName,
  detachedCopy,
  isListHeader,
  SIP_VERSION,
  type SipHeader,
  type SipMessage,
  type SipRequest,
} from './message.js';

export interface ParseLimits {
  /** Whole message, headers and body. */
  maxBytes: number;
  /** Header lines after unfolding. */
  maxHeaderLines: number;
}

export const defaultParseLimits: ParseLimits = { maxBytes: 16 * 1024, maxHeaderLines: 128 };

/**
 * A parse either yields a message, or a fault with the status a server should answer (400, 413,
 * 505) and, when the request got far enough for a response to be built, that request so the
 * transport can answer instead of dropping it. A Via is enough: §8.2.6.2 copies what the request
 * has, and RFC 4475 §3.3.1 expects a 400 even when Call-ID, From and To are all missing.
 */
export type ParseOutcome =
  { ok: true; message: SipMessage } | { ok: false; reason: string; status: 400 | 413 | 505; answerable: SipRequest | null };

const HEADER_BODY_SEPARATOR = Buffer.from('\r\n\r\n');
// §25.1: header text is UTF-8. Decoding leniently would turn a stray octet into U+FFFD, so a tag
// or Call-ID echoed in a response would no longer match the one the peer sent. A BOM is kept as
// a character (and then fails the start line) rather than silently skipped.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
  const head = decodeUtf8(data.subarray(start, separator));
  if (head === null) return fault(400, 'Headers are not valid UTF-8', null);
  const bodyBytes = data.subarray(separator + 4);

  const lines = unfold(head);
  if (lines.length - 1 > limits.maxHeaderLines) return fault(400, `Too many header lines (over ${limits.maxHeaderLines})`, null);
  const startLine = lines[0]!;
  const { headers, error: headerError } = parseHeaderLines(lines);

  if (/^SIP\//i.test(startLine)) return parseResponse(startLine, headers, headerError, bodyBytes);

  const request = parseRequestLine(startLine, headers);
  const message: SipRequest = { kind: 'request', method: request.method, uri: request.uri, headers, body: Buffer.alloc(0) };
  const answerable = hasAnswerableHeaders(headers) ? message : null;
  // RFC 4475 §3.1.2.7–§3.1.2.10: a bad Request-Line is answered with 400 when the headers allow it.
  if (request.version === null) return fault(400, 'Malformed request line', answerable);
  // §8.2: a request in another SIP version gets 505 (RFC 4475 §3.1.2.16), whatever else is in it.
  if (request.version.toUpperCase() !== SIP_VERSION) return fault(505, 'Version Not Supported', answerable);
  if (headerError !== null) return fault(400, headerError, answerable);
  try {
    message.body = frameBody(headers, bodyBytes);
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

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** §7.3.1: a line starting with whitespace continues the previous header; the fold is one SP. */
function unfold(head: string): string[] {
  const lines: string[] = [];
  for (const line of head.split('\r\n')) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 1) lines[lines.length - 1] += ' ' + trimLws(line);
    else lines.push(line);
  }
  return lines;
}

/**
 * Reads every header line, keeping the ones that parse even when another does not, so that a
 * request with one bad header can still be answered. The first fault is reported.
 */
function parseHeaderLines(lines: string[]): { headers: SipHeader[]; error: string | null } {
  const headers: SipHeader[] = [];
  let error: string | null = null;
  // lines[0] is the start line.
  for (let index = 1; index < lines.length; index += 1) {
    try {
      parseHeaderLine(lines[index]!, headers);
    } catch (caught) {
      error ??= reasonOf(caught);
    }
  }
  return { headers, error };
}

interface HeaderName {
  canonical: string;
  /** A comma-separated list header (§7.3.1), split into one entry per value. */
  list: boolean;
}

/**
 * Header names as messages spell them, with what the parser needs to know of each: checking the
 * token, finding the canonical name and whether it is a list took three lookups and a regular
 * expression for every header line. Only names that are tokens are kept, no longer than any
 * registered name, and no more than a flood's worth: at most 10,000 of 64 characters.
 */
const headerNames = new Map<string, HeaderName>();
const LONGEST_REMEMBERED_NAME = 64;

function headerNameOf(rawName: string): HeaderName | null {
  const known = headerNames.get(rawName);
  if (known !== undefined) return known;
  if (!isToken(rawName)) return null;
  const canonical = canonicalHeaderName(rawName);
  const name = { canonical, list: isListHeader(canonical) };
  if (headerNames.size < 10_000 && rawName.length <= LONGEST_REMEMBERED_NAME) headerNames.set(detachedCopy(rawName), name);
  return name;
}

/** Appends the line's header values to `headers` (several for a list header), or throws. */
function parseHeaderLine(line: string, headers: SipHeader[]): void {
  // §7.3.1: a header field ends at CRLF; a bare CR or LF inside one would end it early for
  // another parser, and a continuation cannot follow the start line.
  if (/[\r\n]/.test(line)) throw new SipSyntaxError('Bare CR or LF in header');
  const colon = line.indexOf(':');
  if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t')) throw new SipSyntaxError('Malformed header line');
  const known = headerNameOf(trimLws(line.slice(0, colon)));
  if (known === null) throw new SipSyntaxError('Malformed header name');
  const name = known.canonical;
  const value = trimLws(line.slice(colon + 1));
  // §7.3.1: a comma-separated list is the same as one header per value. An empty list (an
  // empty Accept means "nothing", §20.1) stays one empty value; empty elements are skipped.
  if (!known.list || !value.includes(',')) {
    headers.push({ name, value });
    return;
  }
  const before = headers.length;
  for (const item of splitOutside(value, ',')) {
    const trimmed = trimLws(item);
    if (trimmed !== '') headers.push({ name, value: trimmed });
  }
  if (headers.length === before) headers.push({ name, value: '' });
}

interface RequestLine {
  method: string;
  uri: string;
  /** null when the line is malformed; method and uri are then a best guess for answering it. */
  version: string | null;
}

function parseRequestLine(line: string, headers: SipHeader[]): RequestLine {
  // §7.1: Method SP Request-URI SP SIP-Version, single spaces; LWS inside the URI is illegal.
  const match = /^([A-Za-z0-9\-.!%*_+`'~]+) ([^ ]+) (SIP\/\d+\.\d+)$/i.exec(line);
  if (match) return { method: match[1]!, uri: match[2]!, version: match[3]! };
  // The method decides whether the fault may be answered at all (an ACK never is, §17.2.3), so
  // take it from the line when it starts with one, else from CSeq.
  const leading = /^([A-Za-z0-9\-.!%*_+`'~]+)[ \t]/.exec(line)?.[1];
  const cseq = headers.find((h) => h.name === 'CSeq')?.value;
  const method = leading ?? (cseq === undefined ? '' : (/^[ \t]*\d+[ \t]+([^ \t]+)/.exec(cseq)?.[1] ?? ''));
  return { method, uri: '', version: null };
}

function parseResponse(line: string, headers: SipHeader[], headerError: string | null, bodyBytes: Buffer): ParseOutcome {
  // §7.2: SIP-Version SP Status-Code SP Reason-Phrase; the code is exactly three digits, so
  // `SIP/2.0 4294967301 ...` is malformed (RFC 4475 §3.1.2.19), not a 429 with reason "4967301".
  // A missing space before an empty reason is tolerated (RFC 4475 §3.1.1.13). The reason may be
  // any UTF-8 but CR and LF, U+2028 included, which a regex `.` would not match.
  const match = /^SIP\/2\.0 (\d{3})(?: ([^\r\n]*))?$/i.exec(line);
  if (!match) return fault(400, 'Malformed status line', null);
  const status = Number(match[1]);
  if (status < 100 || status > 699) return fault(400, 'Bad status code', null);
  if (headerError !== null) return fault(400, headerError, null);
  try {
    const body = frameBody(headers, bodyBytes);
    const message: SipMessage = { kind: 'response', status, reason: match[2] ?? '', headers, body };
    validateCommon(message);
    return { ok: true, message };
  } catch (error) {
    return fault(400, reasonOf(error), null);
  }
}

/** §18.2.2: without a Via a response has nowhere to go. */
function hasAnswerableHeaders(headers: SipHeader[]): boolean {
  return headers.some((h) => h.name === 'Via');
}

const NO_BODY = Buffer.alloc(0);

/** §18.3, §20.14: Content-Length frames the body; a datagram may carry bytes beyond it, which are dropped. */
function frameBody(headers: SipHeader[], bytes: Buffer): Buffer {
  const lengths = headers.filter((h) => h.name === 'Content-Length');
  // RFC 4475 §3.3.9: with two Content-Length values there is no telling where the body ends.
  if (lengths.length > 1) throw new SipSyntaxError('Multiple Content-Length headers');
  // §18.3: a datagram without Content-Length has a body running to its end.
  if (lengths.length === 0) return Buffer.from(bytes);
  const length = parseSmallInteger(lengths[0]!.value, 'Content-Length', 2 ** 31);
  // RFC 4475 §3.1.2.2: on a datagram the missing octets will never arrive.
  if (length > bytes.length) throw new SipSyntaxError('Content-Length larger than body');
  // A body of its own, not a view that would keep the whole datagram alive as long as the message.
  return length === 0 ? NO_BODY : Buffer.from(bytes.subarray(0, length));
}

/**
 * Runs a grammar check and names the header in its fault, so the 400 reason says what was wrong.
 * The check and its value come apart rather than in a closure: one was made for every header of
 * every message.
 */
function inHeader(name: string, check: (value: string) => unknown, value: string): void {
  try {
    check(value);
  } catch (error) {
    throw new SipSyntaxError(`Bad ${name} header: ${reasonOf(error)}`);
  }
}

/**
 * §20.10, §20.20, §20.34, §20.39: a name-addr or addr-spec whose sip/sips URI must parse. Checked
 * without building either: the layers above parse the few they read. The shape nearly every peer
 * writes is recognised in one pass (isPlainSipNameAddr); the full grammar reads the rest.
 */
function checkAddress(value: string): void {
  if (isPlainSipNameAddr(value)) return;
  const uri = checkNameAddr(value);
  const scheme = uriScheme(uri);
  // RFC 4475 §3.3.4: other schemes (isbn:, http:) are well-formed; only sip and sips are read.
  if (scheme === 'sip' || scheme === 'sips') checkUri(uri);
  else if (scheme === null) throw new SipSyntaxError('Bad URI');
}

/** Every value of the header `name`, checked in their order. */
function checkEach(message: SipMessage, name: string, check: (value: string) => unknown, except?: string): void {
  for (const header of message.headers) if (header.name === name && header.value !== except) inHeader(name, check, header.value);
}

/** §8.1.1: the headers every message needs, in a form the layers above can rely on. */
function validateCommon(message: SipMessage): void {
  // One pass for the headers every message has once; Via counted, its values read below.
  let vias = 0;
  let from: string | undefined;
  let to: string | undefined;
  let callId: string | undefined;
  let cseq: string | undefined;
  let repeated = false;
  for (const { name, value } of message.headers) {
    if (name === 'Via') vias += 1;
    else if (name === 'From') {
      repeated ||= from !== undefined;
      from = value;
    } else if (name === 'To') {
      repeated ||= to !== undefined;
      to = value;
    } else if (name === 'Call-ID') {
      repeated ||= callId !== undefined;
      callId = value;
    } else if (name === 'CSeq') {
      repeated ||= cseq !== undefined;
      cseq = value;
    }
  }
  // The 400 names every missing header at once, so the sender learns all it has to fix.
  if (vias === 0 || from === undefined || to === undefined || callId === undefined || cseq === undefined) {
    const present = {
      Via: vias > 0,
      From: from !== undefined,
      To: to !== undefined,
      'Call-ID': callId !== undefined,
      CSeq: cseq !== undefined,
    };
    const missing = Object.entries(present).flatMap(([name, found]) => (found ? [] : [name]));
    throw new SipSyntaxError(`Missing ${missing.join(', ')}`);
  }
  // §18.2.2, §16.7: every Via is used on the way back, not only the top one (RFC 4475 §3.1.2.1).
  // The top one is parsed rather than checked: every layer above reads it (see parseVia).
  let topVia = true;
  for (const header of message.headers) {
    if (header.name !== 'Via') continue;
    inHeader('Via', topVia ? parseVia : checkVia, header.value);
    topVia = false;
  }
  // RFC 4475 §3.3.8: single-valued headers repeated, named in this order whatever the message's.
  if (repeated)
    for (const name of ['From', 'To', 'Call-ID', 'CSeq'])
      if (countOf(message, name) > 1) throw new SipSyntaxError(`Multiple ${name} headers`);
  if (callId === '') throw new SipSyntaxError('Empty Call-ID');
  inHeader('From', checkAddress, from);
  inHeader('To', checkAddress, to);
  inHeader('CSeq', parseCSeq, cseq);
  // §10.2.2: `Contact: *` is the one value that is not an address.
  checkEach(message, 'Contact', checkAddress, '*');
  checkEach(message, 'Route', checkAddress);
  checkEach(message, 'Record-Route', checkAddress);
  // §20.17: RFC 4475 §3.1.2.12, a Date in another zone than GMT.
  checkEach(message, 'Date', parseSipDate);
}

function countOf(message: SipMessage, name: string): number {
  let count = 0;
  for (const header of message.headers) if (header.name === name) count += 1;
  return count;
}

/** §25.1 absoluteURI for schemes we do not read (tel:, im:, urn:): ASCII URI characters only. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-_.!~*'()%;/?:@&=+$,[\]]+$/;

function validateRequest(request: SipRequest): void {
  validateCommon(request);
  const cseq = parseCSeq(request.headers.find((h) => h.name === 'CSeq')!.value);
  // §8.2 (RFC 4475 §3.1.2.17, §3.1.2.18): the CSeq method must match the request method.
  if (cseq.method !== request.method) throw new SipSyntaxError('CSeq method does not match request method');
  const maxForwards = request.headers.filter((h) => h.name === 'Max-Forwards');
  if (maxForwards.length > 1) throw new SipSyntaxError('Multiple Max-Forwards headers');
  if (maxForwards[0]) parseSmallInteger(maxForwards[0].value, 'Max-Forwards', 255);
  const expires = request.headers.find((h) => h.name === 'Expires');
  if (expires) parseSmallInteger(expires.value, 'Expires');
  const scheme = uriScheme(request.uri);
  if (scheme === null || !ABSOLUTE_URI.test(request.uri)) throw new SipSyntaxError('Bad Request-URI');
  // Other schemes (tel:, im:) are well-formed requests the core answers with 416 (§8.2.2.1).
  if (scheme !== 'sip' && scheme !== 'sips') return;
  let uri: SipUri;
  try {
    uri = parseUri(request.uri);
  } catch (error) {
    throw new SipSyntaxError(`Bad Request-URI: ${reasonOf(error)}`);
  }
  // §19.1.1 (table): headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
  if (uri.headers.size > 0) throw new SipSyntaxError('Request-URI must not contain headers');
}
