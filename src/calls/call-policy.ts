/**
 * What the proxy and registrar ask before routing a call or accepting a registration. The answer is
 * entitlements' (`callPolicy` in `src/entitlements`), injected into `createSipServer`: calls does not
 * decide who may call.
 */
export type CallDecision = { allow: true } | { allow: false; status: number; reason: string };

export interface CallPolicy {
  authorizeCall(call: { caller: string; callee: string; at: Date }): Promise<CallDecision>;
  /** §10.3 step 4 is followed by this: may the authenticated address-of-record register at all. */
  authorizeRegistration(registration: { aor: string; at: Date }): Promise<CallDecision>;
}
