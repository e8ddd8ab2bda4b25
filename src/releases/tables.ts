import type { ColumnType } from 'kysely';

/** The kinds of client the platform knows by their User-Agent (see client-versions.ts). */
export type ClientKind = 'web' | 'terminal' | 'linphone' | 'baresip';

export type ReleaseState = 'rolling' | 'paused' | 'rolled-back';

/**
 * One version released on a client kind's channel (clause 8): terminal firmware and configuration
 * versions, rolled out to a deterministic share of units. Never deleted: a rollback is a state.
 */
export interface ClientReleasesTable {
  id: string;
  kind: ClientKind;
  version: string;
  /** Where a unit downloads the image from; null for a configuration-only version. */
  artifact_url: string | null;
  /** The share of units (0..100) that get it, each unit by its own hash (rollout.ts). */
  rollout_percent: number;
  state: ReleaseState;
  notes: string;
  created_at: ColumnType<Date, Date, never>;
  created_by: string;
  changed_at: Date;
}

/** The lowest version of a kind of client that may register (enforced by the registrar). */
export interface ClientMinimumVersionsTable {
  kind: ClientKind;
  version: string;
  changed_at: Date;
  changed_by: string;
}

/** What each device last said it runs: from its REGISTER's User-Agent or its provisioning fetch. */
export interface DeviceVersionsTable {
  /** The digest username (a device) or the number (its own credentials), or `unit:<id>` before it registers. */
  device_key: string;
  number: string | null;
  unit_id: string | null;
  kind: ClientKind | null;
  version: string | null;
  user_agent: string | null;
  source: 'registration' | 'provisioning';
  seen_at: Date;
}

export interface ReleaseTables {
  client_releases: ClientReleasesTable;
  client_minimum_versions: ClientMinimumVersionsTable;
  device_versions: DeviceVersionsTable;
}
