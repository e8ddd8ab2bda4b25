import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ForgottenAccount, SipAccountStore } from './sip-accounts.js';

/** What one node's SIP account cache forgot, for every other node's cache to forget too. */
export const SIP_ACCOUNTS_CHANNEL = 'videophone:sip-accounts';

/**
 * Carries cache invalidations between nodes over Redis pub/sub: a password rotated, a device issued
 * or revoked, a suspension begun or lifted on one node is forgotten by every node's SipAccountStore
 * as soon as the message arrives. A node that misses a message (Redis away) still sees the change
 * within the cache's lifetime (two seconds), as before.
 */
export function shareAccountInvalidations(
  accounts: SipAccountStore,
  redis: { publisher: Redis; subscriber: Redis },
  options: { origin: string; logger: Logger },
): () => Promise<void> {
  accounts.announceForgettingTo((forgotten) => {
    const message = JSON.stringify({ origin: options.origin, forgotten });
    redis.publisher.publish(SIP_ACCOUNTS_CHANNEL, message).catch((error: unknown) => {
      options.logger.warn({ err: error, forgotten }, 'could not tell the other nodes of an account change');
    });
  });
  redis.subscriber.on('message', (channel: string, text: string) => {
    if (channel !== SIP_ACCOUNTS_CHANNEL) return;
    try {
      const message = JSON.parse(text) as { origin: string; forgotten: ForgottenAccount };
      if (message.origin !== options.origin && message.forgotten) accounts.forgetLocally(message.forgotten);
    } catch {
      // not ours
    }
  });
  return async () => {
    await redis.subscriber.subscribe(SIP_ACCOUNTS_CHANNEL);
  };
}
