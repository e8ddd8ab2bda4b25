import type { ColumnType, Generated } from 'kysely';

export type PaymentPurpose = 'bill' | 'balance' | 'month-fees' | 'settlement';
/** Stripe's PaymentIntent states, as far as a QR or redirect payment goes through them. */
export type IntentStatus = 'created' | 'pending' | 'succeeded' | 'failed' | 'expired' | 'closed';

/** One attempt to collect an amount the server decided is owed, through one provider. */
export interface PaymentIntentsTable {
  id: Generated<string>;
  subscriber_id: string;
  purpose: PaymentPurpose;
  bill_id: string | null;
  amount_fen: number;
  provider: string;
  /** Our reference at the provider (out_trade_no); unique. */
  merchant_reference: string;
  description: string;
  status: IntentStatus;
  action_kind: ColumnType<'qr' | 'redirect' | null, 'qr' | 'redirect' | null | undefined, 'qr' | 'redirect' | null>;
  action_content: ColumnType<string | null, string | null | undefined, string | null>;
  provider_reference: ColumnType<string | null, string | null | undefined, string | null>;
  /** Billing's payment, once the money is applied. */
  payment_id: ColumnType<string | null, string | null | undefined, string | null>;
  failure_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  expires_at: Date;
  settled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: Date;
}

/** Every verified notification and query answer, with what it did: the trail behind "applied once". */
export interface PaymentNotificationsTable {
  id: Generated<string>;
  intent_id: string | null;
  provider: string;
  merchant_reference: string;
  provider_reference: string;
  status: string;
  amount_fen: number;
  source: 'notification' | 'reconciliation';
  effect: NotificationEffect;
  received_at: Date;
}

export type NotificationEffect =
  'applied' | 'duplicate' | 'marked-failed' | 'ignored-out-of-order' | 'amount-mismatch' | 'unknown-intent' | 'no-change';

/** A refund of online-paid credit, sent back through the provider the money came from. */
export interface PaymentRefundsTable {
  id: Generated<string>;
  intent_id: string;
  refund_reference: string;
  amount_fen: number;
  reason: string;
  status: 'succeeded' | 'pending' | 'failed';
  provider_refund_reference: ColumnType<string | null, string | null | undefined, string | null>;
  /** Billing's refund record (ledger), once the credit is paid back. */
  billing_refund_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  created_by: string | null;
}

/** A difference between our records and the provider's, found by reconciliation, for staff. */
export interface PaymentMismatchesTable {
  id: Generated<string>;
  intent_id: string | null;
  provider: string;
  merchant_reference: string;
  kind: MismatchKind;
  detail: unknown;
  found_at: Date;
  resolved_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  resolved_by: ColumnType<string | null, string | null | undefined, string | null>;
  resolved_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** What the person did about it, in their words. */
  resolution: ColumnType<string | null, string | null | undefined, string | null>;
}

export type MismatchKind =
  'missed-notification' | 'amount-differs' | 'status-differs' | 'unknown-at-provider' | 'unknown-intent' | 'refund-not-recorded';

/**
 * The local simulator's own books, as a provider keeps them: what it was asked to collect, what the
 * payer did, and its deliveries of the notification (retried until acknowledged, like Alipay's).
 */
export interface PaymentSimulatorOrdersTable {
  trade_no: string;
  merchant_reference: string;
  amount_fen: number;
  description: string;
  notify_url: string;
  return_url: string;
  status: 'pending' | 'succeeded' | 'failed' | 'closed';
  created_at: Date;
  expires_at: Date;
  paid_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  refunded_fen: ColumnType<number, number | undefined, number>;
  delivery_attempts: ColumnType<number, number | undefined, number>;
  next_delivery_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  acknowledged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PaymentTables {
  payment_intents: PaymentIntentsTable;
  payment_notifications: PaymentNotificationsTable;
  payment_refunds: PaymentRefundsTable;
  payment_mismatches: PaymentMismatchesTable;
  payment_simulator_orders: PaymentSimulatorOrdersTable;
}
