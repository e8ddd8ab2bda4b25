import type { ColumnType, Generated } from 'kysely';

/**
 * Billing's tables. Columns of SQL type `date` hold the operator's local calendar dates; queries read
 * them as text (`::text`), never as JS Dates, so no time zone can shift them.
 */
type LocalDateColumn = ColumnType<string, string, string>;

export interface BillingAccountsTable {
  subscriber_id: string;
  plan_id: string;
  service_start: LocalDateColumn;
  service_end: LocalDateColumn | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface BillingNumbersTable {
  number: string;
  subscriber_id: string;
  assigned_at: Date;
  released_at: Date | null;
}

export interface CallChargesTable {
  id: Generated<number>;
  call_record_id: string;
  subscriber_id: string;
  kind: 'rating' | 'correction';
  plan_id: string;
  usage_period: LocalDateColumn;
  bill_period: LocalDateColumn;
  answered_at: Date;
  duration_ms: number;
  billable_seconds: number;
  included_seconds: number;
  charged_seconds: number;
  charge_fen: number;
  rated_at: Date;
}

/** Included seconds used per subscriber and month: the running sum of call_charges.included_seconds. */
export interface IncludedUsageTable {
  subscriber_id: string;
  usage_period: LocalDateColumn;
  used_seconds: number;
}

export interface BillsTable {
  id: Generated<string>;
  subscriber_id: string;
  period: LocalDateColumn;
  kind: 'regular' | 'final' | 'supplementary';
  issue_date: LocalDateColumn;
  due_date: LocalDateColumn;
  issued_at: Date;
  total_fen: number;
  late_fee_fen: number;
  principal_fen: number;
  service_from: LocalDateColumn | null;
  service_to: LocalDateColumn | null;
}

export type LedgerKind = 'rent' | 'usage' | 'late_fee' | 'payment' | 'refund' | 'credit_note' | 'adjustment' | 'correction';

export interface LedgerEntriesTable {
  id: Generated<string>;
  seq: Generated<number>;
  subscriber_id: string;
  kind: LedgerKind;
  amount_fen: number;
  bill_id: string | null;
  call_record_id: string | null;
  payment_id: string | null;
  refund_id: string | null;
  description: string;
  detail: unknown;
  idempotency_key: string;
  /** SHA-256 of the canonical request a client's idempotency key was first used for. */
  request_hash: string | null;
  posted_at: Date;
  actor: string | null;
}

export interface BillLinesTable {
  bill_id: string;
  ledger_entry_id: string;
  position: number;
}

export interface BillDisputesTable {
  id: Generated<string>;
  bill_id: string;
  amount_fen: number;
  opened_at: Date;
  closed_at: Date | null;
}

export interface PaymentsTable {
  id: Generated<string>;
  subscriber_id: string;
  provider: string;
  external_reference: string;
  amount_fen: number;
  paid_at: Date;
  recorded_at: Date;
  channel: 'webhook' | 'bank-file' | 'manual';
  recorded_by: string | null;
  /** Why a desk payment was dated further back than the tolerance (null when it was not). */
  backdate_reason: ColumnType<string | null, string | null | undefined, never>;
}

export interface RefundsTable {
  id: Generated<string>;
  subscriber_id: string;
  payment_id: string | null;
  amount_fen: number;
  reason: string;
  refunded_at: Date;
  recorded_by: string | null;
}

export interface PaymentAllocationsTable {
  id: Generated<number>;
  subscriber_id: string;
  bill_id: string;
  portion: 'late_fee' | 'principal';
  amount_fen: number;
  effective_at: Date;
  created_at: Date;
}

export interface BillRunsTable {
  period: LocalDateColumn;
  started_at: Date;
  finished_at: Date | null;
  subscribers_total: number;
  subscribers_billed: number;
  last_error: string | null;
}

export interface BillingCursorsTable {
  name: string;
  at: Date;
}

export interface DunningStatesTable {
  subscriber_id: string;
  stage: string;
  since: Date;
  oldest_due_date: LocalDateColumn | null;
  updated_at: Date;
}

export interface CollectionsTable {
  id: Generated<string>;
  subscriber_id: string;
  arrears_fen: number;
  late_fees_fen: number;
  total_fen: number;
  frozen_at: Date;
  bills: unknown;
}

export interface BankImportsTable {
  id: Generated<string>;
  file_name: string;
  imported_at: Date;
  imported_by: string | null;
  accepted: number;
  duplicates: number;
  rejected: number;
  report: unknown;
}

export interface BillingTables {
  billing_accounts: BillingAccountsTable;
  billing_numbers: BillingNumbersTable;
  call_charges: CallChargesTable;
  included_usage: IncludedUsageTable;
  bills: BillsTable;
  ledger_entries: LedgerEntriesTable;
  bill_lines: BillLinesTable;
  bill_disputes: BillDisputesTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  payment_allocations: PaymentAllocationsTable;
  bill_runs: BillRunsTable;
  billing_cursors: BillingCursorsTable;
  dunning_states: DunningStatesTable;
  collections: CollectionsTable;
  bank_imports: BankImportsTable;
}
