import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const clientReleases: Migration = {
  async up(db: Kysely<unknown>) {
    // Clause 8: a channel per client kind; a release reaches rollout_percent of the units, by hash.
    await sql`
      create table client_releases (
        id uuid primary key,
        kind text not null check (kind in ('web', 'terminal', 'linphone', 'baresip')),
        version text not null,
        artifact_url text,
        rollout_percent integer not null check (rollout_percent between 0 and 100),
        state text not null check (state in ('rolling', 'paused', 'rolled-back')),
        notes text not null,
        created_at timestamptz not null,
        created_by text not null,
        changed_at timestamptz not null,
        unique (kind, version)
      )`.execute(db);
    await sql`
      create table client_minimum_versions (
        kind text primary key check (kind in ('web', 'terminal', 'linphone', 'baresip')),
        version text not null,
        changed_at timestamptz not null,
        changed_by text not null
      )`.execute(db);
    await sql`
      create table device_versions (
        device_key text primary key,
        number text,
        unit_id text,
        kind text,
        version text,
        user_agent text,
        source text not null check (source in ('registration', 'provisioning')),
        seen_at timestamptz not null
      )`.execute(db);
    await sql`create index device_versions_number on device_versions (number)`.execute(db);
  },
};
