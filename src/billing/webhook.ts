import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Online payment notifications are signed by the provider with a shared secret: HMAC-SHA256 over
 * `<timestamp>.<raw body>`, hex, in `x-vp-signature`, the Unix timestamp in `x-vp-timestamp`. A
 * notification older or newer than the tolerance is refused, so a captured one cannot be replayed
 * later; one delivered again within it records nothing new (provider + reference are unique).
 */
export const SIGNATURE_HEADER = 'x-vp-signature';
export const TIMESTAMP_HEADER = 'x-vp-timestamp';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyWebhook(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  rawBody: string,
  now: Date,
): SignatureCheck {
  if (!headers.signature || !headers.timestamp) return { ok: false, reason: 'signature or timestamp header missing' };
  if (!/^\d{1,12}$/.test(headers.timestamp)) return { ok: false, reason: 'timestamp is not Unix seconds' };
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS)
    return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(headers.signature) ? Buffer.from(headers.signature, 'hex') : Buffer.alloc(0);
  // Constant time: the comparison must not tell an attacker how many leading bytes were right.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
