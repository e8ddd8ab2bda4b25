import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database, Executor } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { isVersion, parseClientVersion } from './client-versions.js';
import { targetRelease, type ReleaseSnapshot } from './rollout.js';
import type { ClientKind, ClientReleasesTable, ReleaseState } from './tables.js';

export const CLIENT_KINDS: readonly ClientKind[] = ['web', 'terminal', 'linphone', 'baresip'];

export interface ClientRelease extends ReleaseSnapshot {
  kind: ClientKind;
  notes: string;
  createdAt: Date;
  createdBy: string;
  changedAt: Date;
}

function releaseOf(row: Selectable<ClientReleasesTable>): ClientRelease {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    artifactUrl: row.artifact_url,
    rolloutPercent: row.rollout_percent,
    state: row.state,
    notes: row.notes,
    createdAt: row.created_at,
    createdBy: row.created_by,
    changedAt: row.changed_at,
  };
}

export async function listReleases(db: Kysely<Database>, kind?: ClientKind): Promise<ClientRelease[]> {
  let query = db.selectFrom('client_releases').selectAll().orderBy('created_at', 'desc');
  if (kind) query = query.where('kind', '=', kind);
  return (await query.execute()).map(releaseOf);
}

export interface NewRelease {
  kind: ClientKind;
  version: string;
  artifactUrl: string | null;
  rolloutPercent: number;
  notes: string;
}

/** Puts a version on a kind's channel, reaching `rolloutPercent` of the units at once (0: staged, raised later). */
export async function publishRelease(ctx: ServiceContext, input: NewRelease, actor: Actor): Promise<Result<ClientRelease>> {
  if (!isVersion(input.version))
    return fail('invalid', 'invalid-request', 'A version is dotted numbers, e.g. 1.4.2', {
      fields: [{ field: 'version', message: 'dotted numbers' }],
    });
  if (!Number.isInteger(input.rolloutPercent) || input.rolloutPercent < 0 || input.rolloutPercent > 100)
    return fail('invalid', 'invalid-request', 'The rollout is a whole percentage 0..100', {
      fields: [{ field: 'rolloutPercent', message: '0..100' }],
    });
  const now = ctx.clock.now();
  const id = randomUUID();
  const existing = await ctx.db
    .selectFrom('client_releases')
    .select('id')
    .where('kind', '=', input.kind)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (existing) return fail('conflict', 'conflict', `Version ${input.version} is already released on the ${input.kind} channel`);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('client_releases')
      .values({
        id,
        kind: input.kind,
        version: input.version,
        artifact_url: input.artifactUrl,
        rollout_percent: input.rolloutPercent,
        state: 'rolling',
        notes: input.notes,
        created_at: now,
        created_by: actor.name ?? actor.id ?? 'system',
        changed_at: now,
      })
      .execute();
    await recordAudit(trx, { at: now, actor, action: 'releases.publish', target: { type: 'client_release', id }, after: input });
  });
  return ok((await findRelease(ctx.db, id))!);
}

export async function findRelease(db: Executor, id: string): Promise<ClientRelease | null> {
  const row = await db.selectFrom('client_releases').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? releaseOf(row) : null;
}

export type ReleaseChange = { action: 'set-rollout'; rolloutPercent: number } | { action: 'pause' | 'resume' | 'roll-back' };

/** Staged rollout: raise or lower the share, pause (no new units), resume, or roll back (units return to the previous version). */
export async function changeRelease(ctx: ServiceContext, id: string, change: ReleaseChange, actor: Actor): Promise<Result<ClientRelease>> {
  const current = await findRelease(ctx.db, id);
  if (!current) return fail('not_found', 'not-found', 'No such release');
  if (current.state === 'rolled-back')
    return fail('conflict', 'conflict', 'A rolled-back release stays rolled back; publish a new version');
  let next: { state: ReleaseState; rollout_percent: number };
  switch (change.action) {
    case 'set-rollout':
      if (!Number.isInteger(change.rolloutPercent) || change.rolloutPercent < 0 || change.rolloutPercent > 100)
        return fail('invalid', 'invalid-request', 'The rollout is a whole percentage 0..100', {
          fields: [{ field: 'rolloutPercent', message: '0..100' }],
        });
      next = { state: current.state, rollout_percent: change.rolloutPercent };
      break;
    case 'pause':
      next = { state: 'paused', rollout_percent: current.rolloutPercent };
      break;
    case 'resume':
      next = { state: 'rolling', rollout_percent: current.rolloutPercent };
      break;
    case 'roll-back':
      next = { state: 'rolled-back', rollout_percent: current.rolloutPercent };
      break;
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('client_releases')
      .set({ ...next, changed_at: now })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: `releases.${change.action}`,
      target: { type: 'client_release', id },
      before: { state: current.state, rolloutPercent: current.rolloutPercent },
      after: { state: next.state, rolloutPercent: next.rollout_percent },
    });
  });
  return ok((await findRelease(ctx.db, id))!);
}

/** The firmware release a terminal unit should run, by its own rollout bucket; null: keep what it runs. */
export async function firmwareFor(db: Kysely<Database>, unitKey: string, runningVersion: string | null): Promise<ClientRelease | null> {
  return targetRelease(await listReleases(db, 'terminal'), unitKey, runningVersion);
}

export interface MinimumVersion {
  kind: ClientKind;
  version: string;
  changedAt: Date;
  changedBy: string;
}

export async function listMinimumVersions(db: Executor): Promise<MinimumVersion[]> {
  const rows = await db.selectFrom('client_minimum_versions').selectAll().orderBy('kind').execute();
  return rows.map((row) => ({ kind: row.kind, version: row.version, changedAt: row.changed_at, changedBy: row.changed_by }));
}

/** Sets (or with null, lifts) the lowest version of a kind that may register; audited. */
export async function setMinimumVersion(
  ctx: ServiceContext,
  kind: ClientKind,
  version: string | null,
  actor: Actor,
): Promise<Result<MinimumVersion | null>> {
  if (version !== null && !isVersion(version))
    return fail('invalid', 'invalid-request', 'A version is dotted numbers, e.g. 1.4.2', {
      fields: [{ field: 'version', message: 'dotted numbers' }],
    });
  const now = ctx.clock.now();
  const by = actor.name ?? actor.id ?? 'system';
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('client_minimum_versions').select('version').where('kind', '=', kind).executeTakeFirst();
    if (version === null) await trx.deleteFrom('client_minimum_versions').where('kind', '=', kind).execute();
    else
      await trx
        .insertInto('client_minimum_versions')
        .values({ kind, version, changed_at: now, changed_by: by })
        .onConflict((oc) => oc.column('kind').doUpdateSet({ version, changed_at: now, changed_by: by }))
        .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'releases.minimum-version',
      target: { type: 'client_kind', id: kind },
      before: before ?? null,
      after: version === null ? null : { version },
    });
  });
  return ok(version === null ? null : { kind, version, changedAt: now, changedBy: by });
}

export interface DeviceVersionSighting {
  deviceKey: string;
  number: string | null;
  unitId: string | null;
  userAgent: string | null;
  source: 'registration' | 'provisioning';
  at: Date;
}

/** Remembers what a device says it runs (the console's "who runs what"). */
export async function recordDeviceVersion(db: Executor, sighting: DeviceVersionSighting): Promise<void> {
  await recordDeviceVersions(db, [sighting]);
}

/**
 * The same for many devices in one statement (registrations arrive in bursts). A device seen twice
 * in the batch is written once, as last seen: one statement cannot update a row twice.
 */
export async function recordDeviceVersions(db: Executor, sightings: DeviceVersionSighting[]): Promise<void> {
  const latest = new Map<string, DeviceVersionSighting>();
  for (const sighting of sightings) latest.set(sighting.deviceKey, sighting);
  if (latest.size === 0) return;
  const rows = [...latest.values()].map((sighting) => {
    const parsed = parseClientVersion(sighting.userAgent);
    return {
      device_key: sighting.deviceKey,
      number: sighting.number,
      unit_id: sighting.unitId,
      kind: parsed?.kind ?? null,
      version: parsed?.version ?? null,
      user_agent: sighting.userAgent?.slice(0, 300) ?? null,
      source: sighting.source,
      seen_at: sighting.at,
    };
  });
  await db
    .insertInto('device_versions')
    .values(rows)
    .onConflict((oc) =>
      oc.column('device_key').doUpdateSet((eb) => ({
        number: eb.fn.coalesce('excluded.number', 'device_versions.number'),
        unit_id: eb.fn.coalesce('excluded.unit_id', 'device_versions.unit_id'),
        // A provisioning fetch whose User-Agent names no version does not erase what registration told.
        kind: eb.fn.coalesce('excluded.kind', 'device_versions.kind'),
        version: eb.fn.coalesce('excluded.version', 'device_versions.version'),
        user_agent: eb.ref('excluded.user_agent'),
        source: eb.ref('excluded.source'),
        seen_at: eb.ref('excluded.seen_at'),
      })),
    )
    .execute();
}

export interface DeviceVersion {
  deviceKey: string;
  number: string | null;
  unitId: string | null;
  kind: ClientKind | null;
  version: string | null;
  userAgent: string | null;
  source: 'registration' | 'provisioning';
  seenAt: Date;
}

export async function listDeviceVersions(db: Executor, limit = 1000): Promise<DeviceVersion[]> {
  const rows = await db.selectFrom('device_versions').selectAll().orderBy('seen_at', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    deviceKey: row.device_key,
    number: row.number,
    unitId: row.unit_id,
    kind: row.kind,
    version: row.version,
    userAgent: row.user_agent,
    source: row.source,
    seenAt: row.seen_at,
  }));
}

/** The version a device last reported (registration or provisioning fetch), or null. */
export async function deviceVersionOf(db: Executor, deviceKey: string): Promise<string | null> {
  const row = await db.selectFrom('device_versions').select('version').where('device_key', '=', deviceKey).executeTakeFirst();
  return row?.version ?? null;
}
