import type { ColumnType, Generated } from 'kysely';

/** Local calendar dates (the operator's months), read as text so no time zone shifts them. */
type LocalDateColumn = ColumnType<string, string, string>;

/** A credit limit chosen after the order (clause 9): by staff, or by the subscriber among the catalogue's choices. */
export interface CreditLimitsTable {
  subscriber_id: string;
  limit_fen: number;
  changed_at: Date;
  changed_by: string;
}

/** One subscriber's month: the fees of its completed calls, and the alerts already given. */
export interface ChargingMonthsTable {
  subscriber_id: string;
  period: LocalDateColumn;
  limit_fen: number | null;
  settled_fen: number;
  settled_included_seconds: number;
  settled_calls: number;
  /** The answer of the month's latest-starting settled call. */
  last_settled_start: Date | null;
  alerted_80_at: Date | null;
  alerted_100_at: Date | null;
  exhausted_at: Date | null;
}

/** A call in progress and the time and money it holds; it lapses by itself at `expires_at`. */
export interface ChargingReservationsTable {
  call_key: string;
  subscriber_id: string;
  caller: string;
  period: LocalDateColumn;
  node_id: string;
  record_id: string | null;
  state: 'ringing' | 'answered';
  authorized_at: Date;
  answered_at: Date | null;
  granted_seconds: number;
  included_seconds: number;
  reserved_fen: number;
  granted_until: Date;
  expires_at: Date;
}

/** A completed call as charging priced it (the same rule the bill applies). */
export interface ChargingUsageTable {
  record_id: string;
  subscriber_id: string;
  period: LocalDateColumn;
  duration_ms: number;
  billable_seconds: number;
  included_seconds: number;
  charge_fen: number;
  settled_at: Date;
  answered_at: Date;
}

export type ChargingLogKind = 'authorized' | 'refused' | 'cutoff' | 'exhausted' | 'restored' | 'alert' | 'limit-changed';

/** What staff read per subscriber: authorisations, refusals, cutoffs, alerts and limit changes. */
export interface ChargingLogTable {
  id: Generated<number>;
  subscriber_id: string;
  at: Date;
  kind: ChargingLogKind;
  call_key: string | null;
  detail: unknown;
}

export interface ChargingTables {
  credit_limits: CreditLimitsTable;
  charging_months: ChargingMonthsTable;
  charging_reservations: ChargingReservationsTable;
  charging_usage: ChargingUsageTable;
  charging_log: ChargingLogTable;
}
