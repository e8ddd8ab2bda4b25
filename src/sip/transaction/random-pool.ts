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
  const at = take(size);
  const bytes = Buffer.from(pool.subarray(at, at + size));
  pool.fill(0, at, at + size);
  return bytes;
}

/** `size` random bytes as text in `encoding`, without the intermediate Buffer's copy. */
export function randomText(size: number, encoding: 'hex' | 'base64url'): string {
  const at = take(size);
  const text = pool.toString(encoding, at, at + size);
  pool.fill(0, at, at + size);
  return text;
}

/**
 * Where the next `size` unused bytes start, refilling first if too few are left. The caller reads
 * them, then wipes them, so no later reader of the pool could see them again.
 */
function take(size: number): number {
  if (size > 256 || size < 0) throw new RangeError(`random pool: ${size} bytes is out of range`);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += size;
  return at;
}
