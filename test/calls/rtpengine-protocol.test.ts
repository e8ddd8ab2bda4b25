import { createSocket, type Socket } from 'node:dgram';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BencodeError, decodeBencode, encodeBencode } from '../../src/calls/bencode.js';
import { answerFlags, MediaBridge, mediaKindOfBinding, mediaKindOfSdp, offerFlags, withBundleGroup } from '../../src/calls/media-bridge.js';
import { parseRtpengineUrl, RtpengineClient } from '../../src/calls/rtpengine-client.js';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import type { Flow } from '../../src/sip/index.js';

const chromeOffer = [
  'v=0',
  'o=- 9009431286390880088 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 36380 UDP/TLS/RTP/SAVPF 111 0 8',
  'c=IN IP4 127.0.0.1',
  'a=candidate:1252953307 1 udp 2122194687 127.0.0.1 36380 typ host generation 0',
  'a=ice-ufrag:INZU',
  'a=ice-pwd:tn1VfvudF132JJuyV2T6/nPK',
  'a=fingerprint:sha-256 9C:A0:AE:75:5E:26:8A:A9:51:9B:CF:42:20:E3:B5:B4:BE:5A:5B:D6:1F:D4:C8:3A:59:6A:FC:EA:F8:40:50:88',
  'a=setup:actpass',
  'a=mid:0',
  'a=rtcp-mux',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  '',
].join('\r\n');

const baresipOffer = [
  'v=0',
  'o=- 120925655 834822870 IN IP4 192.0.2.2',
  's=-',
  'c=IN IP4 192.0.2.2',
  't=0 0',
  'm=audio 36312 RTP/AVP 0 8 126',
  'a=rtpmap:0 PCMU/8000',
  'a=sendrecv',
  '',
].join('\r\n');

describe('bencode (BEP 3), as the ng protocol uses it', () => {
  it('encodes strings by their UTF-8 length, integers, lists, and dictionaries with their keys sorted', () => {
    expect(encodeBencode('spam').toString()).toBe('4:spam');
    expect(encodeBencode('媒体').toString()).toBe('6:媒体');
    expect(encodeBencode(-42).toString()).toBe('i-42e');
    expect(encodeBencode(['a', 1, []]).toString()).toBe('l1:ai1elee');
    expect(encodeBencode({ 'from-tag': 'x', command: 'offer', flags: ['trust-address'] }).toString()).toBe(
      'd7:command5:offer5:flagsl13:trust-addresse8:from-tag1:xe',
    );
  });

  it('refuses to encode a number that is not a whole number', () => {
    expect(() => encodeBencode(1.5)).toThrow(BencodeError);
  });

  it('decodes what it encodes, nested and with multi-byte text', () => {
    const value = { result: 'ok', sdp: 'v=0\r\ns=媒体\r\n', totals: { RTP: { packets: 11, bytes: 1892 } }, calls: ['a', 'b'] };
    expect(decodeBencode(encodeBencode(value))).toEqual(value);
  });

  it.each([
    ['trailing bytes', 'i1ei2e'],
    ['a leading zero', 'i01e'],
    ['minus zero', 'i-0e'],
    ['an unterminated integer', 'i12'],
    ['a string longer than the input', '10:short'],
    ['an unterminated list', 'l1:a'],
    ['an unterminated dictionary', 'd1:a1:b'],
    ['a non-string key', 'di1e1:ae'],
    ['an unknown type byte', 'x'],
    ['nothing at all', ''],
  ])('refuses input with %s', (_, text) => {
    expect(() => decodeBencode(Buffer.from(text))).toThrow(BencodeError);
  });
});

describe('which end speaks what', () => {
  it('an offer with the DTLS-SRTP profile, or a fingerprint with ICE, is WebRTC; RTP/AVP is plain; no m= line is nothing to bridge', () => {
    expect(mediaKindOfSdp(chromeOffer)).toBe('webrtc');
    expect(mediaKindOfSdp(baresipOffer)).toBe('plain');
    // A phone with ICE and DTLS-SRTP on a profile other than UDP/TLS/RTP/SAVPF still counts as WebRTC.
    expect(mediaKindOfSdp(baresipOffer.replace('a=sendrecv', 'a=ice-ufrag:abcd\r\na=fingerprint:sha-256 AB:CD'))).toBe('webrtc');
    // SDES-SRTP without ICE is not something a browser can take.
    expect(mediaKindOfSdp(baresipOffer.replace('RTP/AVP', 'RTP/SAVP'))).toBe('plain');
    expect(mediaKindOfSdp('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n')).toBeNull();
  });

  it('a device registered over WebSocket is a browser (WebRTC); over UDP, TCP or TLS it is a phone taken to speak plain RTP', () => {
    const flow = (protocol: Flow['protocol']) => ({ flow: { protocol } as Flow });
    expect(mediaKindOfBinding(flow('WS'))).toBe('webrtc');
    expect(mediaKindOfBinding(flow('WSS'))).toBe('webrtc');
    expect(mediaKindOfBinding(flow('UDP'))).toBe('plain');
    expect(mediaKindOfBinding(flow('TCP'))).toBe('plain');
    expect(mediaKindOfBinding(flow('TLS'))).toBe('plain');
  });

  it('an offer toward a plain phone drops ICE and DTLS for RTP/AVP; toward a browser it forces ICE, DTLS-SRTP and rtcp-mux', () => {
    expect(offerFlags('plain')).toMatchObject({ 'transport-protocol': 'RTP/AVP', ICE: 'remove', DTLS: 'off', 'rtcp-mux': ['demux'] });
    expect(offerFlags('webrtc')).toMatchObject({
      'transport-protocol': 'UDP/TLS/RTP/SAVPF',
      ICE: 'force',
      DTLS: 'passive',
      'rtcp-mux': expect.arrayContaining(['offer', 'require']) as unknown,
    });
    expect(answerFlags('plain')).toMatchObject({ ICE: 'remove', DTLS: 'off' });
    expect(answerFlags('webrtc')).toMatchObject({ ICE: 'force', 'rtcp-mux': expect.arrayContaining(['accept']) as unknown });
  });

  it('an answer to a browser names the one accepted m= line as the BUNDLE group; with two accepted lines it is left alone', () => {
    const audioOnly = 'v=0\r\ns=-\r\nt=0 0\r\nm=audio 38413 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\nm=video 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\n';
    expect(withBundleGroup(audioOnly)).toBe(
      'v=0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\nm=audio 38413 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\nm=video 0 UDP/TLS/RTP/SAVPF 0\r\na=mid:1\r\n',
    );
    const both = audioOnly.replace('m=video 0', 'm=video 38420');
    expect(withBundleGroup(both)).toBe(both);
    const grouped = audioOnly.replace('t=0 0\r\n', 't=0 0\r\na=group:BUNDLE 0\r\n');
    expect(withBundleGroup(grouped)).toBe(grouped);
  });
});

describe('the ng client over UDP', () => {
  const sockets: Socket[] = [];
  const clients: RtpengineClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    for (const socket of sockets.splice(0)) socket.close();
  });

  /** A stand-in rtpengine: `answer` decides the reply to each datagram (null: stay silent). */
  async function fakeRtpengine(
    answer: (cookie: string, message: Record<string, unknown>, count: number) => Record<string, unknown> | null,
  ) {
    const socket = createSocket('udp4');
    sockets.push(socket);
    const seen: string[] = [];
    socket.on('message', (data, from) => {
      const space = data.indexOf(0x20);
      const cookie = data.subarray(0, space).toString();
      seen.push(cookie);
      const reply = answer(cookie, decodeBencode(data.subarray(space + 1)) as Record<string, unknown>, seen.length);
      if (reply) socket.send(Buffer.concat([Buffer.from(`${cookie} `), encodeBencode(reply as never)]), from.port, from.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const client = new RtpengineClient({ host: '127.0.0.1', port: socket.address().port }, { timeoutMs: 100, retries: 2 });
    clients.push(client);
    return { client, seen };
  }

  it('RTPENGINE_URL is unset by default (no bridge) and must be udp:host:port when set', () => {
    expect(loadConfig({}).sip.rtpengineUrl).toBeNull();
    expect(loadConfig({ RTPENGINE_URL: 'udp:127.0.0.1:2223' }).sip.rtpengineUrl).toBe('udp:127.0.0.1:2223');
    expect(() => loadConfig({ RTPENGINE_URL: 'tcp:127.0.0.1:2223' })).toThrow(ConfigError);
  });

  it('reads RTPENGINE_URL as udp:host:port', () => {
    expect(parseRtpengineUrl('udp:127.0.0.1:2223')).toEqual({ host: '127.0.0.1', port: 2223 });
    expect(parseRtpengineUrl('udp:[::1]:2223')).toEqual({ host: '::1', port: 2223 });
    expect(parseRtpengineUrl('udp:rtpengine.internal:22222')).toEqual({ host: 'rtpengine.internal', port: 22222 });
    expect(parseRtpengineUrl('tcp:127.0.0.1:2223')).toBeNull();
    expect(parseRtpengineUrl('udp:127.0.0.1:70000')).toBeNull();
  });

  it('sends the command with a cookie and takes the reply with the same cookie', async () => {
    const { client } = await fakeRtpengine((_, message) => (message.command === 'ping' ? { result: 'pong' } : null));
    expect(await client.request('ping')).toEqual({ ok: true, reply: { result: 'pong' } });
  });

  it('sends a lost request again with the same cookie, so rtpengine can answer it from its cache', async () => {
    const { client, seen } = await fakeRtpengine((_, message, count) =>
      count < 2 ? null : { result: 'ok', sdp: `rewritten ${String(message.sdp)}` },
    );
    const outcome = await client.request('offer', { 'call-id': 'c', 'from-tag': 'f', sdp: 'v=0' });
    expect(outcome).toEqual({ ok: true, reply: { result: 'ok', sdp: 'rewritten v=0' } });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
  });

  it('gives up after its retries and says rtpengine is unreachable, never hanging', async () => {
    const { client, seen } = await fakeRtpengine(() => null);
    const started = Date.now();
    const outcome = await client.request('offer', { 'call-id': 'c', 'from-tag': 'f', sdp: 'v=0' });
    expect(outcome).toMatchObject({
      ok: false,
      failure: 'unreachable',
      reason: expect.stringMatching(/no answer from rtpengine/) as unknown,
    });
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('passes on the reason rtpengine gives for an error', async () => {
    const { client } = await fakeRtpengine(() => ({ result: 'error', 'error-reason': 'Unknown call-id' }));
    expect(await client.request('answer', { 'call-id': 'c', 'from-tag': 'f', 'to-tag': 't', sdp: 'v=0' })).toEqual({
      ok: false,
      failure: 'refused',
      reason: 'rtpengine refused answer: Unknown call-id',
    });
  });

  it('a bridge without rtpengine refuses with 488, and one whose rtpengine does not answer with 503; both say why in both languages', async () => {
    const logger = pino({ level: 'silent' });
    const none = await new MediaBridge(null, '192.0.2.1', logger).offer('c', 'f', baresipOffer, 'webrtc');
    expect(none).toMatchObject({ ok: false, failure: { status: 488, reason: 'Not Acceptable Here' } });
    const { client } = await fakeRtpengine(() => null);
    const silent = new MediaBridge(client, '192.0.2.1', logger);
    const outcome = await silent.offer('c', 'f', baresipOffer, 'webrtc');
    expect(outcome).toMatchObject({ ok: false, failure: { status: 503, reason: 'Media Relay Unavailable' } });
    for (const result of [none, outcome]) {
      if (result.ok) throw new Error('expected a failure');
      const texts = result.failure.warnings.map((warning) => warning.value);
      expect(texts).toEqual([
        expect.stringMatching(/^302 192\.0\.2\.1 "[A-Z][^"]+"$/),
        expect.stringMatching(/^302 192\.0\.2\.1 "[^"]*媒体中继[^"]*"$/),
      ]);
    }
    expect(silent.bridges('c')).toBe(false);
  });
});
