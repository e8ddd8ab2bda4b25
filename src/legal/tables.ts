import type { ColumnType, Generated } from 'kysely';

export type OrderScope = 'all' | 'outgoing';
export type AbuseDecision = 'pending' | 'suspend' | 'dismiss';

/**
 * A judicial or state-security authority's order to suspend a subscriber's service (clause 10). The
 * order's own document is sealed with the field cipher, bound to the order. `applied_at` is when the
 * suspension it causes opened (null while `effective_from` is ahead), `ended_at` when it closed, by
 * `effective_until` or by a legal officer lifting it (`lifted_*`).
 */
export interface JudicialOrdersTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  authority: ColumnType<string, string, never>;
  case_number: ColumnType<string, string, never>;
  legal_basis: ColumnType<string, string, never>;
  document_content_type: ColumnType<string, string, never>;
  document_size_bytes: ColumnType<number, number, never>;
  document_sha256: ColumnType<string, string, never>;
  document_sealed: ColumnType<string, string, never>;
  scope: ColumnType<OrderScope, OrderScope, never>;
  effective_from: ColumnType<Date, Date, never>;
  effective_until: ColumnType<Date | null, Date | null, never>;
  end_calls_in_progress: ColumnType<boolean, boolean, never>;
  disclose_to_subscriber: ColumnType<boolean, boolean, never>;
  created_at: ColumnType<Date, Date, never>;
  created_by_id: ColumnType<string, string, never>;
  created_by_name: ColumnType<string, string, never>;
  applied_at: Date | null;
  ended_at: Date | null;
  lifted_at: Date | null;
  lifted_by_id: string | null;
  lifted_by_name: string | null;
  lift_reason: string | null;
}

/** A report of unlawful use (clause 3), entered by staff, and the legal officer's decision on it. */
export interface AbuseReportsTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  description: ColumnType<string, string, never>;
  reported_at: ColumnType<Date, Date, never>;
  reported_by_id: ColumnType<string, string, never>;
  reported_by_name: ColumnType<string, string, never>;
  decision: AbuseDecision;
  decision_note: string | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  /** When the suspension a `suspend` decision opened was lifted, by whom and why. */
  lifted_at: Date | null;
  lifted_by_name: string | null;
  lift_reason: string | null;
}

/** Evidence files of an abuse report, sealed with the field cipher bound to the report and the file. */
export interface AbuseEvidenceTable {
  id: Generated<string>;
  report_id: ColumnType<string, string, never>;
  file_name: ColumnType<string, string, never>;
  content_type: ColumnType<string, string, never>;
  size_bytes: ColumnType<number, number, never>;
  sha256: ColumnType<string, string, never>;
  sealed: ColumnType<string, string, never>;
}

export interface LegalTables {
  judicial_orders: JudicialOrdersTable;
  abuse_reports: AbuseReportsTable;
  abuse_evidence: AbuseEvidenceTable;
}
