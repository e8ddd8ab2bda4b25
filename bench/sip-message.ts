/**
 * Issue #17: what our SIP message layer costs per message, outside any socket or database. Every
 * datagram the proxy handles is parsed once (with the checks RFC 4475 asks for), read by the layers
 * above (top Via, From and To tags, CSeq, Call-ID: what the transaction layer and the proxy look at
 * for each message) and, when forwarded, serialized again. The messages are the ones a call of
 * `bench:sip` brings: an INVITE with credentials and SDP, its 180 and 200 as they come back from the
 * callee through the proxy's Via and Record-Route, the ACK and BYE along the route set, and an
 * authenticated REGISTER. As in real traffic, every call has its own Call-ID, tags, branches, caller
 * and flow token, and the messages of one call share theirs: a batch of calls goes through the
 * INVITEs, then the 180s, and so on, as a busy server interleaves them. (Until 2026-12-05 every round
 * parsed the very same bytes, which a parser that remembers values would have made look free.)
 *
 *   npm run bench:message          (BENCH_ROUNDS=20000 rounds of the six messages, after a warm-up)
 *
 * Prints, per message kind and for the whole set, microseconds of one core per parse, per read and
 * per serialization. The same figures from an earlier commit come from running this file there
 * (`git worktree add`), in the same sitting.
 */
import {
  getHeader,
  getHeaders,
  parseCSeq,
  parseMessage,
  parseNameAddr,
  parseUri,
  parseVia,
  serializeMessage,
  type SipMessage,
} from '../src/sip/message/index.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20_000);

const sdp = [
  'v=0',
  'o=caller 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=video 6000 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  '',
].join('\r\n');

/** A message of call `{n}`: every `{n}` in its lines becomes the call's number. */
function message(lines: string[], body = ''): (call: number) => Buffer {
  const withLength = [...lines, `Content-Length: ${Buffer.byteLength(body)}`];
  const text = withLength.join('\r\n') + '\r\n\r\n' + body;
  return (call) => Buffer.from(text.replaceAll('{n}', String(call)), 'utf8');
}

const proxyVia = 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvp.3f2a9c1e5b7d4a60.{n};rport';
const callerVia = 'SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-{n}-5;rport=5061;received=127.0.0.1';
const recordRoutes = [
  'Record-Route: <sip:127.0.0.1:5060;transport=udp;lr;vpf=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd{n}>',
  'Record-Route: <sip:127.0.0.1:5060;lr;vpf=ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9{n}>',
];
const dialog = [
  'From: <sip:86{n}@videophone.example>;tag=11232SIPpTag00{n}',
  'To: <sip:8610000002@videophone.example>;tag=11240SIPpTag01{n}',
  'Call-ID: {n}-11232@127.0.0.1',
];

const messages: { kind: string; data: (call: number) => Buffer }[] = [
  {
    kind: 'INVITE (credentials, SDP)',
    data: message(
      [
        'INVITE sip:8610000002@videophone.example SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-{n}-5;rport',
        'From: <sip:86{n}@videophone.example>;tag=11232SIPpTag00{n}',
        'To: <sip:8610000002@videophone.example>',
        'Call-ID: {n}-11232@127.0.0.1',
        'CSeq: 2 INVITE',
        'Contact: <sip:86{n}@127.0.0.1:5061;transport=UDP>',
        'Proxy-Authorization: Digest username="86{n}",realm="videophone.example",' +
          'nonce="AAABmY3pQvI.9c2b7f1e3a5d4c6b8a9f0e1d2c3b4a59",uri="sip:8610000002@videophone.example",' +
          'response="0f8e1d2c3b4a5968776655443322{n}",algorithm=MD5,cnonce="6b8b{n}",qop=auth,nc=00000001',
        'Max-Forwards: 70',
        'User-Agent: sipp',
        'Subject: sipp call',
        'Content-Type: application/sdp',
      ],
      sdp,
    ),
  },
  {
    kind: '180 (through the proxy)',
    data: message([
      'SIP/2.0 180 Ringing',
      `Via: ${proxyVia};received=127.0.0.1`,
      `Via: ${callerVia}`,
      ...recordRoutes,
      ...dialog,
      'CSeq: 2 INVITE',
      'Contact: <sip:8610000002@127.0.0.1:5062;transport=UDP>',
    ]),
  },
  {
    kind: '200 (SDP)',
    data: message(
      [
        'SIP/2.0 200 OK',
        `Via: ${proxyVia};received=127.0.0.1`,
        `Via: ${callerVia}`,
        ...recordRoutes,
        ...dialog,
        'CSeq: 2 INVITE',
        'Contact: <sip:8610000002@127.0.0.1:5062;transport=UDP>',
        'Content-Type: application/sdp',
      ],
      sdp,
    ),
  },
  {
    kind: 'ACK (route set)',
    data: message([
      'ACK sip:8610000002@127.0.0.1:5062;transport=UDP SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-{n}-9;rport',
      ...recordRoutes.map((route) => route.replace('Record-Route', 'Route')),
      ...dialog,
      'CSeq: 2 ACK',
      'Max-Forwards: 70',
      'User-Agent: sipp',
    ]),
  },
  {
    kind: 'BYE (route set)',
    data: message([
      'BYE sip:8610000002@127.0.0.1:5062;transport=UDP SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-{n}-11;rport',
      ...recordRoutes.map((route) => route.replace('Record-Route', 'Route')),
      ...dialog,
      'CSeq: 3 BYE',
      'Max-Forwards: 70',
      'User-Agent: sipp',
    ]),
  },
  {
    kind: 'REGISTER (credentials)',
    data: message([
      'REGISTER sip:videophone.example SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5063;branch=z9hG4bK-11250-{n}-3;rport',
      'From: <sip:87{n}@videophone.example>;tag=11250SIPpTag00{n}',
      'To: <sip:87{n}@videophone.example>',
      'Call-ID: {n}-11250@127.0.0.1',
      'CSeq: 2 REGISTER',
      'Contact: <sip:87{n}@127.0.0.1:5063;transport=UDP>;expires=3600',
      'Authorization: Digest username="87{n}",realm="videophone.example",' +
        'nonce="AAABmY3pQvI.9c2b7f1e3a5d4c6b8a9f0e1d2c3b4a59",uri="sip:videophone.example",' +
        'response="00112233445566778899aabbccdd{n}",algorithm=MD5,cnonce="327b{n}",qop=auth,nc=00000001',
      'Max-Forwards: 70',
      'User-Agent: sipp',
      'Expires: 3600',
    ]),
  },
];

/** What the layers above read of every message: the transaction key, the dialog's tags, the target. */
function readAsTheProxyDoes(message: SipMessage): number {
  let checksum = 0;
  const via = parseVia(getHeader(message, 'Via')!);
  checksum += via.params.get('branch')!.length;
  checksum += parseCSeq(getHeader(message, 'CSeq')!).seq;
  checksum += getHeader(message, 'Call-ID')!.length;
  const from = parseNameAddr(getHeader(message, 'From')!);
  checksum += (from.params.get('tag') ?? '').length + parseUri(from.uri).host.length;
  checksum += (parseNameAddr(getHeader(message, 'To')!).params.get('tag') ?? '').length;
  if (message.kind === 'request') checksum += parseUri(message.uri).host.length;
  for (const route of getHeaders(message, 'Route')) checksum += parseUri(parseNameAddr(route).uri).params.size;
  return checksum;
}

interface Figures {
  parse: number;
  read: number;
  serialize: number;
}

/**
 * Batches of BATCH calls: each message kind of the batch's calls is parsed, then read, then
 * serialized, kind after kind. A batch is what a busy second holds, so the garbage stays young as it
 * does in the server (keeping every parsed message alive would measure old-generation collections
 * the server never has). Each call's bytes are made before the clock starts.
 */
const BATCH = 1_000;

/** CPU µs per message of each kind, over `calls` calls numbered from `firstCall`. */
function measure(firstCall: number, calls: number): Figures[] {
  const parsed: SipMessage[] = new Array(BATCH);
  let sink = 0;
  const spent = messages.map(() => ({ parse: 0, read: 0, serialize: 0 }));
  for (let done = 0; done < calls; done += BATCH) {
    const count = Math.min(BATCH, calls - done);
    const wire = messages.map(({ data }) => Array.from({ length: count }, (_, i) => data(firstCall + done + i)));
    messages.forEach((_, kind) => {
      const bytes = wire[kind]!;
      let started = process.cpuUsage();
      for (let i = 0; i < count; i += 1) {
        const outcome = parseMessage(bytes[i]!);
        if (!outcome.ok) throw new Error(`does not parse: ${outcome.reason}`);
        parsed[i] = outcome.message;
      }
      spent[kind]!.parse += cpuMicros(started);
      started = process.cpuUsage();
      for (let i = 0; i < count; i += 1) sink += readAsTheProxyDoes(parsed[i]!);
      spent[kind]!.read += cpuMicros(started);
      started = process.cpuUsage();
      for (let i = 0; i < count; i += 1) sink += serializeMessage(parsed[i]!).length;
      spent[kind]!.serialize += cpuMicros(started);
    });
  }
  if (sink === 0) throw new Error('nothing measured');
  return spent.map((figures) => ({ parse: figures.parse / calls, read: figures.read / calls, serialize: figures.serialize / calls }));
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

// Warm-up: let the JIT settle on every message kind before anything is timed (calls of their own).
measure(10_000_000, Math.min(rounds, 5_000));

const figures = measure(1_000_000, rounds);
const rows = messages.map(({ kind, data }, index) => ({ kind, bytes: data(1_000_000).length, ...figures[index]! }));
const total = rows.reduce(
  (sum, row) => ({ parse: sum.parse + row.parse, read: sum.read + row.read, serialize: sum.serialize + row.serialize }),
  {
    parse: 0,
    read: 0,
    serialize: 0,
  },
);
const format = (micros: number) => micros.toFixed(2).padStart(9);
process.stdout.write(
  `SIP message layer, CPU µs per message (${rounds} calls, each with its own Call-ID, tags and branches; one core, Node ${process.version})\n` +
    `${'message'.padEnd(26)}  bytes      parse       read  serialize\n` +
    rows
      .map(
        (row) =>
          `${row.kind.padEnd(26)}  ${String(row.bytes).padStart(5)}  ${format(row.parse)}  ${format(row.read)}  ${format(row.serialize)}`,
      )
      .join('\n') +
    `\n${'all six'.padEnd(26)}         ${format(total.parse)}  ${format(total.read)}  ${format(total.serialize)}\n`,
);
