import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalHeaderName,
  checkNameAddr,
  checkUri,
  checkVia,
  formatNameAddr,
  formatUri,
  formatVia,
  isIpv6Reference,
  isPlainSipNameAddr,
  isPlainVia,
  parseAuthValue,
  parseCSeq,
  parseHostPort,
  parseNameAddr,
  parseParams,
  parseSipDate,
  parseSmallInteger,
  parseUri,
  parseVia,
  quote,
  SipSyntaxError,
  splitOutside,
  trimLws,
  unquote,
} from '../../../src/sip/message/index.js';

describe('splitting lists (§7.3.1)', () => {
  it('splits on commas outside quoted strings and angle brackets only', () => {
    expect(splitOutside('"Smith, John" <sip:a@x;p=1,2>;q=1, <sip:b@y?h=a,b>', ',')).toEqual([
      '"Smith, John" <sip:a@x;p=1,2>;q=1',
      ' <sip:b@y?h=a,b>',
    ]);
  });

  it('an escaped quote does not end a quoted string', () => {
    expect(splitOutside('"a \\", b", c', ',')).toEqual(['"a \\", b"', ' c']);
  });

  it('an unterminated quoted string is a syntax error', () => {
    expect(() => splitOutside('"open, and never closed', ',')).toThrow(SipSyntaxError);
  });
});

describe('quoted strings and LWS (§25.1)', () => {
  it('unquote removes the quotes and the quoted-pair escapes, and quote puts them back', () => {
    expect(unquote(' "say \\"hi\\" \\\\ bye" ')).toBe('say "hi" \\ bye');
    expect(unquote(quote('say "hi" \\ bye'))).toBe('say "hi" \\ bye');
  });

  it('unquote rejects an unterminated string and text after the closing quote', () => {
    expect(() => unquote('"abc\\"')).toThrow('Unterminated quoted string');
    expect(() => unquote('"abc" def')).toThrow('Text after quoted string');
  });

  it('LWS is spaces and tabs only, so a byte-order mark or no-break space is kept', () => {
    expect(trimLws(' \t\uFEFFvalue\u00A0\t ')).toBe('\uFEFFvalue\u00A0');
  });
});

describe('generic parameters (§7.3.1, §25.1)', () => {
  it('reads flags, values and quoted values, lower-casing names', () => {
    expect(parseParams(' ;TAG = abc ; lr ;  q=0.5;+sip.instance="<urn:uuid:1;2>"')).toEqual(
      new Map([
        ['tag', 'abc'],
        ['lr', null],
        ['q', '0.5'],
        ['+sip.instance', '"<urn:uuid:1;2>"'],
      ]),
    );
  });

  it('rejects empty parameters, empty values, bad names and text before the first semicolon', () => {
    expect(() => parseParams(';a;;b')).toThrow('Empty parameter');
    expect(() => parseParams(';a;')).toThrow('Empty parameter');
    expect(() => parseParams(';tag=')).toThrow('Empty value for parameter "tag"');
    expect(() => parseParams(';a b=1')).toThrow('Bad parameter name');
    expect(() => parseParams('junk;tag=1')).toThrow('Expected ";" before parameters');
  });
});

describe('SIP URIs (§19.1)', () => {
  it('reads every part of a full URI', () => {
    expect(parseUri('sips:alice:secretword@Atlanta.Example.COM:5061;transport=TCP;lr?subject=project%20x&priority=urgent')).toEqual({
      scheme: 'sips',
      user: 'alice',
      password: 'secretword',
      host: 'atlanta.example.com',
      port: 5061,
      params: new Map([
        ['transport', 'TCP'],
        ['lr', null],
      ]),
      headers: new Map([
        ['subject', 'project x'],
        ['priority', 'urgent'],
      ]),
    });
  });

  it('a user part may hold ;, ? and / (user-unreserved), and the last @ ends it', () => {
    const uri = parseUri('sip:+1-212-555-1212;phone-context=example.com?x/y@gw.example.com;user=phone');
    expect([uri.user, uri.host, uri.params.get('user'), uri.headers.size]).toEqual([
      '+1-212-555-1212;phone-context=example.com?x/y',
      'gw.example.com',
      'phone',
      0,
    ]);
  });

  it('unescapes the user part and URI parameters, and formats them back escaped (§19.1.2, §19.1.4)', () => {
    const uri = parseUri('sip:%61lice%20smith@example.com;%6C%72;maddr=%5B2001%3Adb8%3A%3A1%5D;x=a%3Bb');
    expect([uri.user, [...uri.params]]).toEqual([
      'alice smith',
      [
        ['lr', null],
        ['maddr', '[2001:db8::1]'],
        ['x', 'a;b'],
      ],
    ]);
    expect(formatUri(uri)).toBe('sip:alice%20smith@example.com;lr;maddr=[2001:db8::1];x=a%3Bb');
    expect(parseUri(formatUri(uri))).toEqual(uri);
  });

  it('characters outside the ASCII of a URI (including astral ones) are escaped when formatted and decoded when parsed', () => {
    const uri = { ...parseUri('sip:x@example.com'), user: 'émile 🙂' };
    expect(formatUri(uri)).toBe('sip:%C3%A9mile%20%F0%9F%99%82@example.com');
    expect(parseUri(formatUri(uri)).user).toBe('émile 🙂');
  });

  it('IPv6 references keep their brackets and the port follows them', () => {
    expect(parseHostPort('[2001:DB8::1]:5070')).toEqual({ host: '[2001:db8::1]', port: 5070 });
    expect(parseHostPort('[::ffff:192.0.2.1]')).toEqual({ host: '[::ffff:192.0.2.1]', port: null });
    expect(isIpv6Reference('[2001:db8:::192.0.2.1]')).toBe(true); // RFC 5118 §4.10
    expect(isIpv6Reference('[2001:db8:::1]')).toBe(false);
    expect(isIpv6Reference('[1:2:3:4:5:6:7:8:9]')).toBe(false);
  });

  it.each([
    ['sip:', 'Bad host'],
    ['sip:user@', 'Bad host'],
    ['sip:@example.com', 'Bad user part in URI'],
    ['sip:example.com:65536', 'Bad port'],
    ['sip:example.com:', 'Bad port'],
    ['sip:256.1.1.1', 'Bad IPv4 address'],
    ['sip:2001:db8::1', 'IPv6 address must be enclosed in []'],
    ['sip:[2001:db8::1', 'Unterminated IPv6 reference'],
    ['sip:[2001:db8::1]x', 'Bad host'],
    ['sip:a b@example.com', 'Illegal character in URI'],
    ['sip:a@example.com;lr;', 'Bad URI parameter'],
    ['sip:a@example.com;x="q"', 'Illegal character in URI'],
    ['sip:%zz@example.com', 'Bad user part in URI'],
    ['sip:%ff@example.com', 'Bad escape in URI'],
    ['tel:+1-555-0100', 'Unsupported URI scheme tel'],
  ])('%s is rejected: %s', (text, reason) => {
    expect(() => parseUri(text)).toThrow(new SipSyntaxError(reason));
  });
});

describe('name-addr and addr-spec (§20.10, §25.1)', () => {
  it('reads a quoted display name with escapes, the URI and the header parameters', () => {
    expect(parseNameAddr(' "Bob \\"the builder\\"" <sip:bob@example.com;transport=tcp> ; tag=88 ;expires=60')).toEqual({
      displayName: 'Bob "the builder"',
      uri: 'sip:bob@example.com;transport=tcp',
      params: new Map([
        ['tag', '88'],
        ['expires', '60'],
      ]),
    });
  });

  it('reads token display names, with or without a space before <', () => {
    expect(parseNameAddr('Bob  Smith <sip:bob@example.com>').displayName).toBe('Bob  Smith');
    expect(parseNameAddr('Bob<sip:bob@example.com>').displayName).toBe('Bob');
  });

  it('without <>, the parameters after the URI belong to the header', () => {
    const addr = parseNameAddr('sip:bob@example.com ;tag=1;lr');
    expect([addr.uri, [...addr.params.keys()]]).toEqual(['sip:bob@example.com', ['tag', 'lr']]);
  });

  it('formats back to a form that parses to the same address', () => {
    const addr = parseNameAddr('"A \\\\ B" <sip:ab@example.com>;tag=x');
    expect(parseNameAddr(formatNameAddr(addr))).toEqual(addr);
  });

  it.each([
    ['', 'Empty address'],
    ['<>', 'Empty address'],
    ['"Unterminated <sip:a@b>', 'Unterminated quoted string in display name'],
    ['<sip:a@example.com', 'Unterminated <address>'],
    ['A, B <sip:a@example.com>', 'Non-token characters in display name'],
    ['< sip:a@example.com>', 'Spaces within addr-spec'],
    ['"A" junk <sip:a@example.com>', 'Text after quoted string'],
    ['<sip:a@example.com> junk', 'Expected ";" before parameters'],
    ['sip:a@example.com?subject=x', 'A URI with headers must be enclosed in <>'],
  ])('%j is rejected: %s', (text, reason) => {
    expect(() => parseNameAddr(text)).toThrow(new SipSyntaxError(reason));
  });
});

describe('Via (§20.42)', () => {
  it('reads protocol, host, port and parameters with LWS around the separators', () => {
    const via = parseVia(' SIP / 2.0 / tcp  [2001:db8::9] : 5070 ; branch = z9hG4bK1 ; rport ; received=[2001:db8::1]');
    expect(via).toEqual({
      transport: 'TCP',
      host: '[2001:db8::9]',
      port: 5070,
      params: new Map([
        ['branch', 'z9hG4bK1'],
        ['rport', null],
        ['received', '[2001:db8::1]'],
      ]),
    });
    expect(parseVia(formatVia(via))).toEqual(via);
  });

  it('rejects another protocol version, a missing host and an empty branch', () => {
    expect(() => parseVia('SIP/3.0/UDP host')).toThrow('Bad Via');
    expect(() => parseVia('SIP/2.0/UDP')).toThrow('Bad Via');
    expect(() => parseVia('SIP/2.0/UDP host;branch')).toThrow('Bad Via branch');
  });
});

describe('the plain shapes the parser recognises in one pass (issue #17)', () => {
  const addresses = [
    '<sip:8610000002@videophone.example>',
    '<sip:8610000001@videophone.example>;tag=11232SIPpTag001',
    '<sip:8610000002@127.0.0.1:5062;transport=UDP>',
    '<sips:alice@[2001:db8::1]:5061>',
    '<sip:127.0.0.1:5060;transport=udp;lr;vpf=AAECAwQFBgcI-_x>',
    '<sip:87100@127.0.0.1:5063;transport=UDP>;expires=3600',
    '"Alice" <sip:alice@example.com>;tag=1',
    '<sip:alice;day=tue@example.com>',
    '<sip:%61lice@example.com>',
    'sip:alice@example.com;tag=9',
    '<sip:a@b.example?subject=x>',
    '<sip:alice@example.com>;+sip.instance="<urn:uuid:0c5c>";reg-id=1',
    '<sip:a@255.255.255.255:65535;x=y>;q=1',
  ];
  const vias = [
    'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvp.3f2a9c1e5b7d4a60.1;rport',
    'SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-1-5;rport=5061;received=127.0.0.1',
    'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK6451337',
    'SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK1',
    'SIP / 2.0 / UDP host;branch=z9hG4bK1',
    'SIP/2.0/UDP host;branch',
    'SIP/2.0/TLS 192.0.2.255:65535;branch=z9hG4bK.a;received=192.0.2.1',
  ];
  /** What the full grammar says of an address: the parser's check (checkAddress) is these two. */
  const fullGrammarAccepts = (address: string): boolean => {
    try {
      checkUri(checkNameAddr(address));
      return true;
    } catch (error) {
      if (!(error instanceof SipSyntaxError)) throw error;
      return false;
    }
  };
  const fullGrammarAcceptsVia = (via: string): boolean => {
    try {
      parseVia(via);
      return true;
    } catch (error) {
      if (!(error instanceof SipSyntaxError)) throw error;
      return false;
    }
  };
  /** Seeds changed a character at a time, with the characters that end one part of the grammar and start another. */
  const mutated = (seeds: string[]) =>
    fc
      .tuple(
        fc.constantFrom(...seeds),
        fc.array(
          fc.record({
            at: fc.nat(),
            change: fc.constantFrom('insert', 'delete', 'replace'),
            char: fc.constantFrom(...'<>;=@:.-%"[]?&/, \t09aZ_~é'),
          }),
          { maxLength: 4 },
        ),
      )
      .map(([seed, changes]) =>
        changes.reduce((text, { at, change, char }) => {
          const index = at % (text.length + 1);
          if (change === 'insert') return text.slice(0, index) + char + text.slice(index);
          if (change === 'delete') return text.slice(0, index) + text.slice(index + 1);
          return text.slice(0, index) + char + text.slice(index + 1);
        }, seed),
      );

  it('recognises what sipp, JsSIP and our proxy write, and leaves other forms to the full grammar', () => {
    expect(addresses.map(isPlainSipNameAddr)).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(vias.map(isPlainVia)).toEqual([true, true, true, false, false, false, true]);
  });

  it('an address recognised as plain is one the full grammar accepts, whatever the text', () => {
    fc.assert(
      fc.property(mutated(addresses), (address) => {
        if (isPlainSipNameAddr(address)) expect(fullGrammarAccepts(address), address).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('a Via recognised as plain is one the full grammar accepts and reads alike, and checkVia refuses what the full grammar refuses', () => {
    fc.assert(
      fc.property(mutated(vias), (via) => {
        const accepted = fullGrammarAcceptsVia(via);
        if (isPlainVia(via)) {
          expect(accepted, via).toBe(true);
          // The same Via with a space the plain reading does not take, so the full grammar reads it.
          expect(parseVia(via), via).toEqual(parseVia(via.replace('SIP/2.0/', 'SIP/2.0/ ')));
        }
        if (!accepted) expect(() => checkVia(via), via).toThrow(SipSyntaxError);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('scalars (§8.1.1.5, §20.16, §20.22, §20.17)', () => {
  it('a CSeq number is below 2**31, with leading zeros allowed', () => {
    expect(parseCSeq('0009 INVITE')).toEqual({ seq: 9, method: 'INVITE' });
    expect(parseCSeq(`${2 ** 31 - 1} BYE`).seq).toBe(2 ** 31 - 1);
    expect(() => parseCSeq(`${2 ** 31} BYE`)).toThrow('Bad CSeq');
    expect(() => parseCSeq('1INVITE')).toThrow('Bad CSeq');
    expect(() => parseCSeq('-1 INVITE')).toThrow('Bad CSeq');
  });

  it('small integers are plain decimal digits within their range', () => {
    expect(parseSmallInteger(' 070 ', 'Max-Forwards', 255)).toBe(70);
    expect(() => parseSmallInteger('256', 'Max-Forwards', 255)).toThrow('Bad Max-Forwards');
    expect(() => parseSmallInteger('1e3', 'Expires')).toThrow('Bad Expires');
    expect(() => parseSmallInteger('', 'Expires')).toThrow('Bad Expires');
  });

  it('a Date is an RFC 1123 date in GMT', () => {
    expect(parseSipDate('Sat, 13 Nov 2010 23:29:00 GMT').toISOString()).toBe('2010-11-13T23:29:00.000Z');
    expect(() => parseSipDate('Sat, 13 Nov 2010 23:29:00 EST')).toThrow('Bad Date');
    expect(() => parseSipDate('Sat, 30 Feb 2010 23:29:00 GMT')).toThrow('Bad Date');
    expect(() => parseSipDate('Sat, 13 Nov 2010 24:29:00 GMT')).toThrow('Bad Date');
  });
});

describe('credentials (RFC 7616 §3.4)', () => {
  it('reads digest parameters, with commas inside quoted values', () => {
    const value = parseAuthValue(
      'Digest username="bob", realm="biloxi.example.com", qop=auth, uri="sip:bob@biloxi.example.com", cnonce="a,b"',
    );
    expect([value.scheme, value.params.get('qop'), value.params.get('cnonce')]).toEqual(['Digest', 'auth', 'a,b']);
    expect(() => parseAuthValue('Digest realm')).toThrow('Bad credentials parameter');
  });
});

describe('header names (§7.3.3)', () => {
  it('expands compact forms and spells irregular names canonically', () => {
    expect(['v', 'F', 't', 'i', 'm', 'l', 'c', 'k', 's', 'e', 'o', 'u', 'x'].map(canonicalHeaderName)).toEqual([
      'Via',
      'From',
      'To',
      'Call-ID',
      'Contact',
      'Content-Length',
      'Content-Type',
      'Supported',
      'Subject',
      'Content-Encoding',
      'Event',
      'Allow-Events',
      'Session-Expires',
    ]);
    expect(['call-id', 'CSEQ', 'www-authenticate', 'max-forwards', 'x-custom-thing'].map(canonicalHeaderName)).toEqual([
      'Call-ID',
      'CSeq',
      'WWW-Authenticate',
      'Max-Forwards',
      'X-Custom-Thing',
    ]);
  });
});
