import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeForwarded, encodeForwarded, FORWARD_SECRET_BYTES } from '../../src/platform/cluster/index.js';

/**
 * Issue #17, SIP_WORKERS: a datagram of the public UDP port that one worker read and another must
 * handle crosses in this frame. What matters: the source arrives intact (the owner answers to it,
 * RFC 3581), and nothing without the node's secret is taken for a forwarded datagram.
 */
describe('the forwarding frame between SIP workers', () => {
  const secret = randomBytes(FORWARD_SECRET_BYTES);
  const register = Buffer.from('REGISTER sip:vp.test SIP/2.0\r\nCall-ID: a@b\r\nContent-Length: 0\r\n\r\n', 'latin1');

  it('carries the datagram and its source, IPv4, IPv6 and with a zone, byte for byte', () => {
    const binary = Buffer.from([0x00, 0x01, 0xff, 0x0d, 0x0a, 0x80]);
    for (const [address, port] of [
      ['192.0.2.7', 5060],
      ['2001:db8::1', 1],
      ['fe80::1%enp0s31f6', 65535],
      ['::ffff:198.51.100.250', 40000],
    ] as const) {
      for (const data of [register, binary, Buffer.alloc(0)]) {
        const frame = encodeForwarded(secret, data, address, port);
        expect(frame).not.toBeNull();
        const decoded = decodeForwarded(frame!, secret);
        expect(decoded).toEqual({ address, port, data });
      }
    }
  });

  it('is refused without the secret, truncated, or with a length or port that cannot be', () => {
    const frame = encodeForwarded(secret, register, '192.0.2.7', 5060)!;
    expect(decodeForwarded(frame, randomBytes(FORWARD_SECRET_BYTES))).toBeNull();
    const tampered = Buffer.from(frame);
    tampered[3] = tampered[3]! ^ 0x01;
    expect(decodeForwarded(tampered, secret)).toBeNull();
    // Every prefix shorter than the header with the address is refused rather than misread.
    for (let length = 0; length < FORWARD_SECRET_BYTES + 3 + '192.0.2.7'.length; length += 1) {
      expect(decodeForwarded(frame.subarray(0, length), secret)).toBeNull();
    }
    const zeroPort = Buffer.from(frame);
    zeroPort.writeUInt16BE(0, FORWARD_SECRET_BYTES);
    expect(decodeForwarded(zeroPort, secret)).toBeNull();
    const noAddress = Buffer.from(frame);
    noAddress[FORWARD_SECRET_BYTES + 2] = 0;
    expect(decodeForwarded(noAddress, secret)).toBeNull();
    // Random bytes (what any local process may send to the port) never decode.
    for (let round = 0; round < 2000; round += 1) {
      expect(decodeForwarded(randomBytes(Math.floor(Math.random() * 80)), secret)).toBeNull();
    }
  });

  it('cannot carry a source no socket reports, and says so instead of throwing', () => {
    expect(encodeForwarded(secret, register, 'x'.repeat(256), 5060)).toBeNull();
    expect(encodeForwarded(secret, register, '', 5060)).toBeNull();
    expect(encodeForwarded(secret, register, '192.0.2.7', 0)).toBeNull();
    expect(encodeForwarded(secret, register, '192.0.2.7', 70000)).toBeNull();
  });
});
