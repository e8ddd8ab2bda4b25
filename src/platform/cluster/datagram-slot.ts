/**
 * Which worker a datagram on the node's public UDP port goes to (issue #17, SIP_WORKERS).
 *
 * By the hash of its Call-ID when it has one: a request's retransmissions, its CANCEL and the ACK of
 * a non-2xx final response carry the request's Call-ID (RFC 3261 §9.1, §17.1.1.3, §17.2.1), so they
 * reach the worker that holds the transaction, and the requests of one busy source (an SBC, a
 * gateway, a load generator on one socket) spread over every worker as Kamailio's do, where a hash of
 * the source would give them all to one. The Call-ID is compared byte for byte (§20.8), so its bytes
 * are hashed as they are. A datagram without a Call-ID (a CRLF or STUN keep-alive, RFC 5626 §4.4,
 * or garbage) goes by its source, so one source's keep-alives find one worker.
 *
 * The scan reads only the header section's bytes and allocates only its result: it runs for every
 * datagram of the public port, in the worker that read it.
 */
export function slotOfDatagram(
  data: Buffer,
  address: string,
  port: number,
  slots: number,
  callId: Bounds | null = callIdBounds(data),
): number {
  if (slots <= 1) return 0;
  if (callId) return fnv1a(data, callId.start, callId.end) % slots;
  return slotOfSource(address, port, slots);
}

/** FNV-1a over "address:port": a stable slot for everything from one source. */
export function slotOfSource(address: string, port: number, slots: number): number {
  const text = Buffer.from(`${address}:${port}`, 'latin1');
  return fnv1a(text, 0, text.length) % slots;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;
/** "call-id" in lower case, the long form of the header name (§20.8); its compact form is "i" (§7.3.3). */
const CALL_ID = Buffer.from('call-id', 'latin1');
const ROUTE = Buffer.from('route', 'latin1');
/** Header sections longer than this are not scanned: a SIP message over UDP fits in 64 KiB anyway. */
const SCAN_LIMIT = 65_535;

interface Bounds {
  start: number;
  end: number;
}

/** The header values a datagram is dispatched by, found in one pass over its header section. */
export interface DispatchHeaders {
  /** The first Call-ID's value (trimmed). */
  callId: Bounds | null;
  /** A request's first Route header's value (trimmed); responses carry no Route. */
  route: Bounds | null;
}

/** Where the first Call-ID header's value lies (trimmed), or null when the header section has none. */
export function callIdBounds(data: Buffer): Bounds | null {
  return dispatchHeaders(data).callId;
}

/**
 * The Call-ID and, for a request, the first Route (RFC 3261 §20.34; Route has no compact form),
 * in one pass that stops as soon as both are found. Allocates only the result.
 */
export function dispatchHeaders(data: Buffer): DispatchHeaders {
  const found: DispatchHeaders = { callId: null, route: null };
  const limit = Math.min(data.length, SCAN_LIMIT);
  // A status line starts "SIP/" (§7.2); a response has no Route to look for.
  let wantRoute = !(data[0] === 0x53 && data[1] === 0x49 && data[2] === 0x50 && data[3] === 0x2f);
  // Header lines start after the start line; a line that is empty ends the header section (§7).
  let lineStart = indexAfterLineEnd(data, 0, limit);
  while (lineStart >= 0 && lineStart < limit && (found.callId === null || wantRoute)) {
    const first = data[lineStart]!;
    if (first === CR || first === LF) break;
    if (found.callId === null) found.callId = valueBounds(data, callIdNameEnd(data, lineStart, limit), limit);
    if (wantRoute) {
      found.route = valueBounds(data, routeNameEnd(data, lineStart, limit), limit);
      if (found.route) wantRoute = false;
    }
    lineStart = indexAfterLineEnd(data, lineStart, limit);
  }
  return found;
}

/**
 * The port of the first URI in a Route value, or null when it names none. A worker names its own
 * port in the Record-Route it inserts, so the dialog's later requests carry it at the top of their
 * Route set (§12.2.1.1): a client that sends them to the public port anyway (sipp does; so may one
 * behind a middlebox that rewrites the destination) still has them reach the worker that holds the
 * dialog. Reads the value as text: only routed requests (within a dialog) get this far.
 */
export function routePort(data: Buffer, route: Bounds | null): number | null {
  if (!route) return null;
  const port = FIRST_ROUTE_PORT.exec(data.toString('latin1', route.start, route.end))?.[1];
  return port === undefined ? null : Number(port);
}

/** The port of a request's first Route entry (`dispatchHeaders` and `routePort` together). */
export function topRoutePort(data: Buffer): number | null {
  return routePort(data, dispatchHeaders(data).route);
}

/** The port of the first URI of a Route value: `<sip:user@host:port;...>`, `sip:[v6]:port`, … */
const FIRST_ROUTE_PORT = /^[^<,]*<?\s*sips?:(?:[^@>;,?]*@)?(?:\[[^\]]*\]|[^:;>,?\s]+):(\d{1,5})(?=[;>,?\s]|$)/i;

/** Where the value of the header line whose name ends at `afterName` lies (trimmed); null for -1 or an empty value. */
function valueBounds(data: Buffer, afterName: number, limit: number): Bounds | null {
  if (afterName < 0) return null;
  let colon = afterName;
  while (colon < limit && (data[colon] === SP || data[colon] === HTAB)) colon += 1;
  if (colon >= limit || data[colon] !== COLON) return null;
  let start = colon + 1;
  let end = start;
  while (end < limit && data[end] !== CR && data[end] !== LF) end += 1;
  while (start < end && (data[start] === SP || data[start] === HTAB)) start += 1;
  while (end > start && (data[end - 1] === SP || data[end - 1] === HTAB)) end -= 1;
  return end > start ? { start, end } : null;
}

/** The end of a Call-ID header's name at `at` ("Call-ID" in any case, or "i"), or -1 for any other header. */
function callIdNameEnd(data: Buffer, at: number, limit: number): number {
  const first = data[at]! | 0x20;
  if (first === 0x69 /* i */) {
    const next = data[at + 1];
    return at + 1 < limit && (next === SP || next === HTAB || next === COLON) ? at + 1 : -1;
  }
  return nameAt(data, at, limit, CALL_ID);
}

/** The end of a Route header's name at `at` ("Route" in any case), or -1 for any other header. */
function routeNameEnd(data: Buffer, at: number, limit: number): number {
  const end = nameAt(data, at, limit, ROUTE);
  const next = data[end];
  return end >= 0 && end < limit && (next === SP || next === HTAB || next === COLON) ? end : -1;
}

/** The end of `name` (lower case) at `at`, compared without case, or -1. */
function nameAt(data: Buffer, at: number, limit: number, name: Buffer): number {
  if (at + name.length > limit) return -1;
  for (let i = 0; i < name.length; i += 1) {
    const byte = data[at + i]!;
    const expected = name[i]!;
    // Letters compare without case (§7.3.5); the hyphen only as itself.
    if (expected === 0x2d ? byte !== expected : (byte | 0x20) !== expected) return -1;
  }
  return at + name.length;
}

function indexAfterLineEnd(data: Buffer, from: number, limit: number): number {
  for (let i = from; i < limit; i += 1) {
    if (data[i] === LF) return i + 1;
  }
  return -1;
}

function fnv1a(data: Buffer, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i += 1) {
    hash ^= data[i]!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
