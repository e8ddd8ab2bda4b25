import { describe, expect, it } from 'vitest';
import {
  appendHeader,
  cloneMessage,
  createResponse,
  defaultParseLimits,
  getHeader,
  getHeaders,
  parseMessage,
  parseNameAddr,
  serializeMessage,
  setHeaders,
  type SipRequest,
} from '../../../src/sip/message/index.js';
import { everydayMessages } from './corpus.js';
import { essence, octets, parsed, parsedRequest, rejected, wire } from './wire.js';

const request = (lines: string[], body = '') =>
  wire(
    [
      'OPTIONS sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKunit',
      'To: <sip:bob@example.com>',
      'From: <sip:alice@example.com>;tag=unit',
      'Call-ID: unit-test',
      'CSeq: 1 OPTIONS',
      ...lines,
    ],
    body,
  );

describe('parsing headers (§7.3)', () => {
  it('compact forms become the canonical names, so "the top Via" is simply the first Via', () => {
    const message = parsedRequest(
      wire(
        [
          'OPTIONS sip:bob@example.com SIP/2.0',
          'v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
          't: <sip:bob@example.com>',
          'f: <sip:alice@example.com>;tag=1',
          'i: compact',
          'CSeq: 1 OPTIONS',
          'm: <sip:alice@192.0.2.1>',
          'k: path',
          's: hello',
          'c: text/plain',
          'l: 2',
        ],
        'hi',
      ),
    );
    expect(message.headers.map((h) => h.name)).toEqual([
      'Via',
      'To',
      'From',
      'Call-ID',
      'CSeq',
      'Contact',
      'Supported',
      'Subject',
      'Content-Type',
      'Content-Length',
    ]);
  });

  it('folded lines (spaces or tabs after CRLF) join the previous header with a single space', () => {
    const message = parsedRequest(request(['Subject: one', ' two', '\t\tthree', 'Content-Length: 0']));
    expect(getHeader(message, 'Subject')).toBe('one two three');
  });

  it('list headers split into one entry per value, but not at commas inside quotes or <...>', () => {
    const message = parsedRequest(
      request([
        'Contact: "Smith, John" <sip:john@example.com>;x="a,b";q=0.5, <sip:john,smith@192.0.2.9>',
        'Contact: sip:john@host3.example.com',
        'Content-Length: 0',
      ]),
    );
    expect(getHeaders(message, 'Contact')).toEqual([
      '"Smith, John" <sip:john@example.com>;x="a,b";q=0.5',
      '<sip:john,smith@192.0.2.9>',
      'sip:john@host3.example.com',
    ]);
    expect(parseNameAddr(getHeaders(message, 'Contact')[0]!).displayName).toBe('Smith, John');
  });

  it('headers that are not lists keep their commas (Subject, Date, unknown headers)', () => {
    const message = parsedRequest(
      request(['Subject: Lunch, then coffee', 'Date: Sat, 13 Nov 2010 23:29:00 GMT', 'X-Thing: a, b', 'Content-Length: 0']),
    );
    expect([getHeader(message, 'Subject'), getHeader(message, 'Date'), getHeaders(message, 'X-Thing')]).toEqual([
      'Lunch, then coffee',
      'Sat, 13 Nov 2010 23:29:00 GMT',
      ['a, b'],
    ]);
  });

  it('an empty Accept stays as one empty value (it means "no body is acceptable", §20.1), and empty list elements are skipped', () => {
    const message = parsedRequest(request(['Accept:', 'Allow: INVITE, , BYE,', 'Content-Length: 0']));
    expect(getHeaders(message, 'Accept')).toEqual(['']);
    expect(getHeaders(message, 'Allow')).toEqual(['INVITE', 'BYE']);
  });

  it('URI parameters, headers and escapes in the Request-URI and addresses survive parsing untouched', () => {
    const message = parsedRequest(
      wire([
        'INVITE sip:%61lice@[2001:db8::1]:5070;transport=tcp;lr SIP/2.0',
        'Via: SIP/2.0/TCP [2001:db8::2]:5060;branch=z9hG4bK9;received=[2001:db8::3]',
        'To: <sip:%61lice@[2001:db8::1]:5070>',
        'From: <sip:bob@example.com>;tag=2',
        'Call-ID: escapes',
        'CSeq: 1 INVITE',
        'Contact: <sip:bob@example.com?Subject=a%20b&Priority=urgent>',
        'Content-Length: 0',
      ]),
    );
    expect(message.uri).toBe('sip:%61lice@[2001:db8::1]:5070;transport=tcp;lr');
    expect(getHeader(message, 'Contact')).toBe('<sip:bob@example.com?Subject=a%20b&Priority=urgent>');
  });

  it('CRLFs before the start line are ignored (§7.5)', () => {
    expect(parsedRequest(Buffer.concat([Buffer.from('\r\n\r\n\r\n'), request(['Content-Length: 0'])])).method).toBe('OPTIONS');
  });
});

describe('framing a datagram (§18.3)', () => {
  it('Content-Length cuts the body; extra octets in the datagram are dropped', () => {
    const message = parsedRequest(request(['Content-Type: text/plain', 'Content-Length: 5'], 'hello, and some trailing junk'));
    expect(message.body.toString()).toBe('hello');
  });

  it('without Content-Length the body runs to the end of the datagram', () => {
    expect(parsedRequest(request(['Content-Type: text/plain'], 'all of it')).body.toString()).toBe('all of it');
  });

  it('a body containing an empty line is not mistaken for the end of the headers', () => {
    const body = 'line one\r\n\r\nline three';
    expect(parsedRequest(request(['Content-Type: text/plain', `Content-Length: ${octets(body)}`], body)).body.toString()).toBe(body);
  });

  it('a message longer than maxBytes gets 413 before anything is parsed; one of exactly maxBytes parses', () => {
    const limits = { ...defaultParseLimits, maxBytes: 600 };
    const exact = request(['Content-Type: text/plain', 'Content-Length: 0']);
    const padded = request([
      'Content-Type: text/plain',
      `X-Pad: ${'p'.repeat(600 - exact.length - 'X-Pad: \r\n'.length)}`,
      'Content-Length: 0',
    ]);
    expect(padded.length).toBe(600);
    expect(parsed(padded, limits).kind).toBe('request');
    const over = Buffer.concat([padded, Buffer.from('x')]);
    expect(rejected(over, limits)).toEqual({ ok: false, status: 413, reason: 'Message too large (over 600 bytes)', answerable: null });
  });

  it('more header lines than maxHeaderLines (counted after unfolding) give a 400', () => {
    const limits = { ...defaultParseLimits, maxHeaderLines: 10 };
    // Five base headers plus five: exactly ten lines, one of them folded over three.
    expect(parsed(request(['X-A: 1', 'X-B: 2', ' still B', ' and B', 'X-C: 3', 'X-D: 4', 'Content-Length: 0']), limits).kind).toBe(
      'request',
    );
    const fault = rejected(request(['X-A: 1', 'X-B: 2', 'X-C: 3', 'X-D: 4', 'X-E: 5', 'Content-Length: 0']), limits);
    expect([fault.status, fault.reason]).toEqual([400, 'Too many header lines (over 10)']);
  });

  it('a message without the empty line after its headers (a truncated datagram) gives a 400', () => {
    const data = request(['Content-Length: 0']);
    expect(rejected(data.subarray(0, data.length - 2)).reason).toBe('Missing empty line after headers');
  });
});

describe('faults the parser reports instead of throwing', () => {
  it('bare LF line endings are not SIP (§7) and give a 400', () => {
    const data = Buffer.from(request(['Content-Length: 0']).toString().replaceAll('\r\n', '\n'));
    expect(rejected(data).status).toBe(400);
  });

  it('a bare CR inside a header is a 400 that can still be answered from the other headers', () => {
    const fault = rejected(request(['Subject: a\rInjected: b', 'Content-Length: 0']));
    expect([fault.status, fault.reason, fault.answerable?.method]).toEqual([400, 'Bare CR or LF in header', 'OPTIONS']);
  });

  it('headers that are not UTF-8 give a 400 rather than being silently altered', () => {
    const data = Buffer.concat([
      request(['Subject: caf']).subarray(0, -4),
      Buffer.from([0xe9]),
      Buffer.from('\r\nContent-Length: 0\r\n\r\n'),
    ]);
    expect(rejected(data).reason).toBe('Headers are not valid UTF-8');
  });

  it('a header line without a colon is a 400 that can still be answered', () => {
    const fault = rejected(request(['This is not a header', 'Content-Length: 0']));
    expect([fault.reason, fault.answerable?.method]).toEqual(['Malformed header line', 'OPTIONS']);
  });

  it('a malformed Request-Line keeps its method, so an ACK is recognised and left unanswered', () => {
    const fault = rejected(
      wire([
        'ACK  sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKack',
        'To: <sip:bob@example.com>;tag=2',
        'From: <sip:alice@example.com>;tag=1',
        'Call-ID: ack',
        'CSeq: 1 ACK',
        'Content-Length: 0',
      ]),
    );
    expect(fault.answerable?.method).toBe('ACK');
  });

  it('a fault in a response is never answerable', () => {
    const fault = rejected(Buffer.from(everydayMessages.ok!.toString().replace('CSeq: 31862 INVITE', 'CSeq: x INVITE')));
    expect([fault.reason, fault.answerable]).toEqual(['Bad CSeq header: Bad CSeq', null]);
  });

  it('every Via is checked, not only the top one', () => {
    expect(rejected(request(['Via: SIP/2.0/UDP bad host name', 'Content-Length: 0'])).reason).toBe('Bad Via header: Bad Via');
  });

  it('an address that passed once is not taken on trust in another form, and one that failed fails every time', () => {
    // The parser remembers addresses it found well-formed (a dialog repeats them); only those.
    const withFrom = (from: string) =>
      Buffer.from(request(['Content-Length: 0']).toString().replace('From: <sip:alice@example.com>;tag=unit', from));
    const good = 'From: <sip:carol@example.com>;tag=remembered';
    expect(getHeader(parsedRequest(withFrom(good)), 'From')).toBe('<sip:carol@example.com>;tag=remembered');
    expect(getHeader(parsedRequest(withFrom(good)), 'From')).toBe('<sip:carol@example.com>;tag=remembered');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(rejected(withFrom('From: <sip:carol@exa mple.com>;tag=remembered')).reason).toBe('Bad From header: Spaces within addr-spec');
      expect(rejected(withFrom('From: <sip:carol@example.com>;tag=remembered;;')).reason).toBe('Bad From header: Empty parameter');
    }
    // The same text in another header is checked by that header's rule: a Via is not an address.
    expect(rejected(request(['Via: <sip:carol@example.com>;tag=remembered', 'Content-Length: 0'])).reason).toBe('Bad Via header: Bad Via');
  });

  it('a Request-URI of another scheme must still be made of URI characters', () => {
    expect(
      parsedRequest(Buffer.from(request(['Content-Length: 0']).toString().replace('sip:bob@example.com SIP', 'tel:+1-201-555-0123 SIP')))
        .uri,
    ).toBe('tel:+1-201-555-0123');
    expect(
      rejected(Buffer.from(request(['Content-Length: 0']).toString().replace('sip:bob@example.com SIP', 'tel:+1{201} SIP'))).reason,
    ).toBe('Bad Request-URI');
  });
});

describe('answering a malformed request (§8.2.6)', () => {
  it('the 400 copies the Vias in order, From, To with a new tag, Call-ID and CSeq, and carries the reason', () => {
    const fault = rejected(
      wire([
        'OPTIONS sip:bob@example.com SIP/2.0',
        'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKunit',
        'Max-Forwards: 999',
        'To: <sip:bob@example.com>',
        'From: <sip:alice@example.com>;tag=unit',
        'Call-ID: unit-test',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
      ]),
    );
    const response = createResponse(fault.answerable!, fault.status, { reason: fault.reason, toTag: 'srv1' });
    expect(serializeMessage(response).toString()).toBe(
      [
        'SIP/2.0 400 Bad Max-Forwards',
        'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp',
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKunit',
        'From: <sip:alice@example.com>;tag=unit',
        'To: <sip:bob@example.com>;tag=srv1',
        'Call-ID: unit-test',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });
});

describe('serializing (§7)', () => {
  it.each(Object.entries(everydayMessages))('serialize(parse(%s)) parses to an equal message', (_name, data) => {
    expect(parsed(data)).toBeTruthy(); // `parsed` checks the round trip
  });

  it('Content-Length is rewritten from the body, last, and added when absent', () => {
    const message = parsedRequest(request(['Content-Length: 0005', 'Subject: after'], 'hello'));
    expect(serializeMessage(message).toString()).toContain('CSeq: 1 OPTIONS\r\nSubject: after\r\nContent-Length: 5\r\n\r\nhello');
    const bare = parsedRequest(request([], 'no length'));
    expect(serializeMessage(bare).toString()).toMatch(/CSeq: 1 OPTIONS\r\nContent-Length: 9\r\n\r\nno length$/);
  });

  it('each value of a list header gets its own line, so values that would not split back apart still do', () => {
    const message = parsedRequest(request(['Content-Length: 0']));
    setHeaders(message, 'Allow', ['INVITE', 'BYE']);
    setHeaders(message, 'Contact', ['<sip:a@example.com', '<sip:b@example.com>']);
    appendHeader(message, 'Accept', '');
    appendHeader(message, 'Accept', 'text/plain');
    const text = serializeMessage(message).toString();
    expect(text).toContain('Allow: INVITE\r\nAllow: BYE\r\n');
    expect(text).toContain('Contact: <sip:a@example.com\r\nContact: <sip:b@example.com>\r\n');
    expect(text).toContain('Accept: \r\nAccept: text/plain\r\n');
  });

  it('setHeaders puts the new values where the first old one was, or last, and a clone changes apart from its original', () => {
    const message = parsedRequest(request(['Route: <sip:a.example;lr>', 'Subject: s', 'Route: <sip:b.example;lr>', 'Content-Length: 0']));
    const copy = cloneMessage(message);
    setHeaders(copy, 'Route', ['<sip:c.example;lr>']);
    setHeaders(copy, 'Max-Forwards', ['69']);
    setHeaders(copy, 'Priority', []);
    const names = (m: SipRequest) => m.headers.map((h) => `${h.name}: ${h.value}`);
    expect(names(copy).slice(4)).toEqual([
      'CSeq: 1 OPTIONS',
      'Route: <sip:c.example;lr>',
      'Subject: s',
      'Content-Length: 0',
      'Max-Forwards: 69',
    ]);
    expect(names(message).slice(4)).toEqual([
      'CSeq: 1 OPTIONS',
      'Route: <sip:a.example;lr>',
      'Subject: s',
      'Route: <sip:b.example;lr>',
      'Content-Length: 0',
    ]);
  });

  it('a parsed and re-serialized message keeps every header in its place', () => {
    const original = everydayMessages.register!;
    const again = serializeMessage(parsed(original)).toString();
    expect(again.split('\r\n').slice(0, 3)).toEqual([
      'REGISTER sip:example.com SIP/2.0',
      'Via: SIP/2.0/TCP [2001:db8::7]:5060;branch=z9hG4bKreg1;alias',
      'Max-Forwards: 70',
    ]);
    expect(essence(parsed(Buffer.from(again)))).toEqual(essence(parsed(original)));
  });
});

describe('the answerable request', () => {
  it('is the parsed request itself, with the headers read so far', () => {
    const outcome = parseMessage(request(['Max-Forwards: 256', 'Content-Length: 0']));
    expect(outcome.ok).toBe(false);
    const answerable = (outcome as { answerable: SipRequest | null }).answerable!;
    expect([answerable.method, answerable.uri, getHeader(answerable, 'Max-Forwards')]).toEqual(['OPTIONS', 'sip:bob@example.com', '256']);
  });
});
