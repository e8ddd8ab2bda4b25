export {
  activeSuspensions,
  entitlementsFrom,
  liftSuspensions,
  projectEntitlements,
  rentStoppingSuspensions,
  suspend,
  suspendWithin,
  type Entitlements,
  type Suspension,
  type SuspensionInput,
} from './suspensions.js';
export type { SuspensionCause, SuspensionScope } from './tables.js';
export type { EntitlementTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { suspensions } from './migrations/20261124T0370-suspensions.js';
