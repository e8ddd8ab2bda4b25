export { chargingBudget, CREDIT_LIMIT_REASON, CREDIT_LIMIT_STATUS } from './call-budget.js';
export { chargingJob, followChargingEvents, PAYMENTS_CONSUMER, SETTLEMENT_CONSUMER } from './follow-events.js';
export { monthPrice, nextGrant, type CallStart, type Headroom, type Hold, type MonthCall } from './grant.js';
export { changeCreditLimit } from './limits.js';
export { chargingRoutes, type ChargingRouteOptions } from './routes.js';
export {
  chargingHistory,
  creditGauge,
  subscribersNearLimit,
  type ChargingHistoryEntry,
  type CreditGauge,
  type NearLimit,
} from './month-view.js';
export { CHARGING_TERMS_CHANNEL, shareTermsInvalidations } from './terms-invalidations.js';
export {
  ANNOUNCED_TERMS_CACHE_MS,
  ANNOUNCED_TERMS_REVALIDATE_MS,
  Charging,
  creditLimitOf,
  CREDIT_ALERT,
  RESERVATION_GRACE_MS,
  TERMS_CACHE_MS,
  type ChargingTerms,
  type CreditAlert,
  type Grant,
} from './charging.js';
export type { ChargingTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { charging } from './migrations/20261203T0400-charging.js';
export { usageByStart } from './migrations/20261203T0510-usage-by-start.js';
export { chargingLastSettledStart } from './migrations/20261206T0300-charging-last-settled-start.js';
