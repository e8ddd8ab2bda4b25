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

/** What a maintenance window does to the service of those it reaches (clause 7). */
export type MaintenanceEffect = 'interruption' | 'degraded' | 'number-change';

/** Who a window reaches, as staff named it: everyone in service, or the holders of a list of numbers. */
export type MaintenanceScope = { kind: 'all' } | { kind: 'numbers'; numbers: string[] };

/**
 * A maintenance window announced by a service notice (clause 7). Published when created; a window
 * published with less than the notice lead time carries the reason and is credited as an outage
 * (clause 13) through the outage it is linked to once it begins.
 */
export interface MaintenanceWindowsTable {
  id: Generated<string>;
  /** MW-1, MW-2 … : what staff and notices call it. */
  number: Generated<number>;
  starts_at: ColumnType<Date, Date, never>;
  ends_at: ColumnType<Date, Date, never>;
  effect: ColumnType<MaintenanceEffect, MaintenanceEffect, never>;
  scope: ColumnType<MaintenanceScope, string, never>;
  title_zh: ColumnType<string, string, never>;
  title_en: ColumnType<string, string, never>;
  description_zh: ColumnType<string, string, never>;
  description_en: ColumnType<string, string, never>;
  published_at: ColumnType<Date, Date, never>;
  published_by: ColumnType<string, string, never>;
  published_by_name: ColumnType<string, string, never>;
  /** Why it was published with less than the notice lead time (null: on time). */
  late_reason: ColumnType<string | null, string | null, never>;
  /** The outage a late window became once it began (clause 13), null until then or when on time. */
  outage_id: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancelled_by_name: string | null;
  cancel_reason: string | null;
}

/**
 * The subscribers a window reaches, resolved when it is published, through billing and numbers'
 * public functions. For a number change, one row per number changed, with the new number.
 */
export interface MaintenanceWindowSubscribersTable {
  window_id: ColumnType<string, string, never>;
  subscriber_id: ColumnType<string, string, never>;
  /** The number named in the scope (null for a window over everyone). */
  number: ColumnType<string | null, string | null, never>;
  new_number: ColumnType<string | null, string | null, never>;
}

export interface AssuranceTables {
  outages: OutagesTable;
  outage_versions: OutageVersionsTable;
  outage_credits: OutageCreditsTable;
  maintenance_windows: MaintenanceWindowsTable;
  maintenance_window_subscribers: MaintenanceWindowSubscribersTable;
}
