// Online payment (issue #15): intents for what is owed, providers' notifications applied once, refunds, reconciliation.
export type { PaymentsContext } from './context.js';
export {
  amountToPay,
  applyOutcome,
  createPaymentIntent,
  INTENT_LIFETIME_MINUTES,
  paymentIntentOf,
  paymentIntentsOf,
  recentOnlinePayments,
  type OnlinePaymentRow,
  receiveNotification,
  type PaymentIntentView,
} from './intents.js';
export {
  paymentMismatches,
  reconcilePayments,
  reconcilePaymentsJob,
  resolvePaymentMismatch,
  simulatorDeliveriesJob,
  type PaymentMismatch,
} from './reconcile.js';
export { refundOnlinePayment, type OnlineRefund } from './refunds.js';
export { paymentRoutes } from './routes.js';
export { buildPaymentProviders, type PaymentProviders } from './providers/registry.js';
export {
  PaymentSimulator,
  SIMULATOR_ACKNOWLEDGEMENT,
  SIMULATOR_RETRY_SECONDS,
  type NotificationTransport,
  type SimulatedNotification,
} from './providers/simulator.js';
export type * from './provider.js';
export type { PaymentTables, PaymentPurpose, IntentStatus } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { paymentsOnline } from './migrations/20261203T1500-payments-online.js';
export { paymentsMismatchResolution } from './migrations/20261204T0000-payments-mismatch-resolution.js';
