/**
 * What the proxy and registrar ask before routing a call or accepting a registration. The answer is
 * entitlements' (`callPolicy` in `src/entitlements`), injected into `createSipServer`: calls does not
 * decide who may call.
 */
export type CallDecision =
  | { allow: true }
  /** `warnings`: Warning header values (RFC 3261 §20.43) sent with the refusal, e.g. "upgrade your client". */
  | { allow: false; status: number; reason: string; warnings?: string[] };

export interface CallPolicy {
  authorizeCall(call: { caller: string; callee: string; at: Date }): Promise<CallDecision>;
  /** §10.3 step 4 is followed by this: may the authenticated address-of-record register at all. */
  authorizeRegistration(registration: {
    aor: string;
    at: Date;
    /** The device whose credentials authenticated; null for the number's own credentials. */
    deviceId?: string | null;
    userAgent?: string | null;
  }): Promise<CallDecision>;
  /**
   * A number registered through another node or worker (issue #17): what a call from it will be
   * asked here can be read now, behind it, so that the call does not wait for it.
   */
  registeredElsewhere?(registration: { aor: string; at: Date }): void;
}
