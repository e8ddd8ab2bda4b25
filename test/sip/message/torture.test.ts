import { describe, expect, it } from 'vitest';
import {
  createResponse,
  getHeader,
  getHeaders,
  parseAuthValue,
  parseCSeq,
  parseNameAddr,
  parseSmallInteger,
  parseUri,
  parseVia,
  serializeMessage,
  StreamFramer,
  uriScheme,
} from '../../../src/sip/message/index.js';
import { octets, parsedRequest, parsedResponse, rejected, sdpOffer, wire } from './wire.js';

/**
 * Our own renditions of the messages of RFC 4475 ("SIP Torture Test Messages") and RFC 5118 (the
 * IPv6 ones): the same traps, different names and values. Each test names the section and the
 * RFC's label for the message, and expects what the RFC says a receiver should do. Where the RFC
 * leaves the verdict to the layers above (416, 420, 415, stateless 400 on a bad branch), the parser
 * must let the message through and the test says so.
 */

const via = (host: string, branch: string) => `Via: SIP/2.0/UDP ${host};branch=${branch}`;

describe('RFC 4475 §3.1.1: valid messages parse', () => {
  it('§3.1.1.1 wsinv: a short tortuous INVITE (folding, LWS around every separator, odd case, compact and long forms mixed) yields the intended values', () => {
    const data = wire(
      [
        'INVITE sip:carol@chicago.example.com;unknownflag SIP/2.0',
        'tO :',
        ' sip:carol@chicago.example.com ;   tag    = 4412ab9',
        'frOM   : "Bob \\\\ \\"B\\""     <sip:bob@biloxi.example.com>',
        '  ;',
        '  tag = 88zq1',
        'mAx-FoRwArDs: 0069',
        'Call-ID: wsinv.q8hh2@192.0.2.7',
        `Content-Length   : ${octets(sdpOffer)}`,
        'cSeQ: 0011',
        '  INVITE',
        'Via  : SIP  /   2.0',
        ' /UDP',
        '    192.0.2.7;branch=pre3261branch',
        's :',
        'NewFangledHeader:   first part of a value',
        ' that continues here',
        'UnknownHeaderWithOddValue: ;;,,;;,;',
        'Content-Type: application/sdp',
        'Route:',
        ' <sip:proxy.example.com;lr;unknownwith=value;unknown-no-value>',
        'v:  SIP  / 2.0  / TCP     relay.example.com   ;',
        '  branch  =   z9hG4bKr3l4y  ,',
        ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
        ' z9hG4bK77ab',
        'm:"Quoted \\"nick\\"" <sip:bob@biloxi.example.com> ; newparam =',
        '      newvalue ;',
        '  secondparam ; q = 0.33',
      ],
      sdpOffer,
    );
    const request = parsedRequest(data);
    expect(request.method).toBe('INVITE');
    expect(parseUri(request.uri).params).toEqual(new Map([['unknownflag', null]]));
    expect(parseNameAddr(getHeader(request, 'To')!).params.get('tag')).toBe('4412ab9');
    const from = parseNameAddr(getHeader(request, 'From')!);
    expect(from.displayName).toBe('Bob \\ "B"');
    expect(from.params.get('tag')).toBe('88zq1');
    expect(parseSmallInteger(getHeader(request, 'Max-Forwards')!, 'Max-Forwards', 255)).toBe(69);
    expect(parseCSeq(getHeader(request, 'CSeq')!)).toEqual({ seq: 11, method: 'INVITE' });
    const vias = getHeaders(request, 'Via').map(parseVia);
    expect(vias.map((v) => [v.transport, v.host, v.params.get('branch')])).toEqual([
      ['UDP', '192.0.2.7', 'pre3261branch'],
      ['TCP', 'relay.example.com', 'z9hG4bKr3l4y'],
      ['UDP', '192.168.255.111', 'z9hG4bK77ab'],
    ]);
    expect(getHeader(request, 'Subject')).toBe('');
    expect(getHeader(request, 'NewFangledHeader')).toBe('first part of a value that continues here');
    // Unknown, so not a list: the value is kept whole, however it would parse as generic-params.
    expect(getHeaders(request, 'UnknownHeaderWithOddValue')).toEqual([';;,,;;,;']);
    const route = parseNameAddr(getHeader(request, 'Route')!);
    expect(parseUri(route.uri).params.get('unknown-no-value')).toBeNull();
    const contact = parseNameAddr(getHeader(request, 'Contact')!);
    expect(contact.displayName).toBe('Quoted "nick"');
    expect(contact.params).toEqual(
      new Map([
        ['newparam', 'newvalue'],
        ['secondparam', null],
        ['q', '0.33'],
      ]),
    );
    expect(request.body.toString()).toBe(sdpOffer);
  });

  it('§3.1.1.2 intmeth: every non-alphanumeric token character in method, URI, branch, tag and header name is accepted, and % is not an escape outside URIs', () => {
    const method = "%odd_Method-!*+`.'~42";
    const data = wire([
      `${method} sip:2_weird.URI~(yes!really)&isn't+it$/odd?,/;;*:&pass+word=2,odd!*pa$s~d_also.(right)@example.com SIP/2.0`,
      "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
      `To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:2_weird.URI~(yes!really)&isn't+it$/odd?,/;;*@example.com>`,
      "From: tok1~` tok2'+_ tok3*%!.- <sip:plain@example.com>;odd''~+*_!.-%param=\"работает\";tag=_tok~1'+`*%!-.",
      'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
      `CSeq: 139122385 ${method}`,
      'Max-Forwards: 255',
      "extensionHeader-!.%*+_`'~:\uFEFF大停電",
      'Content-Length: 0',
    ]);
    const request = parsedRequest(data);
    expect(request.method).toBe(method);
    const uri = parseUri(request.uri);
    expect(uri.user).toBe("2_weird.URI~(yes!really)&isn't+it$/odd?,/;;*");
    expect(uri.password).toBe('&pass+word=2,odd!*pa$s~d_also.(right)');
    expect(uri.host).toBe('example.com');
    expect(parseNameAddr(getHeader(request, 'To')!).displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = parseNameAddr(getHeader(request, 'From')!);
    expect(from.displayName).toBe("tok1~` tok2'+_ tok3*%!.-");
    expect(from.params.get("odd''~+*_!.-%param")).toBe('"работает"');
    expect(from.params.get('tag')).toBe("_tok~1'+`*%!-.");
    expect(getHeader(request, 'Call-ID')).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    // The byte-order mark opening the value is data, not whitespace to trim.
    expect(getHeader(request, "extensionHeader-!.%*+_`'~")).toBe('\uFEFF大停電');
  });

  it('§3.1.1.3 esc01: %-escapes in user parts and URI parameters are decoded, including an escaped "lr"', () => {
    const data = wire(
      [
        'INVITE sip:sips%3Adave%40example.com@example.net SIP/2.0',
        'To: sip:%64ave@example.com',
        'From: <sip:I%20have%20spaces@example.net>;tag=1a2',
        'Max-Forwards: 70',
        'i: esc01.5566-ab',
        'CSeq: 77 INVITE',
        via('host9.example.net', 'z9hG4bKesc01x'),
        'C: application/sdp',
        'Contact:',
        '  <sip:cal%6Cer@host9.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
        `Content-Length: ${octets(sdpOffer)}`,
      ],
      sdpOffer,
    );
    const request = parsedRequest(data);
    const target = parseUri(request.uri);
    expect([target.user, target.host]).toEqual(['sips:dave@example.com', 'example.net']);
    expect(parseUri(parseNameAddr(getHeader(request, 'To')!).uri).user).toBe('dave');
    expect(parseUri(parseNameAddr(getHeader(request, 'From')!).uri).user).toBe('I have spaces');
    expect(getHeader(request, 'Call-ID')).toBe('esc01.5566-ab');
    expect(getHeader(request, 'Content-Type')).toBe('application/sdp');
    const contact = parseUri(parseNameAddr(getHeader(request, 'Contact')!).uri);
    expect(contact.user).toBe('caller');
    expect(contact.params).toEqual(
      new Map([
        ['lr', null],
        ['name', 'value%41'],
      ]),
    );
  });

  it('§3.1.1.4 escnull: a user part with escaped NULs (%00) decodes to a string holding NUL characters', () => {
    const data = wire([
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:null-%00-null@example.com',
      'From: sip:null-%00-null@example.com;tag=5521',
      'Max-Forwards: 70',
      'Call-ID: escnull.99zz',
      'CSeq: 14398234 REGISTER',
      via('host5.example.com', 'z9hG4bKnul1'),
      'Contact: <sip:%00@host5.example.com>',
      'Contact: <sip:%00%00@host5.example.com>',
      'L:0',
    ]);
    const request = parsedRequest(data);
    expect(parseUri(parseNameAddr(getHeader(request, 'To')!).uri).user).toBe('null-\u0000-null');
    expect(parseNameAddr(getHeader(request, 'From')!).params.get('tag')).toBe('5521');
    expect(getHeaders(request, 'Contact').map((c) => parseUri(parseNameAddr(c).uri).user)).toEqual(['\u0000', '\u0000\u0000']);
    expect(getHeader(request, 'Content-Length')).toBe('0');
  });

  it('§3.1.1.5 esc02: % in a method, a display name and a header name is literal, so RE%47IST%45R is an unknown method and C%6Fntact an unknown header', () => {
    const data = wire([
      'RE%47IST%45R sip:registrar.example.com SIP/2.0',
      'To: "%Z%45" <sip:resource@example.com>',
      'From: "%Z%45" <sip:resource@example.com>;tag=f00d',
      'Call-ID: esc02.1qaz2wsx',
      'Via: SIP/2.0/TCP host.example.com;rport;branch=z9hG4bKesc02',
      'CSeq: 29344 RE%47IST%45R',
      'Max-Forwards: 70',
      'Contact: <sip:alias1@host1.example.com>',
      'C%6Fntact: <sip:alias2@host2.example.com>',
      'Contact: <sip:alias3@host3.example.com>',
      'l: 0',
    ]);
    const request = parsedRequest(data);
    expect(request.method).toBe('RE%47IST%45R');
    expect(parseNameAddr(getHeader(request, 'To')!).displayName).toBe('%Z%45');
    expect(getHeaders(request, 'Contact')).toHaveLength(2);
    expect(getHeader(request, 'C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
  });

  it('§3.1.1.6 lwsdisp: a token display name directly followed by < is accepted', () => {
    const data = wire([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: caller<sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID: lwsdisp.0000ffff@funky.example.com',
      'CSeq: 60 OPTIONS',
      via('funky.example.com', 'z9hG4bKlws'),
      'l: 0',
    ]);
    const from = parseNameAddr(getHeader(parsedRequest(data), 'From')!);
    expect([from.displayName, from.uri, from.params.get('tag')]).toEqual(['caller', 'sip:caller@example.com', '323']);
  });

  it('§3.1.1.7 longreq: very long display names, tags, parameter names, Call-IDs, Via lists and unknown header values are kept whole', () => {
    const long = (word: string, times: number) => word.repeat(times);
    const tag = `longreq.one${long('really', 100)}longtag`;
    const callId = `longreq.${long('verylongcallid', 40)}`;
    const vias = Array.from({ length: 40 }, (_, i) => `SIP/2.0/TCP sip${40 - i}.example.com;branch=z9hG4bK${long('x', 20)}${i}`);
    const unknown = long('abcdefghij', 400);
    const data = wire(
      [
        'INVITE sip:user@example.com SIP/2.0',
        `To: "I have a user name of ${long('extreme', 20)} proportion" <sip:user@example.com:6000;unknownparam1=${long('verylong', 30)}value;${long('longparamname', 10)}=shortvalue>`,
        `From: sip:caller@example.com;tag=${tag}`,
        `Call-ID: ${callId}`,
        'CSeq: 3882340 INVITE',
        'Max-Forwards: 70',
        `Via: ${vias.join(', ')}`,
        `Unknown-${long('Long', 50)}-Name: ${unknown}`,
        'Contact: <sip:amazinglylongcallername@host5.example.net>',
        'Content-Type: application/sdp',
        `l: ${octets(sdpOffer)}`,
      ],
      sdpOffer,
    );
    expect(data.length).toBeGreaterThan(8_000);
    const request = parsedRequest(data);
    const to = parseNameAddr(getHeader(request, 'To')!);
    expect(to.displayName).toHaveLength(`I have a user name of ${long('extreme', 20)} proportion`.length);
    expect(parseUri(to.uri).params.get(long('longparamname', 10))).toBe('shortvalue');
    expect(parseNameAddr(getHeader(request, 'From')!).params.get('tag')).toBe(tag);
    expect(getHeader(request, 'Call-ID')).toBe(callId);
    expect(getHeaders(request, 'Via')).toEqual(vias);
    expect(getHeader(request, `Unknown-${long('Long', 50)}-Name`)).toBe(unknown);
  });

  it('§3.1.1.8 dblreq: octets after Content-Length in a datagram (a whole second request) are ignored', () => {
    const register = [
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:j.user@example.com',
      'From: sip:j.user@example.com;tag=43251j3j324',
      'Max-Forwards: 8',
      'I: dblreq.0ha0isnda977644900765@192.0.2.15',
      'CSeq: 8 REGISTER',
      via('192.0.2.125', 'z9hG4bKdblreq1'),
      'Contact: <sip:j.user@host.example.com>',
      'l: 0',
    ];
    const invite = wire(
      [
        'INVITE sip:joe@example.com SIP/2.0',
        'To: sip:joe@example.com',
        'From: sip:caller@example.net;tag=141334',
        'Max-Forwards: 8',
        'Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15',
        'CSeq: 8 INVITE',
        via('192.0.2.15', 'z9hG4bKdblreq2'),
        'Content-Type: application/sdp',
        `l: ${octets(sdpOffer)}`,
      ],
      sdpOffer,
    );
    const request = parsedRequest(Buffer.concat([wire(register), invite]));
    expect(request.method).toBe('REGISTER');
    expect(request.body).toHaveLength(0);
  });

  it('§3.1.1.9 semiuri: semicolons in the user part belong to the user, not to the URI parameters', () => {
    const data = wire([
      'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
      'To: sip:j_user@example.com',
      'From: sip:caller@example.org;tag=33242',
      'Max-Forwards: 3',
      'Call-ID: semiuri.0ha0isndaksdj',
      'CSeq: 8 OPTIONS',
      'Accept: application/sdp, application/pkcs7-mime,',
      '        multipart/mixed, multipart/signed,',
      '        message/sip, message/sipfrag',
      via('192.0.2.1', 'z9hG4bKsemi'),
      'l: 0',
    ]);
    const request = parsedRequest(data);
    const uri = parseUri(request.uri);
    expect([uri.user, uri.host, uri.params.size]).toEqual(['user;par=u@example.net', 'example.com', 0]);
    expect(getHeaders(request, 'Accept')).toHaveLength(6);
  });

  it('§3.1.1.10 transports: known and unknown Via transports (UDP, SCTP, TLS, UNKNOWN, TCP) all parse', () => {
    const transports = ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'];
    const data = wire([
      'OPTIONS sip:user@example.com SIP/2.0',
      'To: sip:user@example.com',
      'From: <sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
      'Accept: application/sdp',
      'CSeq: 60 OPTIONS',
      ...transports.map((t, i) => `Via: SIP/2.0/${t} t${i + 1}.example.com;branch=z9hG4bKt${i + 1}`),
      'l: 0',
    ]);
    expect(getHeaders(parsedRequest(data), 'Via').map((v) => parseVia(v).transport)).toEqual(transports);
  });

  it('§3.1.1.11 mpart01: a multipart/signed body with binary octets is framed by Content-Length and kept byte for byte', () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256));
    const body = Buffer.concat([
      Buffer.from(
        '--boundary42\r\nContent-Type: message/sip\r\n\r\nINVITE sip:bob@biloxi.example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n' +
          '--boundary42\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: binary\r\n\r\n',
      ),
      binary,
      Buffer.from('\r\n--boundary42--\r\n'),
    ]);
    const data = wire(
      [
        'MESSAGE sip:kumiko@example.org SIP/2.0',
        via('192.0.2.33', 'z9hG4bKmpart'),
        'Max-Forwards: 70',
        'From: "Chris" <sip:chris@example.com>;tag=7ab',
        'To: <sip:kumiko@example.org>',
        'Call-ID: mpart01.0f3a',
        'CSeq: 1 MESSAGE',
        'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha1; boundary=boundary42',
        `Content-Length: ${body.length}`,
      ],
      body,
    );
    const request = parsedRequest(data);
    expect(request.body.equals(body)).toBe(true);
    expect(getHeader(request, 'Content-Type')).toContain('boundary=boundary42');
  });

  it('§3.1.1.12 unreason: a reason phrase with digits, symbols and UTF-8 text is kept as sent', () => {
    const reason = '2**3 * 5**2 = двести, а 199 — простое число ✓';
    const response = parsedResponse(
      wire([
        `SIP/2.0 200 ${reason}`,
        'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
        'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
        'CSeq: 35 INVITE',
        'From: sip:user@example.com;tag=11141343',
        'To: sip:user@example.edu;tag=2229',
        'Contact: <sip:user@host198.example.com>',
        'Content-Length: 0',
      ]),
    );
    expect([response.status, response.reason]).toEqual([200, reason]);
  });

  it('§3.1.1.13 noreason: a status line with an empty reason phrase (the space kept) is accepted, and so is one without the space', () => {
    const headers = [
      'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
      'Call-ID: noreason.asndj203insdf99223ndf',
      'CSeq: 35 INVITE',
      'From: <sip:user@example.com>;tag=39ansfi3',
      'To: <sip:user@example.edu>;tag=902jndnke3',
      'Content-Length: 0',
    ];
    expect(parsedResponse(wire(['SIP/2.0 100 ', ...headers])).reason).toBe('');
    expect(parsedResponse(wire(['SIP/2.0 100', ...headers])).reason).toBe('');
  });
});

describe('RFC 4475 §3.1.2: invalid messages are rejected, and answered with 400 (or 505) when a response can be built', () => {
  const common = (method: string, extra: string[] = []) => [
    'To: sip:j.user@example.com',
    'From: sip:caller@example.net;tag=134161461246',
    'Max-Forwards: 7',
    `Call-ID: torture.${method.toLowerCase()}.0ha0isndaksdj`,
    `CSeq: 8 ${method}`,
    via('192.0.2.15', 'z9hG4bKtorture'),
    ...extra,
  ];

  it('§3.1.2.1 badinv01: empty parameters and list elements in Via and Contact (;;,;,,) give a 400 naming the Via', () => {
    const fault = rejected(
      wire([
        'INVITE sip:user@example.com SIP/2.0',
        'To: sip:j.user@example.com',
        'From: sip:caller@example.net;tag=134161461246',
        'Max-Forwards: 7',
        'Call-ID: badinv01.0ha0isndaksdjasdf3234nas',
        'CSeq: 8 INVITE',
        'Via: SIP/2.0/UDP 192.0.2.15;;,;,,',
        'Contact: "Joe" <sip:joe@example.org>;;;;',
        'Content-Length: 0',
      ]),
    );
    expect(fault.status).toBe(400);
    expect(fault.reason).toMatch(/Via.*Empty parameter/);
    expect(fault.answerable?.method).toBe('INVITE');
  });

  it('§3.1.2.2 clerr: a Content-Length larger than the datagram gives a 400', () => {
    const fault = rejected(
      wire(
        ['INVITE sip:user@example.com SIP/2.0', ...common('INVITE', ['Content-Type: application/sdp', 'Content-Length: 9999'])],
        sdpOffer,
      ),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Content-Length larger than body']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.3 ncl: a negative Content-Length gives a 400 on a datagram and loses the framing of a stream', () => {
    const data = wire(
      ['INVITE sip:user@example.com SIP/2.0', ...common('INVITE', ['Content-Type: application/sdp', 'Content-Length: -999'])],
      sdpOffer,
    );
    const fault = rejected(data);
    expect([fault.status, fault.reason]).toEqual([400, 'Bad Content-Length']);
    expect(fault.answerable).not.toBeNull();
    expect(() => new StreamFramer(16_384).push(data)).toThrow(/Bad Content-Length on a stream/);
  });

  it('§3.1.2.4 scalar02: a CSeq number past 2**31, Max-Forwards over 255 and an enormous Expires give a 400', () => {
    const fault = rejected(
      wire([
        'REGISTER sip:example.com SIP/2.0',
        'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3',
        'To: <sip:user@example.com>',
        'From: <sip:user@example.com>;tag=239232jh3',
        'CSeq: 36893488147419103232 REGISTER',
        'Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32',
        'Max-Forwards: 300',
        'Expires: 1000000000000000000000000000000000000000000',
        'Contact: <sip:user@host129.example.com>',
        '  ;expires=280297596632815',
        'Content-Length: 0',
      ]),
    );
    expect(fault.status).toBe(400);
    expect(fault.reason).toMatch(/CSeq/);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.5 scalarlg: a response with overlarge scalars is rejected and, being a response, never answered', () => {
    const fault = rejected(
      wire([
        'SIP/2.0 503 Service Unavailable',
        'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
        'To: <sip:user@example.com>',
        'From: <sip:other@example.net>;tag=2easdjfejw',
        'CSeq: 9292394834772304023312 OPTIONS',
        'Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
        'Retry-After: 949302838503028349304023988',
        'Warning: 1812 overture "In Progress"',
        'Content-Length: 0',
      ]),
    );
    expect(fault.status).toBe(400);
    expect(fault.reason).toMatch(/CSeq/);
    expect(fault.answerable).toBeNull();
  });

  it('§3.1.2.6 quotbal: an unterminated quoted display name gives a 400 naming the To header', () => {
    const fault = rejected(
      wire([
        'INVITE sip:user@example.com SIP/2.0',
        'To: "Mr. J. User <sip:j.user@example.com>',
        'From: sip:caller@example.net;tag=93334',
        'Max-Forwards: 10',
        'Call-ID: quotbal.aksdj',
        'CSeq: 77 INVITE',
        'Via: SIP/2.0/UDP 192.0.2.15:5060;branch=z9hG4bKkdjuw',
        'Content-Length: 0',
      ]),
    );
    expect(fault.status).toBe(400);
    expect(fault.reason).toBe('Bad To header: Unterminated quoted string in display name');
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.7 ltgtruri: a Request-URI enclosed in <> gives a 400', () => {
    const fault = rejected(wire(['INVITE <sip:user@example.com> SIP/2.0', ...common('INVITE', ['Content-Length: 0'])]));
    expect([fault.status, fault.reason]).toEqual([400, 'Bad Request-URI']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.8 lwsruri: whitespace inside the Request-URI gives a 400 that can still be answered', () => {
    const fault = rejected(wire(['INVITE sip:user@example.com; lr SIP/2.0', ...common('INVITE', ['Content-Length: 0'])]));
    expect([fault.status, fault.reason]).toEqual([400, 'Malformed request line']);
    expect(fault.answerable?.method).toBe('INVITE');
  });

  it('§3.1.2.9 lwsstart: two spaces between the Request-Line elements give a 400', () => {
    const fault = rejected(wire(['INVITE  sip:user@example.com  SIP/2.0', ...common('INVITE', ['Content-Length: 0'])]));
    expect([fault.status, fault.reason]).toEqual([400, 'Malformed request line']);
    expect(fault.answerable?.method).toBe('INVITE');
  });

  it('§3.1.2.10 trws: spaces after the SIP-Version give a 400', () => {
    const fault = rejected(wire(['OPTIONS sip:remote-target@example.com SIP/2.0  ', ...common('OPTIONS', ['Content-Length: 0'])]));
    expect([fault.status, fault.reason]).toEqual([400, 'Malformed request line']);
    expect(fault.answerable?.method).toBe('OPTIONS');
  });

  it('§3.1.2.11 escruri: escaped headers in the Request-URI give a 400 rather than being turned into headers', () => {
    const fault = rejected(
      wire(['INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0', ...common('INVITE', ['Content-Length: 0'])]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Request-URI must not contain headers']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.12 baddate: a Date in a time zone other than GMT gives a 400', () => {
    const fault = rejected(
      wire(['INVITE sip:user@example.com SIP/2.0', ...common('INVITE', ['Date: Fri, 01 Jan 2010 16:00:00 EST', 'Content-Length: 0'])]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Bad Date header: Bad Date']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.13 regbadct: a Contact URI carrying headers but not enclosed in <> gives a 400', () => {
    const fault = rejected(
      wire([
        'REGISTER sip:example.com SIP/2.0',
        'To: sip:user@example.com',
        'From: sip:user@example.com;tag=998332',
        'Max-Forwards: 70',
        'Call-ID: regbadct.k345asrl3fdbv@10.0.0.1',
        'CSeq: 1 REGISTER',
        'Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw',
        'Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E',
        'l: 0',
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Bad Contact header: A URI with headers must be enclosed in <>']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.14 badaspec: spaces inside the <> of an addr-spec give a 400', () => {
    const fault = rejected(
      wire([
        'OPTIONS sip:user@example.org SIP/2.0',
        'Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234',
        'Max-Forwards: 70',
        'From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423',
        'To: "Watson, Thomas" < sip:t.watson@example.org >',
        'Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3',
        'Accept: application/sdp',
        'CSeq: 3923239 OPTIONS',
        'l: 0',
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Bad To header: Spaces within addr-spec']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.15 baddn: an unquoted display name with a comma gives a 400', () => {
    const fault = rejected(
      wire([
        'OPTIONS sip:t.watson@example.org SIP/2.0',
        'Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw',
        'Max-Forwards:      70',
        'From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43',
        'To:      Watson, Thomas <sip:t.watson@example.org>',
        'Call-ID: baddn.31415@c.example.com',
        'Accept: application/sdp',
        'CSeq:    3923239 OPTIONS',
        'l: 0',
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Bad From header: Non-token characters in display name']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§3.1.2.16 badvers: SIP/7.0 gives a 505 that can be answered', () => {
    const fault = rejected(
      wire([
        'OPTIONS sip:t.watson@example.org SIP/7.0',
        'Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw',
        'Max-Forwards:     70',
        'From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe',
        'To:      T. Watson <sip:t.watson@example.org>',
        'Call-ID: badvers.31417@c.example.com',
        'CSeq:    1 OPTIONS',
        'l: 0',
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([505, 'Version Not Supported']);
    expect(fault.answerable?.method).toBe('OPTIONS');
  });

  it('§3.1.2.17 mismatch01: a CSeq method different from the request method gives a 400', () => {
    const fault = rejected(wire(['OPTIONS sip:user@example.com SIP/2.0', ...common('INVITE', ['Content-Length: 0'])]));
    expect([fault.status, fault.reason]).toEqual([400, 'CSeq method does not match request method']);
    expect(fault.answerable?.method).toBe('OPTIONS');
  });

  it('§3.1.2.18 mismatch02: an unknown method with a mismatched CSeq gives a 400 (the RFC allows 400 or 501)', () => {
    const fault = rejected(wire(['NEWMETHOD sip:user@example.com SIP/2.0', ...common('INVITE', ['Content-Length: 0'])]));
    expect([fault.status, fault.reason]).toEqual([400, 'CSeq method does not match request method']);
    expect(fault.answerable?.method).toBe('NEWMETHOD');
  });

  it('§3.1.2.19 bigcode: a status code of 4294967301 is a malformed status line, not a 429; the response is dropped', () => {
    const fault = rejected(
      wire([
        'SIP/2.0 4294967301 better not break the receiver',
        'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
        'Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i',
        'CSeq: 353494 INVITE',
        'From: <sip:user@example.com>;tag=39ansfi3',
        'To: <sip:user@example.edu>;tag=902jndnke3',
        'Content-Length: 0',
      ]),
    );
    expect([fault.status, fault.reason, fault.answerable]).toEqual([400, 'Malformed status line', null]);
  });
});

describe('RFC 4475 §3.2: transaction-layer semantics', () => {
  it('§3.2.1 badbranch: a branch that is only the magic cookie PARSES; the transaction layer decides whether to reject it', () => {
    const request = parsedRequest(
      wire([
        'OPTIONS sip:user@example.com SIP/2.0',
        'To: sip:user@example.com',
        'From: sip:caller@example.org;tag=33242',
        'Max-Forwards: 3',
        'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK',
        'Accept: application/sdp',
        'Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n',
        'CSeq: 8 OPTIONS',
        'l: 0',
      ]),
    );
    expect(parseVia(getHeader(request, 'Via')!).params.get('branch')).toBe('z9hG4bK');
  });
});

describe('RFC 4475 §3.3: application-layer semantics', () => {
  const options = (uri: string, extra: string[], method = 'OPTIONS') => [
    `${method} ${uri} SIP/2.0`,
    'To: sip:user@example.com',
    'From: sip:caller@example.net;tag=3413415',
    'Max-Forwards: 70',
    `Call-ID: app.${method.toLowerCase()}.98asdh@192.0.2.1`,
    `CSeq: 5 ${method}`,
    via('192.0.2.25', 'z9hG4bKapp'),
    ...extra,
  ];

  it('§3.3.1 insuf: a request without Call-ID, From and To gives a 400 naming all three, answered with what it has (§8.2.6.2)', () => {
    const fault = rejected(
      wire(
        [
          'INVITE sip:user@example.com SIP/2.0',
          'CSeq: 193942 INVITE',
          'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf',
          'Content-Type: application/sdp',
          `l: ${octets(sdpOffer)}`,
        ],
        sdpOffer,
      ),
    );
    expect([fault.status, fault.reason, fault.answerable?.method]).toEqual([400, 'Missing From, To, Call-ID', 'INVITE']);
    const response = serializeMessage(createResponse(fault.answerable!, fault.status, { reason: fault.reason })).toString();
    expect(response.split('\r\n').slice(0, 3)).toEqual([
      'SIP/2.0 400 Missing From, To, Call-ID',
      'CSeq: 193942 INVITE',
      'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf',
    ]);
  });

  it('a request without any Via gives a 400 that cannot be answered, as a response would have nowhere to go (§18.2.2)', () => {
    const fault = rejected(
      wire([
        'INVITE sip:user@example.com SIP/2.0',
        'CSeq: 193942 INVITE',
        'From: sip:caller@example.net;tag=3413415',
        'To: sip:user@example.com',
        'Call-ID: novia.98asdh@192.0.2.1',
        'l: 0',
      ]),
    );
    expect([fault.status, fault.reason, fault.answerable]).toEqual([400, 'Missing Via', null]);
  });

  it('§3.3.2 unkscm: a Request-URI with an unknown scheme PARSES; the core answers 416', () => {
    const request = parsedRequest(wire(options('nobodyKnowsThisScheme:totallyopaquecontent', ['l: 0'])));
    expect(uriScheme(request.uri)).toBe('nobodyknowsthisscheme');
  });

  it('§3.3.3 novelsc: a Request-URI with a known but atypical scheme PARSES; the core answers 416 if it cannot use it', () => {
    expect(uriScheme(parsedRequest(wire(options('soap.beep://192.0.2.103:3002', ['l: 0']))).uri)).toBe('soap.beep');
  });

  it('§3.3.4 unksm2: unknown URI schemes in To, From and Contact PARSE', () => {
    const request = parsedRequest(
      wire([
        'REGISTER sip:example.com SIP/2.0',
        'To: isbn:2983792873',
        'From: <http://www.example.com>;tag=3234233',
        'Call-ID: unksm2.daksdj@hyphenated-host.example.com',
        'CSeq: 234902 REGISTER',
        'Max-Forwards: 70',
        via('192.0.2.21:5060', 'z9hG4bKkdjuw'),
        'Contact: <name:John_Smith>',
        'l: 0',
      ]),
    );
    expect(['To', 'From', 'Contact'].map((name) => parseNameAddr(getHeader(request, name)!).uri)).toEqual([
      'isbn:2983792873',
      'http://www.example.com',
      'name:John_Smith',
    ]);
  });

  it('§3.3.5 bext01: unknown option tags in Require and Proxy-Require PARSE, one value each; the core answers 420', () => {
    const request = parsedRequest(
      wire(
        options('sip:user@example.com', [
          'Require: nothingSupportsThis, nothingSupportsThisEither',
          'Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis',
          'l: 0',
        ]),
      ),
    );
    expect(getHeaders(request, 'Require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(getHeaders(request, 'Proxy-Require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  });

  it('§3.3.6 invut: an unknown Content-Type PARSES with its body; the core answers 415', () => {
    const body = '<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n';
    const request = parsedRequest(
      wire(
        options(
          'sip:user@example.com',
          ['Contact: <sip:caller@host5.example.net>', 'Content-Type: application/unknownformat', `Content-Length: ${octets(body)}`],
          'INVITE',
        ),
        body,
      ),
    );
    expect([getHeader(request, 'Content-Type'), request.body.toString()]).toEqual(['application/unknownformat', body]);
  });

  it('§3.3.7 regaut01: an unknown Authorization scheme PARSES; the registrar challenges it', () => {
    const request = parsedRequest(
      wire([
        'REGISTER sip:example.com SIP/2.0',
        'To: sip:j.user@example.com',
        'From: sip:j.user@example.com;tag=87321hj23128',
        'Max-Forwards: 8',
        'Call-ID: regaut01.0ha0isndaksdj',
        'CSeq: 9338 REGISTER',
        via('192.0.2.253', 'z9hG4bKkdjuw'),
        'Authorization: NoOneKnowsThisScheme opaque-data=here',
        'Content-Length:0',
      ]),
    );
    const credentials = parseAuthValue(getHeader(request, 'Authorization')!);
    expect([credentials.scheme, credentials.params.get('opaque-data')]).toEqual(['NoOneKnowsThisScheme', 'here']);
  });

  it('§3.3.8 multi01: repeated single-value headers give a 400 whose response carries one of each', () => {
    const fault = rejected(
      wire([
        'INVITE sip:user@company.com SIP/2.0',
        'Contact: <sip:caller@host25.example.net>',
        via('192.0.2.25', 'z9hG4bKkdjuw'),
        'Max-Forwards: 70',
        'CSeq: 5 INVITE',
        'Call-ID: multi01.98asdh@192.0.2.1',
        'CSeq: 59 INVITE',
        'Call-ID: multi01.98asdh@192.0.2.2',
        'From: sip:caller@example.com;tag=3413415',
        'To: sip:user@example.com',
        'To: sip:other@example.net',
        'From: sip:caller@example.net;tag=2923420123',
        'l: 0',
        'Max-Forwards: 5',
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Multiple From headers']);
    const response = createResponse(fault.answerable!, 400, { reason: fault.reason, toTag: 'x1' });
    expect(['From', 'To', 'Call-ID', 'CSeq'].map((name) => getHeaders(response, name).length)).toEqual([1, 1, 1, 1]);
  });

  it('§3.3.9 mcl01: two different Content-Length values give a 400 on a datagram and lose the framing of a stream', () => {
    const data = wire(
      options('sip:user@example.com', ['Content-Length: 13', 'Max-Forwards: 60', 'Content-Length: 5', 'Content-Type: text/plain']),
      "There's no way to know how many octets are supposed to be here.",
    );
    const fault = rejected(data);
    expect([fault.status, fault.reason]).toEqual([400, 'Multiple Content-Length headers']);
    expect(fault.answerable).not.toBeNull();
    expect(() => new StreamFramer(16_384).push(data)).toThrow(/Conflicting Content-Length/);
  });

  it('§3.3.10 bcast: a 200 OK whose Via names the broadcast address PARSES; the transport must not send there', () => {
    const response = parsedResponse(
      wire([
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
        'Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23',
        'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
        'CSeq: 35 INVITE',
        'From: sip:user@example.com;tag=11141343',
        'To: sip:user@example.edu;tag=2229',
        'Contact: <sip:user@host28.example.com>',
        'Content-Length: 0',
      ]),
    );
    expect(parseVia(getHeaders(response, 'Via')[1]!).host).toBe('255.255.255.255');
  });

  it('§3.3.11 zeromf: Max-Forwards of zero PARSES; a proxy answers 483, a UAS may answer OPTIONS itself', () => {
    const request = parsedRequest(
      wire(options('sip:user@example.com', ['l: 0']).map((line) => (line.startsWith('Max-Forwards') ? 'Max-Forwards: 0' : line))),
    );
    expect(getHeader(request, 'Max-Forwards')).toBe('0');
  });

  it('§3.3.12 cparam01: a parameter after an addr-spec Contact is a header parameter, not a URI parameter', () => {
    const request = parsedRequest(
      wire(options('sip:registrar.example.com', ['Contact: sip:+19725552222@gw1.example.net;unknownparam', 'l: 0'], 'REGISTER')),
    );
    const contact = parseNameAddr(getHeader(request, 'Contact')!);
    expect([contact.params.has('unknownparam'), parseUri(contact.uri).params.size]).toEqual([true, 0]);
  });

  it('§3.3.13 cparam02: a parameter inside the <> of a Contact is a URI parameter', () => {
    const request = parsedRequest(
      wire(options('sip:registrar.example.com', ['Contact: <sip:+19725552222@gw1.example.net;unknownparam>', 'l: 0'], 'REGISTER')),
    );
    const contact = parseNameAddr(getHeader(request, 'Contact')!);
    expect([contact.params.size, parseUri(contact.uri).params.has('unknownparam')]).toEqual([0, true]);
  });

  it('§3.3.14 regescrt: a Contact URI with an escaped Route header PARSES and exposes the unescaped header', () => {
    const request = parsedRequest(
      wire(options('sip:registrar.example.com', ['Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>', 'l: 0'], 'REGISTER')),
    );
    expect(parseUri(parseNameAddr(getHeader(request, 'Contact')!).uri).headers.get('Route')).toBe('<sip:sip.example.com>');
  });

  it('§3.3.15 sdp01: an Accept that excludes application/sdp PARSES; the core answers 406 or 400', () => {
    const request = parsedRequest(
      wire(
        options(
          'sip:user@example.com',
          ['Accept: text/nobodyKnowsThis', 'Content-Type: application/sdp', `Content-Length: ${octets(sdpOffer)}`],
          'INVITE',
        ),
        sdpOffer,
      ),
    );
    expect(getHeaders(request, 'Accept')).toEqual(['text/nobodyKnowsThis']);
  });
});

describe('RFC 4475 §3.4: backward compatibility', () => {
  it('§3.4.1 inv2543: an RFC 2543 INVITE without branch cookie, From tag or Max-Forwards PARSES', () => {
    const request = parsedRequest(
      wire(
        [
          'INVITE sip:UserB@example.com SIP/2.0',
          'Via: SIP/2.0/UDP 192.0.2.5',
          'From: <sip:UserA@example.com>',
          'To: <sip:UserB@example.com>',
          'Call-ID: 1@192.0.2.5',
          'CSeq: 1 INVITE',
          'Contact: sip:UserA@192.0.2.5',
          'Content-Type: application/sdp',
          `Content-Length: ${octets(sdpOffer)}`,
        ],
        sdpOffer,
      ),
    );
    expect(parseVia(getHeader(request, 'Via')!).params.has('branch')).toBe(false);
    expect(parseNameAddr(getHeader(request, 'From')!).params.has('tag')).toBe(false);
    expect(getHeader(request, 'Max-Forwards')).toBeUndefined();
  });
});

describe('RFC 5118: IPv6 torture messages', () => {
  const headers = (extra: string[]) => [
    'To: <sip:user@example.com>',
    'From: <sip:user@example.com>;tag=81x2',
    'Call-ID: ipv6.SSG9559905523997077@hlau_4100',
    'Max-Forwards: 70',
    ...extra,
  ];
  const ipv6Sdp = [
    'v=0',
    'o=assistant 971731711378798081 0 IN IP6 2001:db8::20',
    's=Live video feed',
    'c=IN IP6 2001:db8::20',
    't=0 0',
    'm=audio 6000 RTP/AVP 0',
    '',
  ].join('\r\n');

  it('§4.1 ipv6-good: IPv6 references in the Request-URI, Via and Contact parse with their brackets', () => {
    const request = parsedRequest(
      wire([
        'REGISTER sip:[2001:db8::10] SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111',
        ...headers(['CSeq: 98176 REGISTER', 'Contact: "Caller" <sip:caller@[2001:db8::1]>', 'Content-Length: 0']),
      ]),
    );
    expect(parseUri(request.uri)).toMatchObject({ host: '[2001:db8::10]', port: null });
    expect(parseVia(getHeader(request, 'Via')!).host).toBe('[2001:db8::9:1]');
    expect(parseUri(parseNameAddr(getHeader(request, 'Contact')!).uri).host).toBe('[2001:db8::1]');
  });

  it('§4.2 ipv6-bad: an IPv6 address without brackets in the Request-URI gives a 400 that can be answered', () => {
    const fault = rejected(
      wire([
        'REGISTER sip:2001:db8::10 SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111',
        ...headers(['CSeq: 98176 REGISTER', 'Content-Length: 0']),
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Bad Request-URI: IPv6 address must be enclosed in []']);
    expect(fault.answerable).not.toBeNull();
  });

  it('§4.3 port-ambiguous: a port written inside the brackets is part of the address, so the URI has no port', () => {
    const request = parsedRequest(
      wire([
        'REGISTER sip:[2001:db8::10:5070] SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111',
        ...headers(['CSeq: 98176 REGISTER', 'Content-Length: 0']),
      ]),
    );
    expect(parseUri(request.uri)).toMatchObject({ host: '[2001:db8::10:5070]', port: null });
  });

  it('§4.4 port-unambiguous: a port after the closing bracket is the port', () => {
    const request = parsedRequest(
      wire([
        'REGISTER sip:[2001:db8::10]:5070 SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111',
        ...headers(['CSeq: 98176 REGISTER', 'Content-Length: 0']),
      ]),
    );
    expect(parseUri(request.uri)).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
  });

  it('§4.5 via-received-param-with-delim and -no-delim: a received parameter with or without brackets is accepted', () => {
    for (const received of ['[2001:db8::9:255]', '2001:db8::9:255']) {
      const request = parsedRequest(
        wire([
          'BYE sip:[2001:db8::10] SIP/2.0',
          `Via: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111;received=${received}`,
          ...headers(['CSeq: 218 BYE', 'Content-Length: 0']),
        ]),
      );
      const top = parseVia(getHeader(request, 'Via')!);
      expect([top.host, top.port, top.params.get('received')]).toEqual(['[2001:db8::9:1]', 6050, received]);
    }
  });

  it('§4.6 ipv6-in-sdp: an SDP body with IPv6 addresses passes through untouched', () => {
    const request = parsedRequest(
      wire(
        [
          'INVITE sip:user@[2001:db8::10] SIP/2.0',
          'Via: SIP/2.0/UDP [2001:db8::20];branch=z9hG4bKas3-111',
          ...headers([
            'CSeq: 8612 INVITE',
            'Contact: <sip:assistant@[2001:db8::20]>',
            'Content-Type: application/sdp',
            `Content-Length: ${octets(ipv6Sdp)}`,
          ]),
        ],
        ipv6Sdp,
      ),
    );
    expect(request.body.toString()).toBe(ipv6Sdp);
  });

  it('§4.7 mult-ip-in-header: a Via list mixing IPv6 and IPv4 hops, with ports and received parameters, splits into its hops', () => {
    const request = parsedRequest(
      wire([
        'BYE sip:user@host.example.net SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKjhja8781hjuaij65144',
        'Via: SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200',
        ...headers(['CSeq: 218 BYE', 'Content-Length: 0']),
      ]),
    );
    expect(getHeaders(request, 'Via').map((v) => [parseVia(v).host, parseVia(v).port])).toEqual([
      ['[2001:db8::9:1]', 6050],
      ['192.0.2.1', null],
      ['[2001:db8::9:255]', null],
    ]);
  });

  it('§4.8 mult-ip-in-sdp: an SDP body with one IPv4 and one IPv6 stream passes through untouched', () => {
    const body = [
      'v=0',
      'o=bob 280744730 28977631 IN IP4 host.example.com',
      's=-',
      't=0 0',
      'm=audio 22334 RTP/AVP 0',
      'c=IN IP4 192.0.2.1',
      'm=video 6024 RTP/AVP 107',
      'c=IN IP6 2001:db8::1',
      '',
    ].join('\r\n');
    const request = parsedRequest(
      wire(
        [
          'UPDATE sip:user@example.com SIP/2.0',
          'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111',
          ...headers(['CSeq: 2 UPDATE', 'Content-Type: application/sdp', `Content-Length: ${octets(body)}`]),
        ],
        body,
      ),
    );
    expect(request.body.toString()).toBe(body);
  });

  it('§4.9 ipv4-mapped-ipv6: IPv4-mapped IPv6 references in Via and Contact parse', () => {
    const request = parsedRequest(
      wire([
        'INVITE sip:user@example.com SIP/2.0',
        'Via: SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19',
        'Via: SIP/2.0/UDP [::ffff:192.0.2.2];branch=z9hG4bKas3-111',
        ...headers(['CSeq: 8912 INVITE', 'Contact: "T. desk phone" <sip:ted@[::ffff:192.0.2.2]>', 'Content-Length: 0']),
      ]),
    );
    expect(getHeaders(request, 'Via').map((v) => parseVia(v).host)).toEqual(['[::ffff:192.0.2.10]', '[::ffff:192.0.2.2]']);
    expect(parseUri(parseNameAddr(getHeader(request, 'Contact')!).uri).host).toBe('[::ffff:192.0.2.2]');
  });

  it('§4.10 ipv6-bug-abnf-3-colons and ipv6-correct-abnf-2-colons: the RFC 3261 three-colon form is tolerated as sent, beside the correct two-colon one', () => {
    for (const host of ['[2001:db8:::192.0.2.1]', '[2001:db8::192.0.2.1]']) {
      const request = parsedRequest(
        wire([
          `OPTIONS sip:user@${host} SIP/2.0`,
          `To: sip:user@${host}`,
          'From: sip:user@example.com;tag=810x2',
          'Via: SIP/2.0/UDP lab1.east.example.com;branch=z9hG4bKas3-111',
          'Call-ID: G9559905523997077@hlau_4100',
          'CSeq: 689 OPTIONS',
          'Max-Forwards: 70',
          'Content-Length: 0',
        ]),
      );
      expect(parseUri(request.uri).host).toBe(host);
    }
  });

  it('an IPv6 reference that is not an IPv6 address (too many groups) gives a 400', () => {
    const fault = rejected(
      wire([
        'OPTIONS sip:[1:2:3:4:5:6:7:8:9] SIP/2.0',
        'Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3',
        ...headers(['CSeq: 1 OPTIONS', 'Content-Length: 0']),
      ]),
    );
    expect([fault.status, fault.reason]).toEqual([400, 'Bad Request-URI: Bad IPv6 reference']);
  });
});
