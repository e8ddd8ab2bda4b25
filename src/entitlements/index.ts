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
