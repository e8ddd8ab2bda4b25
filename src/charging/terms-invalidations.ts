import type { Logger } from 'pino';
import { onSubscriberResumed, type SharedRedis } from '../platform/redis.js';
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
  charging.announceForgettingTo(() => {
    redis.commands.publish(CHARGING_TERMS_CHANNEL, JSON.stringify({ origin: options.origin })).catch((error: unknown) => {
      options.logger.warn({ err: error }, 'could not tell the other nodes that charging terms changed');
    });
  });
  const onMessage = (channel: string, text: string) => {
    if (channel !== CHARGING_TERMS_CHANNEL) return;
    try {
      const message = JSON.parse(text) as { origin?: unknown };
      if (message.origin !== options.origin) charging.forgetLocally();
    } catch {
      // not ours
    }
  };
  redis.subscriber.on('message', onMessage);
  const stopResuming = onSubscriberResumed(redis, () => charging.forgetLocally());
  return {
    async subscribe() {
      await redis.subscriber.subscribe(CHARGING_TERMS_CHANNEL);
    },
    stop() {
      redis.subscriber.off('message', onMessage);
      stopResuming();
    },
  };
}
