import type { BudgetGrant, CallBudget } from '../calls/index.js';
import { isDatabaseUnavailable } from '../platform/db/index.js';
import type { Settings } from '../platform/config/index.js';
import type { Logger } from 'pino';
import type { Charging, Grant } from './charging.js';

/**
 * The status and reason phrase of a call refused or ended for the credit limit. RFC 3261 §21.4.3
 * reserves 402 Payment Required "for future use", and deployed charging (FreeSWITCH, Kamailio with
 * CGRateS) answers it for exhausted credit: clients show it as such, and it cannot be mistaken for
 * a 403 suspension. The reason phrase says why; the softphone shows its own text in zh-CN and en.
 */
export const CREDIT_LIMIT_STATUS = 402;
export const CREDIT_LIMIT_REASON = 'Credit limit reached';

/**
 * Charging as the proxy's `CallBudget`. When the database cannot be reached the operator's
 * `creditOfflinePolicy` decides: `refuse` new calls (503, try later), or `allow` each call
 * `creditOfflineBudgetSeconds` once; a call in progress runs to the end of the time it holds.
 */
export function chargingBudget(charging: Charging, settings: Settings, logger: Logger): CallBudget {
  const offlineGrants = new Map<string, Date>();
  const answer = (grant: Grant | null): BudgetGrant => {
    if (!grant) return { kind: 'unmetered' };
    if (grant.granted) return { kind: 'granted', until: grant.until };
    // Nothing is held for the call: it ends with the time it had (only this call, not its siblings).
    if (grant.reason === 'not-held') return { kind: 'refused', status: 503, reason: 'Call no longer held' };
    return { kind: 'refused', status: CREDIT_LIMIT_STATUS, reason: CREDIT_LIMIT_REASON };
  };
  const offline = (callKey: string, at: Date, error: unknown): BudgetGrant => {
    if (!isDatabaseUnavailable(error)) throw error;
    logger.warn({ err: error, callKey }, 'charging unavailable; applying the offline policy');
    if (settings.creditOfflinePolicy === 'refuse') {
      return { kind: 'refused', status: 503, reason: 'Charging unavailable' };
    }
    // One offline allowance per call, however often it asks.
    const until = offlineGrants.get(callKey) ?? new Date(at.getTime() + settings.creditOfflineBudgetSeconds * 1000);
    offlineGrants.set(callKey, until);
    return until > at ? { kind: 'granted', until } : { kind: 'refused', status: 503, reason: 'Charging unavailable' };
  };
  return {
    async authorize(call) {
      try {
        return answer(await charging.authorize(call));
      } catch (error) {
        return offline(call.callKey, call.at, error);
      }
    },
    async answered(call) {
      try {
        return answer(await charging.answered(call));
      } catch (error) {
        return offline(call.callKey, call.at, error);
      }
    },
    async renew(call) {
      try {
        return answer(await charging.renew(call));
      } catch (error) {
        return offline(call.callKey, call.at, error);
      }
    },
    async ended(call) {
      offlineGrants.delete(call.callKey);
      // A call whose end cannot be settled now is settled from its `call.completed` event later.
      await charging
        .ended(call)
        .catch((error: unknown) => logger.warn({ err: error, callKey: call.callKey }, 'could not settle a call now'));
    },
  };
}
