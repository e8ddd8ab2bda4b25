import type { ColumnType, Generated } from 'kysely';

export type SuspensionCause = 'overdue' | 'credit-limit' | 'judicial' | 'false-data' | 'abuse' | 'termination';
export type SuspensionScope = 'outgoing' | 'all';

export interface SuspensionsTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  cause: ColumnType<SuspensionCause, SuspensionCause, never>;
  blocks: ColumnType<SuspensionScope, SuspensionScope, never>;
  /** Clause 10 (judicial) and clause 5 (overdue, a setting): whether monthly rent keeps accruing. */
  rent_continues: ColumnType<boolean, boolean, never>;
  /** Shown to the subscriber and in the SIP refusal. */
  reason: ColumnType<string, string, never>;
  /** What the suspension stems from (a bill, a court order number); lets a cause lift only its own. */
  reference: ColumnType<string | null, string | null | undefined, never>;
  started_at: ColumnType<Date, Date, never>;
  lifted_at: Date | null;
  lifted_by: string | null;
}

export interface EntitlementTables {
  suspensions: SuspensionsTable;
}
