export { callPolicy, type CallRightsSource } from './call-policy.js';
export { rentStoppingCauses, SUSPENSION_CAUSES, type CauseRule } from './causes.js';
export {
  activeSuspensions,
  entitlementsFrom,
  liftSuspensions,
  mirrorSuspensionStateTo,
  onCallRightsChanged,
  projectEntitlements,
  rentStoppingSuspensions,
  suspend,
  suspendWithin,
  withdrawCallRights,
  type Entitlements,
  type Suspension,
  type SuspensionInput,
  type SuspensionStateMirror,
} from './suspensions.js';
export type { SuspensionCause, SuspensionScope } from './tables.js';
export type { EntitlementTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { suspensions } from './migrations/20261124T0370-suspensions.js';
