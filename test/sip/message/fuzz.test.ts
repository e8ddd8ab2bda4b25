import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkNameAddr,
  checkUri,
  checkVia,
  createResponse,
  defaultParseLimits,
  parseMessage,
  parseNameAddr,
  parseUri,
  parseVia,
  quote,
  serializeMessage,
  SipSyntaxError,
  StreamFramer,
  type Frame,
  type SipHeader,
} from '../../../src/sip/message/index.js';
import { everydayMessages } from './corpus.js';
import { essence } from './wire.js';

/**
 * Property-based fuzzing of the parser and the stream framer. The invariants: parseMessage never
 * throws and never hangs, every fault is a 400, 413 or 505 with a one-line reason, every message it
 * accepts survives serialize → parse unchanged, and StreamFramer.push throws nothing but
 * SipSyntaxError. FUZZ_RUNS sets the runs per property (default 3000); CI keeps the default.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 3000);
/**
 * Each property gets its own time budget (8 s, several times what the default runs need on a
 * 2-core machine). On a machine busy with other work fast-check stops between runs when the budget
 * is spent and the property passes with the runs it made: speed is the benchmarks' business, and a
 * test that fails because a neighbour used the CPU tells nothing about the parser. A real hang is
 * still caught per message (`hangMs`) and by the test timeout.
 */
const budgetMs = Math.max(8_000, runs * 3);
const settings = (numRuns = runs) => ({
  numRuns,
  interruptAfterTimeLimit: budgetMs,
  markInterruptAsFailure: false,
});
const timeout = budgetMs * 3;
/** Far above what a 16 KiB message costs (well under a millisecond); only a hang trips it. */
const hangMs = 1_000;

function checkParse(data: Buffer): void {
  const started = performance.now();
  const outcome = parseMessage(data);
  expect(performance.now() - started).toBeLessThan(hangMs);
  if (!outcome.ok) {
    expect([400, 413, 505]).toContain(outcome.status);
    expect(outcome.reason).toMatch(/^[^\r\n]+$/);
    // Answering must not throw either: the transport builds and sends this response.
    if (outcome.answerable) serializeMessage(createResponse(outcome.answerable, outcome.status, { reason: outcome.reason, toTag: 'fz' }));
    return;
  }
  const wireForm = serializeMessage(outcome.message);
  const again = parseMessage(wireForm);
  if (!again.ok) expect.fail(`accepted, but its serialization is rejected: ${again.reason}`);
  expect(essence(again.message)).toEqual(essence(outcome.message));
  // What we send on a stream frames back as exactly itself (Buffer.equals: a deep toEqual on
  // octets costs a millisecond per message).
  const frames = new StreamFramer(defaultParseLimits.maxBytes * 2).push(wireForm);
  expect(frames.length === 1 && frames[0]!.kind === 'message' && frames[0]!.data.equals(wireForm)).toBe(true);
}

/** Pushes the chunks as a TCP socket would, stopping where the framer gives up on the stream. */
function checkFraming(chunks: Buffer[]): Frame[] {
  const framer = new StreamFramer(defaultParseLimits.maxBytes);
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    try {
      frames.push(...framer.push(chunk));
    } catch (error) {
      expect(error).toBeInstanceOf(SipSyntaxError);
      break;
    }
  }
  for (const frame of frames) if (frame.kind === 'message') checkParse(frame.data);
  return frames;
}

const describeFrames = (frames: Frame[]) => frames.map((f) => (f.kind === 'message' ? f.data.toString('hex') : 'ping'));

/** Cuts a buffer at the given offsets (taken modulo its length). */
function cut(data: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => (data.length === 0 ? 0 : o % data.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, data.length]) {
    chunks.push(data.subarray(from, point));
    from = point;
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// (a) random bytes

/** Fragments that make random input look like SIP often enough to reach the deeper code. */
const sipFragments = [
  'INVITE ',
  'ACK ',
  'SIP/2.0',
  'SIP/2.0 ',
  ' SIP/2.0',
  '200 OK',
  'sip:',
  'sips:',
  'tel:',
  '@',
  'example.com',
  '[2001:db8::1]',
  ':5060',
  '\r\n',
  '\r\n ',
  '\r',
  '\n',
  'SIP/2.0/UDP ',
  ';branch=',
  'z9hG4bK',
  ';received=',
  '1 INVITE',
  '4294967296',
  '0',
  '12',
  '-1',
  'Sat, 13 Nov 2010 23:29:00 GMT',
  ';tag=',
  '<',
  '>',
  '"',
  '\\',
  ',',
  ';',
  '=',
  ':',
  ' ',
  '\t',
  '%',
  '%00',
  '%zz',
  '?',
  '*',
  '\0',
  'é',
  '\uFEFF',
  '\u{1F600}',
  '\u2028',
];
const headerNames = [
  'Via',
  'v',
  'From',
  'f',
  'To',
  't',
  'Call-ID',
  'i',
  'CSeq',
  'Contact',
  'm',
  'Route',
  'Record-Route',
  'Max-Forwards',
  'Expires',
  'Date',
  'Content-Length',
  'l',
  'Allow',
  'X-Any',
];
const fragments = fc
  .array(fc.oneof(fc.constantFrom(...sipFragments), fc.string({ maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join(''));
/** A start line and header lines of random SIP-shaped text, ended by the empty line, and a body. */
const sipish = fc
  .tuple(
    fc.oneof(fc.constantFrom('INVITE sip:a@example.com SIP/2.0', 'SIP/2.0 200 OK', 'OPTIONS sip:[::1] SIP/2.0'), fragments),
    fc.array(fc.tuple(fc.constantFrom(...headerNames), fragments), { maxLength: 12 }),
    fc.string({ maxLength: 20 }),
  )
  .map(([start, headers, body]) =>
    Buffer.from([start, ...headers.map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n'), 'utf8'),
  );
/** Random octets, half of them ended by an empty line so they get past the header search. */
const randomBytes = fc
  .tuple(fc.uint8Array({ maxLength: 2048 }), fc.boolean())
  .map(([bytes, ended]) => Buffer.concat([Buffer.from(bytes), Buffer.from(ended ? '\r\n\r\n' : '')]));

describe('(a) random bytes', () => {
  it(
    'parseMessage never throws on arbitrary bytes and every fault is a 400, 413 or 505',
    () => {
      fc.assert(fc.property(randomBytes, checkParse), settings());
    },
    timeout,
  );

  it(
    'parseMessage never throws on random SIP-shaped text',
    () => {
      fc.assert(fc.property(sipish, checkParse), settings());
    },
    timeout,
  );

  it(
    'StreamFramer.push throws only SipSyntaxError on arbitrary bytes in arbitrary chunks',
    () => {
      fc.assert(
        fc.property(fc.oneof(sipish, randomBytes), fc.array(fc.nat(), { maxLength: 6 }), (data, offsets) => {
          checkFraming(cut(data, offsets));
        }),
        settings(),
      );
    },
    timeout,
  );
});

// ---------------------------------------------------------------------------------------------
// (b) mutations of valid messages

const insertions = [
  '\r',
  '\n',
  '\r\n',
  '\r\n ',
  '\0',
  '"',
  '<',
  '>',
  ',',
  ';',
  ':',
  ' ',
  '\t',
  '%',
  '%00',
  '[',
  ']',
  '\\',
  '99999999999999999999',
  '4294967296',
  '-1',
  'é',
  '\uFEFF',
];
type Mutation =
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line' | 'remove-line'; line: number }
  | { kind: 'insert'; at: number; text: Buffer };

/** Weighted so that most mutants stay ASCII and keep their empty line, and so reach the deeper checks. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 127 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 128, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('duplicate-line' as const, 'remove-line' as const), line: fc.nat() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom(...insertions.map((text) => Buffer.from(text, 'utf8')), Buffer.from([0xff])),
    }),
  },
);

function mutate(data: Buffer, change: Mutation): Buffer {
  const at = (n: number) => (data.length === 0 ? 0 : n % (data.length + 1));
  switch (change.kind) {
    case 'flip': {
      if (data.length === 0) return data;
      const copy = Buffer.from(data);
      copy[change.at % copy.length]! ^= change.bits;
      return copy;
    }
    case 'truncate':
      return data.subarray(0, at(change.at));
    case 'insert':
      return Buffer.concat([data.subarray(0, at(change.at)), change.text, data.subarray(at(change.at))]);
    case 'duplicate-line':
    case 'remove-line': {
      const lines = data.toString('latin1').split('\r\n');
      const index = change.line % lines.length;
      if (change.kind === 'remove-line') lines.splice(index, 1);
      else lines.splice(index, 0, lines[index]!);
      return Buffer.from(lines.join('\r\n'), 'latin1');
    }
  }
}

const seeds = Object.values(everydayMessages);
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, changes]) => changes.reduce(mutate, seed));

describe('(b) mutations of valid messages', () => {
  it(
    'a valid message with flipped bytes, truncation, duplicated or removed lines, or inserted CR, LF, NUL, quotes, brackets and huge numbers never makes the parser throw, and what it accepts round-trips',
    () => {
      fc.assert(fc.property(mutated, checkParse), settings());
    },
    timeout,
  );

  it(
    'a mutated message followed by a valid one, in arbitrary chunks, never makes the framer throw anything but SipSyntaxError',
    () => {
      fc.assert(
        fc.property(mutated, fc.constantFrom(...seeds), fc.array(fc.nat(), { maxLength: 6 }), (bad, good, offsets) => {
          checkFraming(cut(Buffer.concat([bad, good]), offsets));
        }),
        settings(),
      );
    },
    timeout,
  );
});

// ---------------------------------------------------------------------------------------------
// (c) structured messages built from the grammar

const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,12}$/);
const method = fc.oneof(
  fc.constantFrom(
    'INVITE',
    'ACK',
    'BYE',
    'CANCEL',
    'OPTIONS',
    'REGISTER',
    'MESSAGE',
    'SUBSCRIBE',
    'NOTIFY',
    'REFER',
    'INFO',
    'UPDATE',
    'PRACK',
    'PUBLISH',
  ),
  token,
);
const hostname = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/), { maxLength: 3 }), fc.stringMatching(/^[a-zA-Z]{2,6}$/))
  .map(([labels, top]) => [...labels, top].join('.'));
const host = fc.oneof(
  hostname,
  fc.ipV4(),
  fc.ipV6().map((address) => `[${address}]`),
);
const hostport = fc
  .tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([h, p]) => (p === undefined ? h : `${h}:${p}`));
const escapedAscii = fc.integer({ min: 0, max: 0x7f }).map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`);
const user = fc
  .array(fc.oneof(fc.constantFrom(..."abcxyzABC0129-_.!~*'()&=+$,;?/".split('')), escapedAscii), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));
const paramChars = fc.stringMatching(/^[a-z0-9\-_.!~*'+]{1,8}$/);
const uriParams = fc
  .array(fc.tuple(paramChars, fc.option(paramChars, { nil: undefined })), { maxLength: 3 })
  .map((params) => params.map(([name, value]) => (value === undefined ? `;${name}` : `;${name}=${value}`)).join(''));
const sipUri = fc
  .tuple(fc.constantFrom('sip', 'sips'), fc.option(user, { nil: undefined }), hostport, uriParams)
  .map(([scheme, u, hp, params]) => `${scheme}:${u === undefined ? '' : `${u}@`}${hp}${params}`);
const withoutControls = (text: string) => [...text].filter((char) => char >= ' ' && char !== '\x7f').join('');
/** Display text: any graphemes but control characters (qdtext excludes them, §25.1). */
const displayText = fc.string({ unit: 'grapheme', maxLength: 12 }).map(withoutControls);
const displayName = fc.oneof(
  fc.constant(''),
  fc.array(token, { minLength: 1, maxLength: 3 }).map((words) => `${words.join(' ')} `),
  displayText.map((text) => `${quote(text)} `),
);
const headerParams = fc
  .array(
    fc.oneof(
      token.map((t) => `;${t}`),
      fc.tuple(token, token).map(([n, v]) => `;${n}=${v}`),
      fc.tuple(token, displayText).map(([n, v]) => `;${n}=${quote(v)}`),
    ),
    {
      maxLength: 3,
    },
  )
  .map((params) => params.join(''));
const nameAddr = fc.tuple(displayName, sipUri, headerParams).map(([display, uri, params]) => `${display}<${uri}>${params}`);
const transport = fc.oneof(
  fc.constantFrom('UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'),
  token.map((t) => t.toUpperCase()),
);
const via = fc
  .tuple(transport, hostport, token, fc.boolean(), fc.option(fc.ipV4(), { nil: undefined }))
  .map(
    ([t, hp, branch, rport, received]) =>
      `SIP/2.0/${t} ${hp};branch=z9hG4bK${branch}${rport ? ';rport' : ''}${received ? `;received=${received}` : ''}`,
  );
const callId = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]{1,20}(@[a-z0-9.-]{1,12})?$/);
/** Unknown header text: anything printable, no LWS at either end (the parser trims it). */
const headerText = fc.string({ unit: 'grapheme', maxLength: 30 }).map((text) => withoutControls(text).replace(/^[ \t]+|[ \t]+$/g, ''));

interface Built {
  startLine: string;
  lines: string[];
  expected: SipHeader[];
  body: Buffer;
}

/** A header written long or compact, folded after the colon or not, as one line or one per value. */
const written = (long: string, compact: string | null, values: string[], list: boolean) =>
  fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()).map(([useCompact, fold, oneLine]) => {
    const name = useCompact && compact !== null ? compact : long;
    const line = (value: string) => `${name}:${fold ? '\r\n ' : ' '}${value}`;
    const lines = list && oneLine && values.length > 1 ? [line(values.join(', '))] : values.map(line);
    return { lines, expected: values.map((value) => ({ name: long, value })) };
  });

const structured: fc.Arbitrary<Built> = fc
  .record({
    request: fc.boolean(),
    method,
    requestUri: sipUri,
    status: fc.integer({ min: 100, max: 699 }),
    reason: headerText,
    vias: fc.array(via, { minLength: 1, maxLength: 3 }),
    from: nameAddr,
    to: nameAddr,
    callId,
    seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    maxForwards: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    contacts: fc.array(nameAddr, { maxLength: 3 }),
    extensions: fc.array(
      fc.tuple(
        token.map((t) => `X-${t}`),
        headerText,
      ),
      { maxLength: 3 },
    ),
    body: fc.uint8Array({ maxLength: 200 }).map(Buffer.from),
  })
  .chain((m) =>
    fc
      .tuple(
        written('Via', 'v', m.vias, true),
        written('From', 'f', [m.from], false),
        written('To', 't', [m.to], false),
        written('Call-ID', 'i', [m.callId], false),
        written('CSeq', null, [`${m.seq} ${m.method}`], false),
        written('Max-Forwards', null, m.maxForwards === undefined ? [] : [String(m.maxForwards)], false),
        written('Contact', 'm', m.contacts, true),
        fc.tuple(...m.extensions.map(([name, value]) => written(name, null, [value], false))),
        written('Content-Length', 'l', [String(m.body.length)], false),
      )
      .map(([vias, from, to, id, cseq, maxForwards, contacts, extensions, length]) => {
        const headers = [vias, from, to, id, cseq, maxForwards, contacts, ...extensions, length];
        return {
          startLine: m.request ? `${m.method} ${m.requestUri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`,
          lines: headers.flatMap((h) => h.lines),
          expected: headers
            .flatMap((h) => h.expected)
            .map((h) => ({ ...h, name: h.name.replace(/^X-(.)/, (_, c: string) => `X-${c.toUpperCase()}`) })),
          body: m.body,
        };
      }),
  );

const encode = (built: Built) =>
  Buffer.concat([Buffer.from([built.startLine, ...built.lines].join('\r\n') + '\r\n\r\n', 'utf8'), built.body]);

describe('(c) structured messages from the grammar', () => {
  it(
    'every message built from the grammar parses to the values it was built from, and round-trips',
    () => {
      fc.assert(
        fc.property(structured, (built) => {
          const outcome = parseMessage(encode(built));
          if (!outcome.ok) expect.fail(`rejected: ${outcome.reason}\n${encode(built).toString()}`);
          const message = outcome.message;
          expect(
            message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`,
          ).toBe(built.startLine);
          expect(message.headers.map((h) => ({ ...h, name: h.name.toLowerCase() }))).toEqual(
            built.expected.map((h) => ({ ...h, name: h.name.toLowerCase() })),
          );
          expect(message.body.equals(built.body)).toBe(true);
          checkParse(encode(built));
        }),
        settings(),
      );
    },
    timeout,
  );

  it(
    'a stream of such messages and pings, cut anywhere, frames exactly as it does in one piece',
    () => {
      const item = fc.oneof(
        { weight: 4, arbitrary: structured.map(encode) },
        { weight: 1, arbitrary: fc.constant(Buffer.from('\r\n\r\n')) },
      );
      fc.assert(
        fc.property(fc.array(item, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 8 }), (items, offsets) => {
          const stream = Buffer.concat(items);
          const whole = describeFrames(new StreamFramer(defaultParseLimits.maxBytes).push(stream));
          expect(whole).toEqual(items.map((i) => (i.toString() === '\r\n\r\n' ? 'ping' : i.toString('hex'))));
          expect(describeFrames(checkFraming(cut(stream, offsets)))).toEqual(whole);
        }),
        settings(Math.ceil(runs / 3)),
      );
    },
    timeout,
  );
});

describe('adversarial inputs near the size limit finish quickly', () => {
  const near = defaultParseLimits.maxBytes - 512;
  const cases: Record<string, string[]> = {
    'a Via host of colons': [`Via: SIP/2.0/UDP ${'1:'.repeat(near / 2)}x`],
    'a Via of digits after a colon': [`Via: SIP/2.0/UDP a:${'1'.repeat(near)} x`],
    'a Contact of open angle brackets': [`Contact: ${'<'.repeat(near)}`],
    'a Contact of quotes and escapes': [`Contact: "${'\\"'.repeat(near / 2)}`],
    'a To of semicolons': [`To: <sip:a@b>${';'.repeat(near)}`],
    'a hostname of one long label': [`To: <sip:${'a'.repeat(near)}!>`],
    'a hostname of many labels': [`To: <sip:${'a.'.repeat(near / 2)}-->`],
    'a user part of escapes': [`To: <sip:${'%4'.repeat(near / 2)}@b>`],
    'a list of empty elements': [`Allow: ${','.repeat(near)}`],
    'a CSeq of spaces': [`CSeq: 1${' '.repeat(near)}x`],
  };
  it.each(Object.entries(cases))('%s', (_name, lines) => {
    const data = Buffer.from(['INVITE sip:a@example.com SIP/2.0', ...lines, 'Content-Length: 0', '', ''].join('\r\n'));
    expect(data.length).toBeLessThanOrEqual(defaultParseLimits.maxBytes);
    checkParse(data);
    checkFraming([data]);
  });
});

/**
 * The parser checks every Via, address and URI of a message without building them (checkVia,
 * checkNameAddr, checkUri); the layers above build the few they read (parseVia, parseNameAddr,
 * parseUri). Both go through one implementation, and this holds them to it: on any text, the check
 * refuses exactly what the parse refuses, with the same reason, and checkNameAddr names the URI
 * parseNameAddr finds.
 */
describe('checking a value refuses exactly what parsing it refuses', () => {
  const outcome = (read: () => unknown): { ok: true; value: unknown } | { ok: false; reason: string } => {
    try {
      return { ok: true, value: read() };
    } catch (error) {
      if (!(error instanceof SipSyntaxError)) throw error;
      return { ok: false, reason: error.message };
    }
  };
  const sameVerdict = (check: () => unknown, parse: () => unknown) => {
    const checked = outcome(check);
    const parsed = outcome(parse);
    expect(checked.ok).toBe(parsed.ok);
    if (!checked.ok && !parsed.ok) expect(checked.reason).toBe(parsed.reason);
    return { checked, parsed };
  };
  const viaLike = fc
    .tuple(fc.constantFrom('SIP/2.0/UDP ', 'SIP/2.0/TCP ', ' SIP / 2.0 / TLS ', 'SIP/2.0/WSS '), fragments)
    .map(([start, rest]) => start + rest);
  const addressLike = fc
    .tuple(fc.constantFrom('', '"Alice" ', 'Bob ', '<', 'sip:', '<sip:'), fragments, fc.constantFrom('', '>', '>;tag=1', ';tag=a'))
    .map(([start, middle, end]) => start + middle + end);
  const uriLike = fc.tuple(fc.constantFrom('sip:', 'sips:', 'SIP:', 'tel:', ''), fragments).map(([scheme, rest]) => scheme + rest);

  it(
    'Via',
    () => {
      fc.assert(
        fc.property(fc.oneof(viaLike, fragments), (text) => {
          sameVerdict(
            () => checkVia(text),
            () => parseVia(text),
          );
        }),
        settings(),
      );
    },
    timeout,
  );

  it(
    'name-addr and addr-spec',
    () => {
      fc.assert(
        fc.property(fc.oneof(addressLike, fragments), (text) => {
          const { checked, parsed } = sameVerdict(
            () => checkNameAddr(text),
            () => parseNameAddr(text),
          );
          if (checked.ok && parsed.ok) expect(checked.value).toBe((parsed.value as { uri: string }).uri);
        }),
        settings(),
      );
    },
    timeout,
  );

  it(
    'SIP URI',
    () => {
      fc.assert(
        fc.property(fc.oneof(uriLike, fragments), (text) => {
          sameVerdict(
            () => checkUri(text),
            () => parseUri(text),
          );
        }),
        settings(),
      );
    },
    timeout,
  );

  it.each([
    ['SIP/2.0/UDP host;branch', 'Via'],
    ['SIP/2.0/UDP host;branch=', 'Via'],
    ['SIP/2.0/UDP host;branch=z9hG4bK1;branch', 'Via'],
    ['<sip:a@b> junk', 'address'],
    ['"unterminated <sip:a@b>', 'address'],
    ['<sip:a@b>;;tag=1', 'address'],
    ['sip:a@b?x=%C3%28', 'uri'],
    ['sip:%C3%28@b', 'uri'],
    ['sip:a@b;p=%FF', 'uri'],
  ])('%s (%s) is refused alike', (text, kind) => {
    const [check, parse] =
      kind === 'Via'
        ? [() => checkVia(text), () => parseVia(text)]
        : kind === 'address'
          ? [() => checkNameAddr(text), () => parseNameAddr(text)]
          : [() => checkUri(text), () => parseUri(text)];
    const { checked } = sameVerdict(check, parse);
    expect(checked.ok).toBe(false);
  });
});
