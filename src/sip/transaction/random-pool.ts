import { randomFillSync } from 'node:crypto';

/**
 * Random bytes for the identifiers every message needs (branches, tags, nonces, token IVs), taken
 * from a pool refilled 4 KiB at a time. Each `randomBytes` call costs a trip into OpenSSL and a new
 * Buffer; at thousands of messages a second that showed as 6 % of a SIP worker's CPU (issue #17).
 * The bytes are the same CSPRNG output, handed out once each and never reused — Node's own
 * `randomUUID` keeps such a cache for the same reason.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/** `size` fresh random bytes (at most 256), in a Buffer of their own. */
export function pooledRandomBytes(size: number): Buffer {
  if (size > 256 || size < 0) throw new RangeError(`pooledRandomBytes: ${size} bytes is out of range`);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // Wipe what was handed out, so no later reader of the pool could see it again.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}

/** `size` random bytes as text in `encoding`, without the intermediate Buffer's copy. */
export function randomText(size: number, encoding: 'hex' | 'base64url'): string {
  if (size > 256 || size < 0) throw new RangeError(`randomText: ${size} bytes is out of range`);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const text = pool.toString(encoding, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return text;
}
