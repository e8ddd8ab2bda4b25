import { expect } from 'vitest';
import {
  getHeaders,
  parseMessage,
  serializeMessage,
  type ParseLimits,
  type ParseOutcome,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../src/sip/message/index.js';

/** A message as it travels: lines joined with CRLF, the empty line, then the body. */
export function wire(lines: string[], body: string | Buffer = ''): Buffer {
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

/** The number of octets a text body takes on the wire, for Content-Length. */
export function octets(body: string | Buffer): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
}

export type Fault = Extract<ParseOutcome, { ok: false }>;

/**
 * Parses a message that must be valid, and checks on the way that serializing it gives bytes that
 * parse to the same message (the round trip every proxied or answered message takes).
 */
export function parsed(data: Buffer, limits?: ParseLimits): SipMessage {
  const outcome = parseMessage(data, limits);
  if (!outcome.ok) return expect.fail(`expected the message to parse, got ${outcome.status} ${outcome.reason}`);
  const again = parseMessage(serializeMessage(outcome.message), limits);
  if (!again.ok) return expect.fail(`the serialized message no longer parses: ${again.status} ${again.reason}`);
  expect(essence(again.message)).toEqual(essence(outcome.message));
  return outcome.message;
}

export function parsedRequest(data: Buffer, limits?: ParseLimits): SipRequest {
  const message = parsed(data, limits);
  if (message.kind !== 'request') return expect.fail('expected a request');
  return message;
}

export function parsedResponse(data: Buffer, limits?: ParseLimits): SipResponse {
  const message = parsed(data, limits);
  if (message.kind !== 'response') return expect.fail('expected a response');
  return message;
}

export function rejected(data: Buffer, limits?: ParseLimits): Fault {
  const outcome = parseMessage(data, limits);
  if (outcome.ok) return expect.fail('expected the message to be rejected');
  return outcome;
}

/**
 * What "the same message" means after a round trip: the start line, every header but
 * Content-Length in order, and the body. Content-Length is rewritten from the body on the way out
 * (it may have been absent on a datagram, or written `0150`), so it is compared as a number.
 */
export function essence(message: SipMessage): unknown {
  const lengths = getHeaders(message, 'Content-Length');
  return {
    start: message.kind === 'request' ? [message.method, message.uri] : [message.status, message.reason],
    headers: message.headers.filter((h) => h.name !== 'Content-Length'),
    body: message.body.toString('hex'),
    contentLength: lengths.length === 0 ? message.body.length : Number(lengths[0]),
  };
}

/** An SDP offer of our own, for requests that carry one. */
export const sdpOffer = [
  'v=0',
  'o=ada 2890844526 2890844527 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8',
  'a=rtpmap:0 PCMU/8000',
  'm=video 51372 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  '',
].join('\r\n');
