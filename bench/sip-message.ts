/**
 * Issue #17: what our SIP message layer costs per message, outside any socket or database. Every
 * datagram the proxy handles is parsed once (with the checks RFC 4475 asks for), read by the layers
 * above (top Via, From and To tags, CSeq, Call-ID: what the transaction layer and the proxy look at
 * for each message) and, when forwarded, serialized again. The messages are the ones a call of
 * `bench:sip` brings: an INVITE with credentials and SDP, its 180 and 200 as they come back from the
 * callee through the proxy's Via and Record-Route, the ACK and BYE along the route set, and an
 * authenticated REGISTER.
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

function message(lines: string[], body = ''): Buffer {
  const withLength = [...lines, `Content-Length: ${Buffer.byteLength(body)}`];
  return Buffer.from(withLength.join('\r\n') + '\r\n\r\n' + body, 'utf8');
}

const proxyVia = 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKvp.3f2a9c1e5b7d4a60.0;rport';
const callerVia = 'SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-1-5;rport=5061;received=127.0.0.1';
const recordRoutes = [
  'Record-Route: <sip:127.0.0.1:5060;transport=udp;lr;vpf=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8>',
  'Record-Route: <sip:127.0.0.1:5060;lr;vpf=ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8>',
];
const dialog = [
  'From: <sip:8610000001@videophone.example>;tag=11232SIPpTag001',
  'To: <sip:8610000002@videophone.example>;tag=11240SIPpTag015',
  'Call-ID: 1-11232@127.0.0.1',
];

const messages: { kind: string; data: Buffer }[] = [
  {
    kind: 'INVITE (credentials, SDP)',
    data: message(
      [
        'INVITE sip:8610000002@videophone.example SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-1-5;rport',
        'From: <sip:8610000001@videophone.example>;tag=11232SIPpTag001',
        'To: <sip:8610000002@videophone.example>',
        'Call-ID: 1-11232@127.0.0.1',
        'CSeq: 2 INVITE',
        'Contact: <sip:8610000001@127.0.0.1:5061;transport=UDP>',
        'Proxy-Authorization: Digest username="8610000001",realm="videophone.example",' +
          'nonce="AAABmY3pQvI.9c2b7f1e3a5d4c6b8a9f0e1d2c3b4a59",uri="sip:8610000002@videophone.example",' +
          'response="0f8e1d2c3b4a59687766554433221100",algorithm=MD5,cnonce="6b8b4567",qop=auth,nc=00000001',
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
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-1-9;rport',
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
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-11232-1-11;rport',
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
      'Via: SIP/2.0/UDP 127.0.0.1:5063;branch=z9hG4bK-11250-7-3;rport',
      'From: <sip:8610000007@videophone.example>;tag=11250SIPpTag007',
      'To: <sip:8610000007@videophone.example>',
      'Call-ID: 7-11250@127.0.0.1',
      'CSeq: 2 REGISTER',
      'Contact: <sip:8610000007@127.0.0.1:5063;transport=UDP>;expires=3600',
      'Authorization: Digest username="8610000007",realm="videophone.example",' +
        'nonce="AAABmY3pQvI.9c2b7f1e3a5d4c6b8a9f0e1d2c3b4a59",uri="sip:videophone.example",' +
        'response="00112233445566778899aabbccddeeff",algorithm=MD5,cnonce="327b23c6",qop=auth,nc=00000001',
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
 * Batches of BATCH messages: parsed, then read, then serialized. A batch is what a busy turn holds,
 * so the garbage stays young as it does in the server (keeping every parsed message alive would
 * measure old-generation collections the server never has).
 */
const BATCH = 1_000;

function measure(data: Buffer, times: number): Figures {
  const parsed: SipMessage[] = new Array(BATCH);
  let sink = 0;
  const spent = { parse: 0, read: 0, serialize: 0 };
  for (let done = 0; done < times; done += BATCH) {
    const count = Math.min(BATCH, times - done);
    let started = process.cpuUsage();
    for (let i = 0; i < count; i += 1) {
      const outcome = parseMessage(data);
      if (!outcome.ok) throw new Error(`does not parse: ${outcome.reason}`);
      parsed[i] = outcome.message;
    }
    spent.parse += cpuMicros(started);
    started = process.cpuUsage();
    for (let i = 0; i < count; i += 1) sink += readAsTheProxyDoes(parsed[i]!);
    spent.read += cpuMicros(started);
    started = process.cpuUsage();
    for (let i = 0; i < count; i += 1) sink += serializeMessage(parsed[i]!).length;
    spent.serialize += cpuMicros(started);
  }
  if (sink === 0) throw new Error('nothing measured');
  return { parse: spent.parse / times, read: spent.read / times, serialize: spent.serialize / times };
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

// Warm-up: let the JIT settle on every message kind before anything is timed.
for (const { data } of messages) measure(data, Math.min(rounds, 5_000));

const rows = messages.map(({ kind, data }) => ({ kind, bytes: data.length, ...measure(data, rounds) }));
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
  `SIP message layer, CPU µs per message (${rounds} of each, one core, Node ${process.version})\n` +
    `${'message'.padEnd(26)}  bytes      parse       read  serialize\n` +
    rows
      .map(
        (row) =>
          `${row.kind.padEnd(26)}  ${String(row.bytes).padStart(5)}  ${format(row.parse)}  ${format(row.read)}  ${format(row.serialize)}`,
      )
      .join('\n') +
    `\n${'all six'.padEnd(26)}         ${format(total.parse)}  ${format(total.read)}  ${format(total.serialize)}\n`,
);
