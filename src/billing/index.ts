export {
  accountsInService,
  assignBillingNumber,
  correctAccountPlan,
  findBillingAccount,
  onUsageTermsChanged,
  openBillingAccount,
  type AccountInService,
  type BillingAccount,
} from './accounts.js';
export { billRunProgress, listBillRuns, runBills, type BillRunHooks, type BillRunProgress } from './bill-run.js';
export type { BillingContext, ServiceControl } from './context.js';
export { composeBill, type BillLine, type BillSnapshot, type ComposedBill } from './compose-bill.js';
export { dunningStageOf, evaluateDunning, OVERDUE_SUSPENSION_REASON, restoreServiceAfterPayment, runDunning } from './dunning.js';
export { issueBill, issueFinalBill, type BillKind } from './issue-bill.js';
export { billingCycleJob } from './job.js';
export { ledgerBalance, ledgerOf, rebuildBalances, type LedgerLine } from './ledger.js';
export {
  postAdjustment,
  recordPayment,
  refundCredit,
  type NewPayment,
  type PaymentChannel,
  type PaymentProvider,
  type RecordedPayment,
} from './payments.js';
export { rateCompletedCalls, rerateSubscriber } from './rating.js';
export { billBalances, lateFeeStatus, unappliedCredit, type BillBalance } from './receivables.js';
export { billingBalanceSource } from './balance-source.js';
export { importReconciliation, type ReconciliationReport } from './bank-import.js';
export { amountOwedNow, amountOwedOnBill, type AmountOwed } from './owed-now.js';
export { billDetail, billOwner, type BillDetail } from './statements.js';
export {
  billForDispute,
  billLineForDispute,
  callRatingForDispute,
  holdDisputedAmount,
  openDisputedByBill,
  releaseDisputedAmount,
  type CallRatingEvidence,
} from './disputed-amounts.js';
export { billingRoutes } from './routes.js';
export { usageTermsOfNumber, usageTermsOfNumbers, usageTermsOfSubscriber, type PlanPrices, type UsageTerms } from './tariffs.js';
export { PAYMENT_RECORDED, type PaymentRecorded } from './payments.js';
export { entitlementsServiceControl, followSubscriberEvents } from './subscriber-events.js';
export type { BillingTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { billing } from './migrations/20261124T0600-billing.js';
export { includedUsage } from './migrations/20261124T0610-included-usage.js';
export { ledgerRequestHash } from './migrations/20261125T0100-ledger-request-hash.js';
export { billExactness } from './migrations/20261203T0500-bill-exactness.js';
export { overdueQueuePage, overdueStages } from './work-queue.js';
export { moneyFigures, type MoneyFigures } from './dashboard-figures.js';
