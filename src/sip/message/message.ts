/**
 * SIP messages (RFC 3261 §7). A message keeps its headers as an ordered list of single values under
 * their canonical names: compact forms are expanded and comma-separated list headers are split on
 * parse (§7.3.1), so "the top Via" is simply the first `Via` entry. Values stay text; the grammar
 * functions in `grammar.ts` parse the ones a layer needs.
 */
export interface SipHeader {
  readonly name: string;
  readonly value: string;
}

interface SipMessageBase {
  headers: SipHeader[];
  body: Buffer;
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  /** The Request-URI as sent; `parseUri` reads it when the scheme is sip or sips. */
  uri: string;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';

/** §7.3.3 compact forms, and the ones later RFCs registered. */
export const compactForms: Record<string, string> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  n: 'Identity-Info',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
  y: 'Identity',
};

/** Header names whose canonical spelling is not plain Title-Case of its words. */
const irregularNames: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  rack: 'RAck',
  rseq: 'RSeq',
};

/** Headers whose grammar is a comma-separated list of values (§7.3.1), split into one entry each. */
const listHeaders = new Set([
  'via',
  'route',
  'record-route',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'allow-events',
  'path',
  'service-route',
  'in-reply-to',
  'alert-info',
  'call-info',
  'error-info',
  'warning',
  'p-asserted-identity',
]);

const canonicalNames = new Map<string, string>();

/** Memoised: every header of every message passes through here. */
export function canonicalHeaderName(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    // Copies: the name is a slice of the message it came in, which an entry would keep for good.
    canonical = detachedCopy(computeCanonicalHeaderName(name));
    // Bounded in count and in length, so a flood of made-up names cannot grow it far.
    if (canonicalNames.size < 10_000 && name.length <= 64) canonicalNames.set(detachedCopy(name), canonical);
  }
  return canonical;
}

function computeCanonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  const expanded = compactForms[lower];
  if (expanded) return expanded;
  return irregularNames[lower] ?? lower.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** The same list under canonical names, so the parser's lookup per header line needs no lower-casing. */
const canonicalListHeaders = new Set([...listHeaders].map(computeCanonicalHeaderName));

export function isListHeader(canonicalName: string): boolean {
  return canonicalListHeaders.has(canonicalName) || listHeaders.has(canonicalName.toLowerCase());
}

/** The first value of a header, or undefined. Names are matched by canonical name. */
export function getHeader(message: SipMessage, name: string): string | undefined {
  const wanted = canonicalHeaderName(name);
  return message.headers.find((h) => h.name === wanted)?.value;
}

export function getHeaders(message: SipMessage, name: string): string[] {
  const wanted = canonicalHeaderName(name);
  return message.headers.filter((h) => h.name === wanted).map((h) => h.value);
}

export function hasHeader(message: SipMessage, name: string): boolean {
  return getHeader(message, name) !== undefined;
}

/** Replaces every value of `name` with `values` at the position of the first one (or the end). */
export function setHeaders(message: SipMessage, name: string, values: readonly string[]): void {
  const canonical = canonicalHeaderName(name);
  // One new list, in one pass: a proxy sets a header or two on every request it forwards.
  const headers: SipHeader[] = [];
  let placed = false;
  for (const header of message.headers) {
    if (header.name !== canonical) headers.push(header);
    else if (!placed) {
      for (const value of values) headers.push({ name: canonical, value });
      placed = true;
    }
  }
  if (!placed) for (const value of values) headers.push({ name: canonical, value });
  message.headers = headers;
}

export function setHeader(message: SipMessage, name: string, value: string): void {
  setHeaders(message, name, [value]);
}

export function removeHeaders(message: SipMessage, name: string): void {
  const canonical = canonicalHeaderName(name);
  message.headers = message.headers.filter((h) => h.name !== canonical);
}

/** Adds values before the existing ones (Via, Record-Route are prepended by proxies, §16.6). */
export function prependHeader(message: SipMessage, name: string, value: string): void {
  const canonical = canonicalHeaderName(name);
  const at = message.headers.findIndex((h) => h.name === canonical);
  message.headers.splice(at < 0 ? 0 : at, 0, { name: canonical, value });
}

export function appendHeader(message: SipMessage, name: string, value: string): void {
  message.headers.push({ name: canonicalHeaderName(name), value });
}

/** The headers a response to a request is made of (§8.2.6.2), which is all a settled transaction still answers with. */
const RESPONSE_SOURCE_HEADERS = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);

/**
 * What a transaction keeps of its request once a 2xx settled it (RFC 6026 Accepted, 64*T1): the
 * headers a response is built from, in strings of their own, and no body. It no longer sends or
 * retransmits the request; kept whole, every answered call's INVITE (with its credentials, its SDP
 * and the text they were read from) stayed in memory for 32 s, twice, and was what the garbage
 * collector marked over and over (issue #17).
 */
export function requestSkeleton(request: SipRequest): SipRequest {
  const headers: SipHeader[] = [];
  for (const header of request.headers)
    if (RESPONSE_SOURCE_HEADERS.has(header.name)) headers.push({ name: header.name, value: detachedCopy(header.value) });
  return { kind: 'request', method: request.method, uri: detachedCopy(request.uri), headers, body: EMPTY_BODY };
}

const EMPTY_BODY = Buffer.alloc(0);

/** A copy to change without changing the original: its own header list (entries are immutable, so shared) and body. */
export function cloneMessage<M extends SipMessage>(message: M): M {
  return { ...message, headers: message.headers.slice(), body: Buffer.from(message.body) };
}

/**
 * §7: the start line, then one line per header value, Content-Length always written from the body
 * actually sent. List headers are not joined with commas even where §7.3.1 allows it: peers'
 * parsers disagree on which value of a joined Via line they take (SIP.js takes the last), and a
 * separate line per value is what every parser reads alike.
 */
export function serializeMessage(message: SipMessage): Buffer {
  const startLine =
    message.kind === 'request' ? `${message.method} ${message.uri} ${SIP_VERSION}` : `${SIP_VERSION} ${message.status} ${message.reason}`;
  let head = startLine + '\r\n';
  for (const header of message.headers) {
    if (header.name !== 'Content-Length') head += `${header.name}: ${header.value}\r\n`;
  }
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  // One buffer for head and body, written in place.
  const headBytes = Buffer.byteLength(head, 'utf8');
  const wire = Buffer.allocUnsafe(headBytes + message.body.length);
  wire.write(head, 0, 'utf8');
  message.body.copy(wire, headBytes);
  return wire;
}

/**
 * V8 makes a substring shorter than this a copy, and a concatenation shorter than this a flat
 * string (SlicedString::kMinLength, ConsString::kMinLength): such text is its own already.
 */
const SHORTEST_SHARED_STRING = 13;

/**
 * The same text in a string of its own, for what outlives the message it was read from. V8 keeps a
 * slice of a string (13 characters or more), and a concatenation of slices, as a pointer into the
 * whole text, even once it is a Map key: a completed transaction's key kept its whole request alive
 * (bench:transactions: 614 bytes held per transaction with it, 342 without), and a registration's
 * Call-ID and Contact kept its REGISTER. JSON.parse always builds a new flat string; on a value of
 * a few dozen characters that is a fraction of a microsecond.
 */
export function detachedCopy(text: string): string {
  if (text.length < SHORTEST_SHARED_STRING) return text;
  return JSON.parse(JSON.stringify(text)) as string;
}
