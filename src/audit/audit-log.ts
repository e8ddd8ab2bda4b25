import type { Executor } from '../platform/db/index.js';

export type ActorType = 'staff' | 'subscriber' | 'system' | 'anonymous';

export interface Actor {
  type: ActorType;
  id: string | null;
  name: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export const systemActor: Actor = { type: 'system', id: null, name: 'system' };

export interface AuditEntry {
  at: Date;
  actor: Actor;
  /** Dotted verb, e.g. `staff.login`, `staff.roles.change`. */
  action: string;
  target?: { type: string; id: string } | null;
  outcome?: 'success' | 'failure';
  before?: unknown;
  after?: unknown;
  detail?: unknown;
}

export interface AuditRecord {
  id: string;
  at: string;
  actorType: ActorType;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  userAgent: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Appends one entry. Call it inside the transaction of the change it records, so both or neither land. */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await executor
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      outcome: entry.outcome ?? 'success',
      ip: entry.actor.ip ?? null,
      user_agent: entry.actor.userAgent ?? null,
      before: json(entry.before),
      after: json(entry.after),
      detail: json(entry.detail),
    })
    .execute();
}

export interface AuditQuery {
  limit: number;
  beforeId?: number;
  action?: string;
  actorId?: string;
  /** The actor's id or recorded name (a staff username), exactly. */
  actor?: string;
  target?: { type: string; id?: string };
  /** Entries at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
}

/** Newest first; `beforeId` pages backwards. `action` matches a prefix (`staff.` finds all staff actions). */
export async function listAudit(executor: Executor, query: AuditQuery): Promise<AuditRecord[]> {
  let select = executor.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  if (query.action) select = select.where('action', 'like', escapeLike(query.action) + '%');
  if (query.actorId) select = select.where('actor_id', '=', query.actorId);
  const actor = query.actor;
  if (actor) select = select.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
  if (query.from) select = select.where('at', '>=', query.from);
  if (query.to) select = select.where('at', '<', query.to);
  if (query.target) {
    select = select.where('target_type', '=', query.target.type);
    if (query.target.id) select = select.where('target_id', '=', query.target.id);
  }
  const rows = await select.execute();
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    actorType: row.actor_type as ActorType,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.user_agent,
    before: row.before,
    after: row.after,
    detail: row.detail,
  }));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}
