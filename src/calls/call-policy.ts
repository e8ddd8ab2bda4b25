import type { SipAccountStore } from './sip-accounts.js';

/**
 * The one place that decides, before a call is routed, whether the caller may call and the callee
 * may receive. Today it reads account state; credit limits and suspensions plug in here later.
 */
export type CallDecision = { allow: true } | { allow: false; status: number; reason: string };

export interface CallPolicy {
  authorizeCall(call: { caller: string; callee: string; at: Date }): Promise<CallDecision>;
}

export function accountStatePolicy(accounts: SipAccountStore): CallPolicy {
  return {
    async authorizeCall({ caller, callee }) {
      const from = await accounts.find(caller);
      if (!from || from.status !== 'active') {
        return {
          allow: false,
          status: 403,
          reason: from?.statusReason ? `Caller account ${from.status}: ${from.statusReason}` : 'Caller account not active',
        };
      }
      if (from.outgoingBlockedReason) return { allow: false, status: 403, reason: `Outgoing calls blocked: ${from.outgoingBlockedReason}` };
      const to = await accounts.find(callee);
      if (!to) return { allow: false, status: 404, reason: 'Not Found' };
      if (to.status !== 'active') return { allow: false, status: 480, reason: 'Callee unavailable' };
      return { allow: true };
    },
  };
}
