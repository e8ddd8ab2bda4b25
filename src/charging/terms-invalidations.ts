import type { Logger } from 'pino';
import { shareInvalidations, type SharedRedis } from '../platform/redis.js';
import type { Charging } from './charging.js';

/** A node's charging forgot the terms it had cached: every other node forgets them too. */
export const CHARGING_TERMS_CHANNEL = 'videophone:charging-terms';

/**
 * Carries "terms changed" between nodes over Redis pub/sub (clause 9): a credit limit lowered, an
 * account opened, a number assigned or released on one node reaches the next grant of every node's
 * calls, not one a cache lifetime later. A message missed while the subscriber connection was down
 * cannot be known, so every cached term is forgotten when the connection is back.
 *
 * Returns the function that subscribes (call it once at start) and the one that stops listening.
 */
export function shareTermsInvalidations(
  charging: Charging,
  redis: SharedRedis,
  options: { origin: string; logger: Logger },
): { subscribe(): Promise<void>; stop(): void } {
  const channel = shareInvalidations<Record<string, never>>(redis, CHARGING_TERMS_CHANNEL, {
    ...options,
    what: 'that charging terms changed',
    received: () => charging.forgetLocally(),
    resumed: () => charging.forgetLocally(),
  });
  charging.announceForgettingTo(() => channel.announce({}));
  return channel;
}
