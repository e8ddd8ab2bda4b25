import type { Logger } from 'pino';
import { shareInvalidations, type SharedRedis } from '../platform/redis.js';
import type { ForgottenAccount, SipAccountStore } from './sip-accounts.js';

/** What one node's SIP account cache forgot, for every other node's cache to forget too. */
export const SIP_ACCOUNTS_CHANNEL = 'videophone:sip-accounts';

/**
 * Carries cache invalidations between nodes over Redis pub/sub: a password rotated, a device issued
 * or revoked, a suspension begun or lifted on one node is forgotten by every node's SipAccountStore
 * as soon as the message arrives. A node that misses a message (Redis away) still sees the change
 * within the cache's lifetime (two seconds), as before.
 *
 * Returns the function that subscribes (call it once at start).
 */
export function shareAccountInvalidations(
  accounts: SipAccountStore,
  redis: SharedRedis,
  options: { origin: string; logger: Logger },
): () => Promise<void> {
  const channel = shareInvalidations<{ forgotten: ForgottenAccount }>(redis, SIP_ACCOUNTS_CHANNEL, {
    ...options,
    what: 'of an account change',
    received: (message) => {
      if (message.forgotten) accounts.forgetLocally(message.forgotten);
    },
  });
  accounts.announceForgettingTo((forgotten) => channel.announce({ forgotten }));
  return () => channel.subscribe();
}
