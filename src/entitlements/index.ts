export { callPolicy, type CallRightsSource } from './call-policy.js';
export { rentStoppingCauses, SUSPENSION_CAUSES, type CauseRule } from './causes.js';
export {
  activeSuspensions,
  entitlementsFrom,
  liftSuspensions,
  onCallRightsChanged,
  projectEntitlements,
  rentStoppingSuspensions,
  suspend,
  suspendWithin,
  withdrawCallRights,
  type Entitlements,
  type Suspension,
  type SuspensionInput,
} from './suspensions.js';
export type { SuspensionCause, SuspensionScope } from './tables.js';
