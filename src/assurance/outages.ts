import { sql } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { validateOutage, type OutageFacts } from './rules.js';
import type { OutageCause, OutageScope } from './tables.js';

/** An outage as staff see it: its newest version, with how many versions it has had. */
export interface Outage extends OutageFacts {
  id: string;
  reference: string;
  version: number;
  recordedAt: Date;
  changedAt: Date;
  creditedAt: Date | null;
}

export interface OutageVersion extends OutageFacts {
  version: number;
  note: string | null;
  recordedAt: Date;
  recordedBy: string;
}

export const referenceOf = (number: number) => `OUT-${number}`;

/** Staff record an outage (audited). Maintenance is recorded as its announcement, ahead of the window. */
export async function recordOutage(ctx: ServiceContext, facts: OutageFacts, actor: Actor): Promise<Result<Outage>> {
  const now = ctx.clock.now();
  const errors = validateOutage(facts, now, ctx.settings.maintenanceNoticeLeadHours, null);
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The outage is not valid', { fields: errors });
  const id = await ctx.db.transaction().execute((trx) => insertOutage(trx, facts, now, actor));
  return ok((await findOutage(ctx.db, id))!);
}

/**
 * Writes a new outage and its first version (audited) in the caller's transaction, facts already
 * judged valid: by recordOutage, or a late maintenance window that becomes an outage as it begins.
 */
export async function insertOutage(executor: Executor, facts: OutageFacts, now: Date, actor: Actor): Promise<string> {
  const row = await executor
    .insertInto('outages')
    .values({ current_version: 1, recorded_at: now, changed_at: now, credited_at: null })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();
  await insertVersion(executor, row.id, 1, facts, null, now, actor);
  await recordAudit(executor, {
    at: now,
    actor,
    action: 'assurance.outage-recorded',
    target: { type: 'outage', id: row.id },
    after: { reference: referenceOf(row.number), ...facts },
  });
  return row.id;
}

/** The end of an ongoing outage: a new version with the same facts and an end (audited). */
export async function endOutage(ctx: ServiceContext, id: string, endsAt: Date, actor: Actor): Promise<Result<Outage>> {
  const current = await findOutage(ctx.db, id);
  if (!current) return fail('not_found', 'not-found', 'No such outage');
  if (current.endsAt !== null) return fail('conflict', 'conflict', 'The outage has already ended; correct its times instead');
  return reviseOutage(ctx, current, { ...current, endsAt }, 'ended', null, actor);
}

/**
 * A correction: new facts as a new version, with the reason (audited). The versions before it stay as
 * they were, and credits already posted stay; the credit job posts the difference.
 */
export async function correctOutage(
  ctx: ServiceContext,
  id: string,
  facts: OutageFacts,
  note: string,
  actor: Actor,
  expectedVersion?: number,
): Promise<Result<Outage>> {
  const current = await findOutage(ctx.db, id);
  if (!current) return fail('not_found', 'not-found', 'No such outage');
  if (note.trim() === '')
    return fail('invalid', 'invalid-request', 'A correction states its reason', {
      fields: [{ field: 'note', message: 'is required', code: 'required' }],
    });
  if (expectedVersion !== undefined && expectedVersion !== current.version)
    return fail('conflict', 'conflict', `The outage was changed meanwhile (now version ${current.version})`);
  return reviseOutage(ctx, current, facts, 'corrected', note, actor);
}

async function reviseOutage(
  ctx: ServiceContext,
  current: Outage,
  facts: OutageFacts,
  verb: 'ended' | 'corrected',
  note: string | null,
  actor: Actor,
): Promise<Result<Outage>> {
  const now = ctx.clock.now();
  const errors = validateOutage(facts, now, ctx.settings.maintenanceNoticeLeadHours, current);
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The outage is not valid', { fields: errors });
  const saved = await ctx.db.transaction().execute(async (trx) => {
    // The version number is the lock: a concurrent revision of the same version changes no row.
    const bumped = await trx
      .updateTable('outages')
      .set({ current_version: current.version + 1, changed_at: now })
      .where('id', '=', current.id)
      .where('current_version', '=', current.version)
      .executeTakeFirst();
    if (Number(bumped.numUpdatedRows) !== 1) return false;
    await insertVersion(trx, current.id, current.version + 1, facts, note, now, actor);
    await recordAudit(trx, {
      at: now,
      actor,
      action: `assurance.outage-${verb}`,
      target: { type: 'outage', id: current.id },
      before: factsOf(current),
      after: { version: current.version + 1, ...facts, note },
    });
    return true;
  });
  if (!saved) return fail('conflict', 'conflict', 'The outage was changed meanwhile; reload it');
  return ok((await findOutage(ctx.db, current.id))!);
}

async function insertVersion(
  executor: Executor,
  id: string,
  version: number,
  facts: OutageFacts,
  note: string | null,
  now: Date,
  actor: Actor,
): Promise<void> {
  await executor
    .insertInto('outage_versions')
    .values({
      outage_id: id,
      version,
      starts_at: facts.startsAt,
      ends_at: facts.endsAt,
      cause: facts.cause,
      scope: JSON.stringify(normalScope(facts.scope)),
      description_zh: facts.descriptionZh.trim(),
      description_en: facts.descriptionEn.trim(),
      note,
      recorded_at: now,
      recorded_by: actor.id ?? actor.type,
      recorded_by_name: actor.name ?? actor.type,
    })
    .execute();
}

function normalScope(scope: OutageScope): OutageScope {
  if (scope.kind === 'numbers') return { kind: 'numbers', ranges: scope.ranges.map((r) => r.trim()) };
  if (scope.kind === 'subscribers')
    return { kind: 'subscribers', subscriberIds: [...new Set(scope.subscriberIds.map((s) => s.toLowerCase()))] };
  return { kind: 'everyone' };
}

const factsOf = (o: OutageFacts): OutageFacts => ({
  startsAt: o.startsAt,
  endsAt: o.endsAt,
  cause: o.cause,
  scope: o.scope,
  descriptionZh: o.descriptionZh,
  descriptionEn: o.descriptionEn,
});

interface OutageRow {
  id: string;
  number: number;
  version: number;
  recorded_at: Date;
  changed_at: Date;
  credited_at: Date | null;
  starts_at: Date;
  ends_at: Date | null;
  cause: OutageCause;
  scope: OutageScope;
  description_zh: string;
  description_en: string;
}

function toOutage(row: OutageRow): Outage {
  return {
    id: row.id,
    reference: referenceOf(row.number),
    version: row.version,
    recordedAt: row.recorded_at,
    changedAt: row.changed_at,
    creditedAt: row.credited_at,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    cause: row.cause,
    scope: row.scope,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
  };
}

function currentOutages(executor: Executor) {
  return executor
    .selectFrom('outages as o')
    .innerJoin('outage_versions as v', (join) => join.onRef('v.outage_id', '=', 'o.id').onRef('v.version', '=', 'o.current_version'))
    .select([
      'o.id',
      'o.number',
      'o.current_version as version',
      'o.recorded_at',
      'o.changed_at',
      'o.credited_at',
      'v.starts_at',
      'v.ends_at',
      'v.cause',
      'v.scope',
      'v.description_zh',
      'v.description_en',
    ]);
}

export async function findOutage(executor: Executor, id: string): Promise<Outage | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await currentOutages(executor).where('o.id', '=', id).executeTakeFirst();
  return row ? toOutage(row) : null;
}

/** Every outage as it stands now, newest start first; `since` keeps those ongoing or ended after it. */
export async function listOutages(executor: Executor, options: { since?: Date } = {}): Promise<Outage[]> {
  let query = currentOutages(executor);
  const since = options.since;
  if (since) query = query.where((eb) => eb.or([eb('v.ends_at', 'is', null), eb('v.ends_at', '>=', since)]));
  const rows = await query.orderBy('v.starts_at', 'desc').orderBy('o.number', 'desc').execute();
  return rows.map(toOutage);
}

/** The versions of an outage, oldest first: its history, as recorded. */
export async function outageVersions(executor: Executor, id: string): Promise<OutageVersion[]> {
  const rows = await executor.selectFrom('outage_versions').selectAll().where('outage_id', '=', id).orderBy('version').execute();
  return rows.map((row) => ({
    version: row.version,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    cause: row.cause,
    scope: row.scope,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    note: row.note,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by_name,
  }));
}

/** Marks an outage's credits as settled for what it was at `changedAt`. */
export async function markCredited(executor: Executor, id: string, at: Date): Promise<void> {
  await sql`update outages set credited_at = ${at} where id = ${id}`.execute(executor);
}
