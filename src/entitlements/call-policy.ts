import type { AccountStatus, CallDecision, CallPolicy } from '../calls/index.js';
import { SUSPENSION_CAUSES } from './causes.js';

/**
 * Clause 9's refusal is 402 with the cause's own phrase (charging answers the same when the
 * headroom runs out mid-month), so a client tells "pay to call again" from a 403 suspension.
 */
const CREDIT_LIMIT = SUSPENSION_CAUSES['credit-limit'].refusal.en;
const creditLimitRefusal: CallDecision = { allow: false, status: 402, reason: CREDIT_LIMIT };

/** What the policy reads per number: the projection entitlements wrote, through the SIP node's cache. */
export interface CallRightsSource {
  find(number: string): Promise<{ status: AccountStatus; statusReason: string | null; outgoingBlockedReason: string | null } | null>;
}

/**
 * The `CallPolicy` the proxy and registrar ask (DESIGN §2: entitlements is the one writer of call
 * rights). It reads the rights `projectEntitlements` wrote onto the SIP accounts, through the SIP
 * node's account cache, so a suspension takes effect within the cache's lifetime everywhere and at
 * once on a node that forgets on `onCallRightsChanged`.
 */
export function callPolicy(accounts: CallRightsSource): CallPolicy {
  return {
    async authorizeCall({ caller, callee }): Promise<CallDecision> {
      // Both read at once: the account store answers lookups made in the same turn with one query.
      const [from, to] = await Promise.all([accounts.find(caller), accounts.find(callee)]);
      if (from?.statusReason === CREDIT_LIMIT || (from?.status === 'active' && from.outgoingBlockedReason === CREDIT_LIMIT))
        return creditLimitRefusal;
      if (!from || from.status !== 'active') {
        return {
          allow: false,
          status: 403,
          reason: from?.statusReason ? `Caller account ${from.status}: ${from.statusReason}` : 'Caller account not active',
        };
      }
      // Clause 9 (and a requested termination): outgoing calls only are refused; the number still receives.
      if (from.outgoingBlockedReason) return { allow: false, status: 403, reason: `Outgoing calls blocked: ${from.outgoingBlockedReason}` };
      if (!to) return { allow: false, status: 404, reason: 'Not Found' };
      // A callee who may not receive is, to the caller, simply not reachable (RFC 3261 §21.4.18).
      if (to.status !== 'active') return { allow: false, status: 480, reason: 'Callee unavailable' };
      return { allow: true };
    },

    async authorizeRegistration({ aor }): Promise<CallDecision> {
      const account = await accounts.find(aor);
      if (!account) return { allow: false, status: 404, reason: 'Not Found' };
      // An outgoing-only block still registers: the number must be reachable.
      if (account.status !== 'active')
        return {
          allow: false,
          status: 403,
          reason: account.statusReason ? `Account ${account.status}: ${account.statusReason}` : `Account ${account.status}`,
        };
      return { allow: true };
    },
  };
}
