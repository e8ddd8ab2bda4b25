import type { ColumnType, Generated } from 'kysely';

export type OutageCause = 'platform' | 'third-party' | 'force-majeure' | 'government-action' | 'announced-maintenance';

/** Who an outage reached: everyone, the holders of numbers in ranges or under prefixes, or named subscribers. */
export type OutageScope = { kind: 'everyone' } | { kind: 'numbers'; ranges: string[] } | { kind: 'subscribers'; subscriberIds: string[] };

/** An outage: its identity and where its credit stands. What it was lives in its versions. */
export interface OutagesTable {
  id: Generated<string>;
  /** OUT-1, OUT-2 … : what staff, subscribers and bill lines call it. */
  number: Generated<number>;
  current_version: number;
  recorded_at: ColumnType<Date, Date, never>;
  /** When the newest version was recorded: an outage changed since its credit was computed is computed again. */
  changed_at: Date;
  /** When the credit job last settled this outage's credits (null: not yet). */
  credited_at: Date | null;
}

/** One version of an outage's facts. Append-only: a correction is a new version, never an edit. */
export interface OutageVersionsTable {
  outage_id: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  starts_at: ColumnType<Date, Date, never>;
  ends_at: ColumnType<Date | null, Date | null, never>;
  cause: ColumnType<OutageCause, OutageCause, never>;
  scope: ColumnType<OutageScope, string, never>;
  description_zh: ColumnType<string, string, never>;
  description_en: ColumnType<string, string, never>;
  /** Why this version was recorded (required for a correction). */
  note: ColumnType<string | null, string | null, never>;
  recorded_at: ColumnType<Date, Date, never>;
  recorded_by: ColumnType<string, string, never>;
  recorded_by_name: ColumnType<string, string, never>;
}

/**
 * The credit documents an outage gave one subscriber, in order: a positive amount was posted to
 * billing as a credit note, a negative one as an adjustment charge (a correction that shrank the
 * outage). Written before billing is asked (a pending row has no ledger entry yet), so a crash
 * between the two is finished by the next run under the same idempotency key.
 */
export interface OutageCreditsTable {
  id: Generated<string>;
  outage_id: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  subscriber_id: ColumnType<string, string, never>;
  seq: ColumnType<number, number, never>;
  amount_fen: ColumnType<number, number, never>;
  /** What the subscriber is owed for this outage in total, after this document. */
  entitled_fen: ColumnType<number, number, never>;
  affected_minutes: ColumnType<number, number, never>;
  reason: ColumnType<string, string, never>;
  detail: ColumnType<unknown, string, never>;
  idempotency_key: ColumnType<string, string, never>;
  ledger_entry_id: string | null;
  created_at: ColumnType<Date, Date, never>;
  posted_at: Date | null;
}

export interface AssuranceTables {
  outages: OutagesTable;
  outage_versions: OutageVersionsTable;
  outage_credits: OutageCreditsTable;
}
