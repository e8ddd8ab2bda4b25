import { timingSafeEqual } from 'node:crypto';

/**
 * The frame in which one worker forwards a datagram of the public UDP port to the worker that
 * handles it (see sharedDatagramEndpoint): the node's secret, the datagram's source, the datagram.
 *
 *   secret (16 bytes) | source port (2, big-endian) | address length (1) | address (ASCII) | datagram
 *
 * The forwarding sockets listen on loopback, where any local process can write to them: the secret,
 * which only the node's processes know, keeps a local process from injecting SIP with a source of
 * its choosing.
 */
export const FORWARD_SECRET_BYTES = 16;
const FIXED_BYTES = FORWARD_SECRET_BYTES + 3;
/** What the length byte can say; an address with its zone ("fe80::1%" and an interface name) fits. */
const MAX_ADDRESS_BYTES = 255;

export interface ForwardedDatagram {
  data: Buffer;
  address: string;
  port: number;
}

/** The frame, or null for a source no frame can carry (an address over 255 bytes: not one the kernel gives). */
export function encodeForwarded(secret: Buffer, data: Buffer, address: string, port: number): Buffer | null {
  const addressBytes = Buffer.byteLength(address, 'latin1');
  if (addressBytes === 0 || addressBytes > MAX_ADDRESS_BYTES || port <= 0 || port > 0xffff) return null;
  const frame = Buffer.allocUnsafe(FIXED_BYTES + addressBytes + data.length);
  secret.copy(frame, 0);
  frame.writeUInt16BE(port, FORWARD_SECRET_BYTES);
  frame[FORWARD_SECRET_BYTES + 2] = addressBytes;
  frame.write(address, FIXED_BYTES, 'latin1');
  data.copy(frame, FIXED_BYTES + addressBytes);
  return frame;
}

/** The datagram in a frame, or null when the frame is short, malformed or not sealed with `secret`. */
export function decodeForwarded(frame: Buffer, secret: Buffer): ForwardedDatagram | null {
  if (frame.length < FIXED_BYTES) return null;
  if (!timingSafeEqual(frame.subarray(0, FORWARD_SECRET_BYTES), secret)) return null;
  const port = frame.readUInt16BE(FORWARD_SECRET_BYTES);
  const addressBytes = frame[FORWARD_SECRET_BYTES + 2]!;
  if (port === 0 || addressBytes === 0 || addressBytes > MAX_ADDRESS_BYTES || frame.length < FIXED_BYTES + addressBytes) return null;
  return {
    address: frame.toString('latin1', FIXED_BYTES, FIXED_BYTES + addressBytes),
    port,
    data: frame.subarray(FIXED_BYTES + addressBytes),
  };
}
