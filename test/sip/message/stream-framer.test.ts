import { describe, expect, it } from 'vitest';
import { FramingError, parseMessage, StreamFramer, type Frame } from '../../../src/sip/message/index.js';
import { everydayMessages } from './corpus.js';
import { wire } from './wire.js';

const { invite, register, ok } = everydayMessages as Record<'invite' | 'register' | 'ok', Buffer>;
const ping = Buffer.from('\r\n\r\n');

/** Feeds `stream` cut at the given offsets and collects every frame, as a transport would. */
function frame(stream: Buffer, cuts: number[] = [], max = 16_384): Frame[] {
  const framer = new StreamFramer(max);
  const frames: Frame[] = [];
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    frames.push(...framer.push(stream.subarray(from, cut)));
    from = cut;
  }
  return frames;
}

const message = (data: Buffer): Frame => ({ kind: 'message', data });
const keepalive: Frame = { kind: 'keepalive-ping' };

describe('framing a stream (§18.3)', () => {
  it('a stream of three messages in one read gives the three messages', () => {
    expect(frame(Buffer.concat([invite, register, ok]))).toEqual([message(invite), message(register), message(ok)]);
  });

  it('split at every byte offset, a stream of three messages gives the same three messages', () => {
    const stream = Buffer.concat([invite, register, ok]);
    const whole = frame(stream);
    for (let cut = 0; cut <= stream.length; cut += 1) expect(frame(stream, [cut])).toEqual(whole);
  });

  it('fed one byte at a time, it gives the same messages', () => {
    const stream = Buffer.concat([invite, ping, register, ok]);
    const cuts = Array.from({ length: stream.length }, (_, i) => i);
    expect(frame(stream, cuts)).toEqual([message(invite), keepalive, message(register), message(ok)]);
  });

  it('every frame is one whole message that parses on its own', () => {
    for (const data of frame(Buffer.concat([invite, register, ok]))) {
      expect(data.kind === 'message' && parseMessage(data.data).ok).toBe(true);
    }
  });

  it('a body holding an empty line, and the compact form l, frame by the length alone', () => {
    const body = 'part one\r\n\r\npart two';
    const first = wire(['MESSAGE sip:a@example.com SIP/2.0', 'l: 20'], body);
    expect(frame(Buffer.concat([first, ok]), [first.length - 3])).toEqual([message(first), message(ok)]);
  });

  it('a folded Content-Length, or one with LWS before the colon, is read as the parser reads it', () => {
    const folded = wire(['MESSAGE sip:a@example.com SIP/2.0', 'Content-Length :', '   3'], 'abc');
    expect(frame(Buffer.concat([folded, ok]))).toEqual([message(folded), message(ok)]);
  });

  it('a header that merely mentions Content-Length after a bare CR does not frame the message', () => {
    const smuggled = wire(['MESSAGE sip:a@example.com SIP/2.0', 'Subject: x\rl: 100', 'Content-Length: 1'], 'z');
    expect(frame(Buffer.concat([smuggled, ok]))).toEqual([message(smuggled), message(ok)]);
  });
});

describe('keep-alives (RFC 5626 §4.4.1)', () => {
  it('a double CRLF between messages is a ping the transport answers with a pong', () => {
    expect(frame(Buffer.concat([ping, invite, ping, ping, ok]))).toEqual([keepalive, message(invite), keepalive, keepalive, message(ok)]);
  });

  it('a ping split across reads at any offset is still one ping', () => {
    const stream = Buffer.concat([invite, ping, ok]);
    for (let cut = invite.length; cut <= invite.length + ping.length; cut += 1) {
      expect(frame(stream, [cut])).toEqual([message(invite), keepalive, message(ok)]);
    }
    expect(frame(ping, [1, 2, 3])).toEqual([keepalive]);
  });

  it('a lone CRLF (a pong, or padding before a start line, §7.5) is dropped without a frame', () => {
    expect(frame(Buffer.concat([Buffer.from('\r\n'), invite, Buffer.from('\r\n'), ok]))).toEqual([message(invite), message(ok)]);
    expect(frame(Buffer.from('\r\n'))).toEqual([]);
  });
});

describe('a stream that cannot be framed throws, and the transport closes it', () => {
  /** The error a push throws, so a test can look at what the transport will answer with. */
  function framingError(stream: Buffer, max = 16_384): FramingError {
    try {
      frame(stream, [], max);
    } catch (error) {
      if (error instanceof FramingError) return error;
      throw error;
    }
    throw new Error('the stream framed');
  }

  it('a message without Content-Length, whose header block is kept so the transport can answer 400', () => {
    const head = wire(['OPTIONS sip:a@example.com SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bK1']);
    const error = framingError(Buffer.concat([head, Buffer.from('trailing bytes of no message')]));
    expect([error.message, error.status, error.head?.toString()]).toEqual(['Missing Content-Length on a stream', 400, head.toString()]);
  });

  it('a Content-Length past the limit is a 413 with the header block; headers past it leave nothing to answer', () => {
    const head = wire(['OPTIONS sip:a@example.com SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bK1', 'Content-Length: 20000']);
    expect(framingError(head)).toMatchObject({ message: 'Message too large', status: 413, head });
    expect(framingError(Buffer.from(`OPTIONS sip:a@example.com SIP/2.0\r\nX-Pad: ${'p'.repeat(2000)}`), 1024)).toMatchObject({
      message: 'Headers too large',
      status: 413,
      head: null,
    });
  });

  it('a Content-Length that is not a number', () => {
    expect(() => frame(wire(['OPTIONS sip:a@example.com SIP/2.0', 'Content-Length: 12abc']))).toThrow('Bad Content-Length on a stream');
  });

  it('two different Content-Length values (two identical ones frame, and the parser answers 400)', () => {
    expect(() => frame(wire(['OPTIONS sip:a@example.com SIP/2.0', 'Content-Length: 1', 'l: 2'], 'ab'))).toThrow(
      'Conflicting Content-Length headers on a stream',
    );
    const twice = wire(['OPTIONS sip:a@example.com SIP/2.0', 'Content-Length: 1', 'l: 1'], 'a');
    const frames = frame(twice);
    expect(frames).toEqual([message(twice)]);
    expect(parseMessage(twice)).toMatchObject({ ok: false, status: 400, reason: 'Multiple Content-Length headers' });
  });

  it('headers that grow past the limit without an empty line', () => {
    const framer = new StreamFramer(1024);
    expect(framer.push(Buffer.from('OPTIONS sip:a@example.com SIP/2.0\r\n'))).toEqual([]);
    expect(() => framer.push(Buffer.from(`X-Pad: ${'p'.repeat(1024)}\r\n`))).toThrow('Headers too large');
  });

  it('a Content-Length announcing more than the limit, before the body arrives', () => {
    expect(() => frame(wire(['OPTIONS sip:a@example.com SIP/2.0', 'Content-Length: 99999999999']))).toThrow(
      'Bad Content-Length on a stream',
    );
    expect(() => frame(wire(['OPTIONS sip:a@example.com SIP/2.0', 'Content-Length: 20000']), [], 16_384)).toThrow('Message too large');
  });
});

describe('whether a message is under way (the transport times out one that does not complete)', () => {
  it('is false on a fresh stream, after whole messages and while only keep-alives (or half of one) have arrived', () => {
    const framer = new StreamFramer(16_384);
    expect(framer.inMessage).toBe(false);
    framer.push(invite);
    expect(framer.inMessage).toBe(false);
    framer.push(Buffer.from('\r\n'));
    expect(framer.inMessage).toBe(false);
    framer.push(Buffer.from('\r\n\r'));
    expect(framer.inMessage).toBe(false);
  });

  it('is true from the first byte of a start line until the last byte of the body', () => {
    const framer = new StreamFramer(16_384);
    framer.push(invite.subarray(0, 1));
    expect(framer.inMessage).toBe(true);
    framer.push(invite.subarray(1, invite.length - 1));
    expect(framer.inMessage).toBe(true);
    expect(framer.push(invite.subarray(invite.length - 1))).toEqual([message(invite)]);
    expect(framer.inMessage).toBe(false);
  });
});
