import Type, { type Static } from 'typebox';

/**
 * Operator parameters of the service agreement (shared/DESIGN.md §1). The agreement leaves these
 * blank for the operator to fill in; every rule that uses one reads it from here, never from a literal.
 *
 * Each can be overridden by an environment variable (or the config file) named `VP_` plus the
 * setting in SCREAMING_SNAKE_CASE, e.g. `VP_LATE_FEE_RATE_PER_DAY=0.003`.
 */
export const settingsSchema = Type.Object({
  /** Clause 17 and every rendered document: the operator's legal name. */
  providerName: Type.String({ minLength: 1, default: 'Example Broadband Co., Ltd. (placeholder)' }),
  /** Clause 2: where the price list is published. */
  providerWebsite: Type.String({ minLength: 1, default: 'https://videophone.example' }),
  /**
   * Where a subscriber whose service is suspended is sent (clause 10: the neutral notice of a judicial
   * suspension names this contact, not the order).
   */
  supportContact: Type.String({ minLength: 1, default: '400-000-0000 (placeholder)' }),
  /** Clause 16: the arbitration body named in the agreement. */
  arbitrationBody: Type.String({ minLength: 1, default: 'Example Arbitration Commission (placeholder)' }),
  /** ISO 4217 currency of every amount; amounts are integer minor units (fen for CNY). */
  currency: Type.String({ pattern: '^[A-Z]{3}$', default: 'CNY' }),
  /** IANA zone in which billing months, due dates and "days late" are counted. */
  timeZone: Type.String({ minLength: 1, default: 'Asia/Shanghai' }),
  /** Clause 5: late fee per day as a decimal fraction of the unpaid past-due principal (0.003 = 0.3 %). */
  lateFeeRatePerDay: Type.String({ pattern: '^0(\\.[0-9]{1,9})?$', default: '0.003' }),
  /** Clause 5: days between a bill's issue and its due date. */
  billDueDays: Type.Integer({ minimum: 0, maximum: 90, default: 20 }),
  /**
   * Clause 5: how many days before today a desk payment may be dated without more ado (receipts
   * entered the next working day). Earlier dates move late fees, so they need the permission
   * `payments.backdate` and a reason that the bill shows.
   */
  paymentBackdateToleranceDays: Type.Integer({ minimum: 0, maximum: 31, default: 3 }),
  /** Clause 5: months past due after which the service is suspended. */
  suspendAfterOverdueMonths: Type.Integer({ minimum: 1, maximum: 12, default: 1 }),
  /** Clause 5: months past due after which the agreement is terminated and arrears go to collections. */
  terminateAfterOverdueMonths: Type.Integer({ minimum: 1, maximum: 36, default: 3 }),
  /** Clause 5: whether monthly rent keeps accruing while suspended for non-payment. */
  overdueSuspensionKeepsRent: Type.Boolean({ default: true }),
  /**
   * Clause 9: what a credit-limit suspension blocks: outgoing calls only ("part"), or the whole
   * service ("all"; `full` is the earlier spelling and means the same).
   */
  creditLimitSuspensionScope: Type.Union([Type.Literal('outgoing'), Type.Literal('all'), Type.Literal('full')], { default: 'outgoing' }),
  /**
   * Clause 9, real-time charging: the call time granted per reservation. A call holds the price of
   * at most one slice beyond what it has used, so a node that dies keeps headroom locked one slice.
   */
  creditSliceSeconds: Type.Integer({ minimum: 6, maximum: 3600, default: 60 }),
  /**
   * Clause 9: what happens to a new call while the charging store (the database) cannot be reached:
   * `refuse` it, or `allow` it for `creditOfflineBudgetSeconds` (calls in progress keep their slice).
   */
  creditOfflinePolicy: Type.Union([Type.Literal('refuse'), Type.Literal('allow')], { default: 'refuse' }),
  creditOfflineBudgetSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 300 }),
  /** Clause 6: days within which the operator answers a fee dispute (the queue's due date). */
  disputeAnswerDays: Type.Integer({ minimum: 1, maximum: 90, default: 15 }),
  /**
   * Clause 12: a disputed call whose subscriber-side quality report shows packet loss, jitter or round
   * trip beyond these is classed network-side (the Internet's own conditions, not the platform's).
   */
  disputeNetworkLossPercent: Type.Number({ minimum: 0, maximum: 100, default: 5 }),
  disputeNetworkJitterMs: Type.Number({ minimum: 0, maximum: 10_000, default: 60 }),
  disputeNetworkRttMs: Type.Number({ minimum: 0, maximum: 60_000, default: 500 }),
  /** Clause 13: outages shorter than this many consecutive hours earn no credit. */
  outageCreditThresholdHours: Type.Integer({ minimum: 1, maximum: 720, default: 24 }),
  /** Clause 4: terminal warranty length from delivery. */
  warrantyMonths: Type.Integer({ minimum: 1, maximum: 120, default: 12 }),
  /** Clause 15: how long a subscriber may object to a new agreement version. */
  objectionWindowMonths: Type.Integer({ minimum: 1, maximum: 12, default: 1 }),
  /** Clause 7: minimum notice before a maintenance window. */
  maintenanceNoticeLeadHours: Type.Integer({ minimum: 1, maximum: 720, default: 72 }),
  /** Clause 7: days after a number change takes effect that calls to the old number are answered 301 naming the new one. */
  numberChangeAnnounceDays: Type.Integer({ minimum: 0, maximum: 3650, default: 90 }),
  /** Notices: the sender of notice e-mails (`From:`), a display name and address. */
  mailFrom: Type.String({ minLength: 3, maxLength: 200, default: 'Videophone <noreply@videophone.example>' }),
  /** Clause 11: days a released number rests before it is handed out again. */
  numberQuarantineDays: Type.Integer({ minimum: 0, maximum: 3650, default: 90 }),
  /**
   * Numbers handed to subscribers at activation: comma-separated inclusive ranges of equal-length
   * digit strings, allocated lowest first.
   */
  numberRanges: Type.String({ pattern: '^\\d{3,15}-\\d{3,15}(,\\d{3,15}-\\d{3,15})*$', default: '7100000-7199999' }),
  /** Portal security: absolute lifetime of a subscriber's portal session. */
  portalSessionDays: Type.Integer({ minimum: 1, maximum: 90, default: 30 }),
  /** Staff security: consecutive failed logins that lock an account. */
  staffLockoutThreshold: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  /**
   * Portal security: consecutive failed sign-ins to one subscriber's account, from all addresses
   * together, that lock it for everyone (`staffLockoutThreshold` from one address locks only that
   * address). Far above the per-address threshold, so one stranger cannot lock a subscriber out.
   */
  portalAccountLockoutThreshold: Type.Integer({ minimum: 2, maximum: 10000, default: 50 }),
  /** Staff security: how long a locked account stays locked (and a portal address or account). */
  staffLockoutMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  /** Staff security: idle lifetime of a console session. */
  staffSessionIdleMinutes: Type.Integer({ minimum: 5, maximum: 1440, default: 60 }),
  /** Staff security: absolute lifetime of a console session. */
  staffSessionMaxHours: Type.Integer({ minimum: 1, maximum: 72, default: 12 }),
  /** Staff security: how long a password reset link that an administrator issues stays usable. */
  staffPasswordResetHours: Type.Integer({ minimum: 1, maximum: 168, default: 24 }),
  /** Clause 5 and PRC Civil Code art. 561: within a bill, what a payment pays first. */
  paymentAllocationOrder: Type.Union([Type.Literal('late-fees-first'), Type.Literal('principal-first')], { default: 'late-fees-first' }),
});

export type Settings = Static<typeof settingsSchema>;

/** `lateFeeRatePerDay` → `VP_LATE_FEE_RATE_PER_DAY`. */
export function settingEnvName(setting: string): string {
  return 'VP_' + setting.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}
