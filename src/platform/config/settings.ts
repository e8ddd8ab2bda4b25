import Type, { type Static } from 'typebox';

/**
 * Operator parameters of the service agreement (shared/DESIGN.md §1). The agreement leaves these
 * blank for the operator to fill in; every rule that uses one reads it from here, never from a literal.
 *
 * Each can be overridden by an environment variable (or the config file) named `VP_` plus the
 * setting in SCREAMING_SNAKE_CASE, e.g. `VP_LATE_FEE_RATE_PER_DAY=0.003`. Each setting's `description`
 * is its documentation (docs/configuration.md is generated from them).
 */
export const settingsSchema = Type.Object({
  providerName: Type.String({
    description: "Clause 17 and every rendered document: the operator's legal name.",
    minLength: 1,
    default: 'Example Broadband Co., Ltd. (placeholder)',
  }),
  providerWebsite: Type.String({
    description: 'Clause 2: where the price list is published.',
    minLength: 1,
    default: 'https://videophone.example',
  }),
  supportContact: Type.String({
    description:
      'Where a subscriber whose service is suspended is sent (clause 10: the neutral notice of a judicial suspension names this contact, not the order).',
    minLength: 1,
    default: '400-000-0000 (placeholder)',
  }),
  arbitrationBody: Type.String({
    description: 'Clause 16: the arbitration body named in the agreement.',
    minLength: 1,
    default: 'Example Arbitration Commission (placeholder)',
  }),
  currency: Type.String({
    description: 'ISO 4217 currency of every amount; amounts are integer minor units (fen for CNY).',
    pattern: '^[A-Z]{3}$',
    default: 'CNY',
  }),
  timeZone: Type.String({
    description: 'IANA zone in which billing months, due dates and "days late" are counted.',
    minLength: 1,
    default: 'Asia/Shanghai',
  }),
  lateFeeRatePerDay: Type.String({
    description: 'Clause 5: late fee per day as a decimal fraction of the unpaid past-due principal (0.003 = 0.3 %).',
    pattern: '^0(\\.[0-9]{1,9})?$',
    default: '0.003',
  }),
  billDueDays: Type.Integer({
    description: "Clause 5: days between a bill's issue and its due date.",
    minimum: 0,
    maximum: 90,
    default: 20,
  }),
  paymentBackdateToleranceDays: Type.Integer({
    description:
      'Clause 5: how many days before today a desk payment may be dated without more ado (receipts entered the next working day). Earlier dates move late fees, so they need the permission `payments.backdate` and a reason that the bill shows.',
    minimum: 0,
    maximum: 31,
    default: 3,
  }),
  suspendAfterOverdueMonths: Type.Integer({
    description: 'Clause 5: months past due after which the service is suspended.',
    minimum: 1,
    maximum: 12,
    default: 1,
  }),
  terminateAfterOverdueMonths: Type.Integer({
    description: 'Clause 5: months past due after which the agreement is terminated and arrears go to collections.',
    minimum: 1,
    maximum: 36,
    default: 3,
  }),
  overdueSuspensionKeepsRent: Type.Boolean({
    description: 'Clause 5: whether monthly rent keeps accruing while suspended for non-payment.',
    default: true,
  }),
  creditLimitSuspensionScope: Type.Union([Type.Literal('outgoing'), Type.Literal('all'), Type.Literal('full')], {
    description:
      'Clause 9: what a credit-limit suspension blocks: outgoing calls only ("part"), or the whole service ("all"; `full` is the earlier spelling and means the same).',
    default: 'outgoing',
  }),
  creditSliceSeconds: Type.Integer({
    description:
      'Clause 9, real-time charging: the call time granted per reservation. A call holds the price of at most one slice beyond what it has used, so a node that dies keeps headroom locked one slice.',
    minimum: 6,
    maximum: 3600,
    default: 60,
  }),
  creditOfflinePolicy: Type.Union([Type.Literal('refuse'), Type.Literal('allow')], {
    description:
      'Clause 9: what happens to a new call while the charging store (the database) cannot be reached: `refuse` it, or `allow` it for `creditOfflineBudgetSeconds` (calls in progress keep their slice).',
    default: 'refuse',
  }),
  creditOfflineBudgetSeconds: Type.Integer({
    description:
      'Clause 9: with `creditOfflinePolicy` `allow`, how long a new call of a charged subscriber may last while the charging store (the database) cannot be reached.',
    minimum: 0,
    maximum: 3600,
    default: 300,
  }),
  disputeAnswerDays: Type.Integer({
    description: "Clause 6: days within which the operator answers a fee dispute (the queue's due date).",
    minimum: 1,
    maximum: 90,
    default: 15,
  }),
  disputeNetworkLossPercent: Type.Number({
    description:
      "Clause 12: a disputed call whose subscriber-side quality report shows packet loss, jitter or round trip beyond these is classed network-side (the Internet's own conditions, not the platform's).",
    minimum: 0,
    maximum: 100,
    default: 5,
  }),
  disputeNetworkJitterMs: Type.Number({
    description:
      "Clause 12: jitter (ms) in a disputed call's subscriber-side quality report beyond which the call is classed network-side.",
    minimum: 0,
    maximum: 10_000,
    default: 60,
  }),
  disputeNetworkRttMs: Type.Number({
    description:
      "Clause 12: round-trip time (ms) in a disputed call's subscriber-side quality report beyond which the call is classed network-side.",
    minimum: 0,
    maximum: 60_000,
    default: 500,
  }),
  outageCreditThresholdHours: Type.Integer({
    description: 'Clause 13: outages shorter than this many consecutive hours earn no credit.',
    minimum: 1,
    maximum: 720,
    default: 24,
  }),
  warrantyMonths: Type.Integer({ description: 'Clause 4: terminal warranty length from delivery.', minimum: 1, maximum: 120, default: 12 }),
  objectionWindowMonths: Type.Integer({
    description: 'Clause 15: how long a subscriber may object to a new agreement version.',
    minimum: 1,
    maximum: 12,
    default: 1,
  }),
  maintenanceNoticeLeadHours: Type.Integer({
    description: 'Clause 7: minimum notice before a maintenance window.',
    minimum: 1,
    maximum: 720,
    default: 72,
  }),
  numberChangeAnnounceDays: Type.Integer({
    description: 'Clause 7: days after a number change takes effect that calls to the old number are answered 301 naming the new one.',
    minimum: 0,
    maximum: 3650,
    default: 90,
  }),
  mailFrom: Type.String({
    description: 'Notices: the sender of notice e-mails (`From:`), a display name and address.',
    minLength: 3,
    maxLength: 200,
    default: 'Videophone <noreply@videophone.example>',
  }),
  numberQuarantineDays: Type.Integer({
    description: 'Clause 11: days a released number rests before it is handed out again.',
    minimum: 0,
    maximum: 3650,
    default: 90,
  }),
  numberRanges: Type.String({
    description:
      'Numbers handed to subscribers at activation: comma-separated inclusive ranges of equal-length digit strings, allocated lowest first.',
    pattern: '^\\d{3,15}-\\d{3,15}(,\\d{3,15}-\\d{3,15})*$',
    default: '7100000-7199999',
  }),
  portalSessionDays: Type.Integer({
    description: "Portal security: absolute lifetime of a subscriber's portal session.",
    minimum: 1,
    maximum: 90,
    default: 30,
  }),
  staffLockoutThreshold: Type.Integer({
    description: 'Staff security: consecutive failed logins that lock an account.',
    minimum: 1,
    maximum: 100,
    default: 5,
  }),
  portalAccountLockoutThreshold: Type.Integer({
    description:
      "Portal security: consecutive failed sign-ins to one subscriber's account, from all addresses together, that lock it for everyone (`staffLockoutThreshold` from one address locks only that address). Far above the per-address threshold, so one stranger cannot lock a subscriber out.",
    minimum: 2,
    maximum: 10000,
    default: 50,
  }),
  staffLockoutMinutes: Type.Integer({
    description: 'Staff security: how long a locked account stays locked (and a portal address or account).',
    minimum: 1,
    maximum: 1440,
    default: 15,
  }),
  staffSessionIdleMinutes: Type.Integer({
    description: 'Staff security: idle lifetime of a console session.',
    minimum: 5,
    maximum: 1440,
    default: 60,
  }),
  staffSessionMaxHours: Type.Integer({
    description: 'Staff security: absolute lifetime of a console session.',
    minimum: 1,
    maximum: 72,
    default: 12,
  }),
  staffPasswordResetHours: Type.Integer({
    description: 'Staff security: how long a password reset link that an administrator issues stays usable.',
    minimum: 1,
    maximum: 168,
    default: 24,
  }),
  paymentAllocationOrder: Type.Union([Type.Literal('late-fees-first'), Type.Literal('principal-first')], {
    description: 'Clause 5 and PRC Civil Code art. 561: within a bill, what a payment pays first.',
    default: 'late-fees-first',
  }),
});

export type Settings = Static<typeof settingsSchema>;

/** `lateFeeRatePerDay` → `VP_LATE_FEE_RATE_PER_DAY`. */
export function settingEnvName(setting: string): string {
  return 'VP_' + setting.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}
