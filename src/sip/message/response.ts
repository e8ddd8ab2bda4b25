import { parseNameAddr, formatParams } from './grammar.js';
import type { SipHeader, SipRequest, SipResponse } from './message.js';

/** Reason phrases of RFC 3261 §21 and the extensions we send. */
export const reasonPhrases: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  421: 'Extension Required',
  422: 'Session Interval Too Small',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

/**
 * §8.2.6.2: a response copies Via (all, in order), From, Call-ID and CSeq from the request, and To
 * with a tag added when the request had none (except for 100 Trying, §8.2.6.1).
 */
export function createResponse(
  request: SipRequest,
  status: number,
  options: { reason?: string; toTag?: string; headers?: SipHeader[]; body?: Buffer } = {},
): SipResponse {
  // From, Call-ID and CSeq are single-valued: when a malformed request repeats them (RFC 4475
  // §3.3.8) the 400 carries the first of each, so that the response itself stays well-formed.
  const seen = new Set<string>();
  const copied = request.headers.filter((h) => {
    if (h.name === 'Via') return true;
    if ((h.name !== 'From' && h.name !== 'Call-ID' && h.name !== 'CSeq') || seen.has(h.name)) return false;
    seen.add(h.name);
    return true;
  });
  const headers: SipHeader[] = copied.map((h) => ({ ...h }));
  const to = request.headers.find((h) => h.name === 'To');
  if (to) {
    // To goes before Call-ID, as in the request; splice(-1) would put it before the last header.
    const callId = headers.findIndex((h) => h.name === 'Call-ID');
    headers.splice(callId < 0 ? headers.length : callId, 0, { name: 'To', value: withToTag(to.value, status, options.toTag) });
  }
  if (status === 100) {
    const timestamp = request.headers.find((h) => h.name === 'Timestamp');
    if (timestamp) headers.push({ ...timestamp });
  }
  headers.push(...(options.headers ?? []));
  return {
    kind: 'response',
    status,
    reason: options.reason ?? reasonPhrases[status] ?? 'Unknown',
    headers,
    body: options.body ?? Buffer.alloc(0),
  };
}

function withToTag(value: string, status: number, tag: string | undefined): string {
  if (status === 100 || tag === undefined) return value;
  try {
    const addr = parseNameAddr(value);
    if (addr.params.has('tag')) return value;
    return `${value.trim()}${formatParams(new Map([['tag', tag]]))}`;
  } catch {
    // An unparseable To (answering a malformed request) is echoed as it came.
    return value;
  }
}

/** A reason phrase must not break the status line; keep it to one printable line. */
export function safeReason(reason: string): string {
  return reason.replace(/[\r\n]+/g, ' ').slice(0, 120);
}
