/**
 * How long a call may run: asked of charging (`src/charging`, clause 9) by the proxy. The proxy
 * authorises each INVITE, renews the grant before it runs out, and ends the call (CANCEL while it
 * rings, BYE to both parties once answered) when no more time is granted. Calls does not know
 * prices or limits; it keeps the clock.
 */
export type BudgetGrant =
  /** Not metered (not a billed subscriber's number): no time limit. */
  | { kind: 'unmetered' }
  | { kind: 'granted'; until: Date }
  /** No time: the headroom is gone (or charging cannot be asked and the operator refuses then). */
  | { kind: 'refused'; status: number; reason: string };

export interface CallBudget {
  /** Before an authorised INVITE is forwarded; `callKey` names the call until it ends. */
  authorize(call: { callKey: string; caller: string; at: Date }): Promise<BudgetGrant>;
  /** The call was answered at `at`; its record is `recordId`. */
  answered(call: { callKey: string; caller: string; recordId: string; at: Date }): Promise<BudgetGrant>;
  /** Shortly before a grant runs out; `answeredAt` is null while the call rings. */
  renew(call: { callKey: string; caller: string; at: Date; answeredAt: Date | null }): Promise<BudgetGrant>;
  /** The call is over (answered or not); `cutoff` when it ended because no time was granted. */
  ended(call: {
    callKey: string;
    caller: string;
    recordId: string | null;
    answeredAt: Date | null;
    endedAt: Date;
    cutoff: boolean;
  }): Promise<void>;
}

/** Every call may run as long as it likes: for deployments and tests without charging. */
export const unmeteredBudget: CallBudget = {
  authorize: async () => ({ kind: 'unmetered' }),
  answered: async () => ({ kind: 'unmetered' }),
  renew: async () => ({ kind: 'unmetered' }),
  ended: async () => undefined,
};
