import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { QueueItem, QueuePage } from '../platform/queue-page.js';
import { fail, ok, type Result } from '../platform/result.js';
import { listStaff, permissionsOf } from '../staff/index.js';
import type { WorkQueue } from './queues.js';

export interface Assignee {
  id: string;
  name: string;
}

export type AssigneeFilter = { kind: 'anyone' } | { kind: 'unassigned' } | { kind: 'staff'; staffId: string };

export interface AssignedItem extends QueueItem {
  assignee: Assignee | null;
}

async function assignedIds(ctx: ServiceContext, queue: WorkQueue, staffId?: string): Promise<string[]> {
  if (queue.assignments) return queue.assignments.assignedIds(ctx, staffId);
  const rows = await ctx.db
    .selectFrom('work_assignments')
    .select('item_id')
    .where('queue', '=', queue.name)
    .$if(staffId !== undefined, (qb) => qb.where('assignee_id', '=', staffId!))
    .execute();
  return rows.map((row) => row.item_id);
}

async function assigneesOf(ctx: ServiceContext, queue: WorkQueue, itemIds: string[]): Promise<Map<string, Assignee>> {
  if (itemIds.length === 0) return new Map();
  if (queue.assignments) return queue.assignments.assigneesOf(ctx, itemIds);
  const rows = await ctx.db
    .selectFrom('work_assignments')
    .select(['item_id', 'assignee_id', 'assignee_name'])
    .where('queue', '=', queue.name)
    .where('item_id', 'in', itemIds)
    .execute();
  return new Map(rows.map((row) => [row.item_id, { id: row.assignee_id, name: row.assignee_name }]));
}

/** One page of a queue with who works each item: the source's page, then one query for its assignees. */
export async function queuePage(
  ctx: ServiceContext,
  queue: WorkQueue,
  filter: { stage?: string | undefined; assignee: AssigneeFilter; offset: number; limit: number },
): Promise<{ total: number; items: AssignedItem[] }> {
  const ids =
    filter.assignee.kind === 'staff'
      ? { onlyIds: await assignedIds(ctx, queue, filter.assignee.staffId) }
      : filter.assignee.kind === 'unassigned'
        ? { exceptIds: await assignedIds(ctx, queue) }
        : {};
  const page: QueuePage = await queue.page(ctx, { stage: filter.stage, offset: filter.offset, limit: filter.limit, ...ids });
  const byItem = await assigneesOf(
    ctx,
    queue,
    page.items.map((item) => item.id),
  );
  return { total: page.total, items: page.items.map((item) => ({ ...item, assignee: byItem.get(item.id) ?? null })) };
}

/** The open items of each queue, and how many of them are the member's: the nav's badges. */
export async function queueCounts(ctx: ServiceContext, queue: WorkQueue, staffId: string): Promise<{ open: number; mine: number }> {
  const [open, mine] = await Promise.all([
    queue.page(ctx, { offset: 0, limit: 0 }),
    assignedIds(ctx, queue, staffId).then((onlyIds) => queue.page(ctx, { onlyIds, offset: 0, limit: 0 })),
  ]);
  return { open: open.total, mine: mine.total };
}

/** Colleagues who may work a queue (active, with its permission), to assign an item to. */
export async function queueAssignees(ctx: ServiceContext, queue: WorkQueue): Promise<Assignee[]> {
  const staff = await listStaff(ctx);
  return staff
    .filter((member) => member.status === 'active' && permissionsOf(member.roles).includes(queue.permission))
    .map((member) => ({ id: member.id, name: member.displayName }));
}

/**
 * Assigns a queue item to a colleague who may work the queue (or to no one), audited. The item must
 * be in the queue now: a closed case or a paid account is not work.
 */
export async function assignQueueItem(
  ctx: ServiceContext,
  queue: WorkQueue,
  itemId: string,
  assigneeId: string | null,
  actor: Actor,
): Promise<Result<AssignedItem>> {
  const found = await queue.page(ctx, { onlyIds: [itemId], offset: 0, limit: 1 });
  const item = found.items[0];
  if (!item) return fail('not_found', 'not-found', `No item ${itemId} in the ${queue.name} queue`);
  let assignee: Assignee | null = null;
  if (assigneeId !== null) {
    assignee = (await queueAssignees(ctx, queue)).find((candidate) => candidate.id === assigneeId) ?? null;
    if (!assignee) {
      return fail('invalid', 'invalid-request', `That colleague may not work the ${queue.name} queue`, {
        fields: [{ field: 'assigneeId', message: 'not a member who may work this queue' }],
      });
    }
  }
  if (queue.assignments) {
    const assigned = await queue.assignments.assign(ctx, itemId, assignee, actor);
    if (!assigned.ok) return assigned;
    return ok({ ...item, assignee });
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('work_assignments')
      .select(['assignee_id', 'assignee_name'])
      .where('queue', '=', queue.name)
      .where('item_id', '=', itemId)
      .forUpdate()
      .executeTakeFirst();
    if (assignee === null) {
      await trx.deleteFrom('work_assignments').where('queue', '=', queue.name).where('item_id', '=', itemId).execute();
    } else {
      await trx
        .insertInto('work_assignments')
        .values({
          queue: queue.name,
          item_id: itemId,
          assignee_id: assignee.id,
          assignee_name: assignee.name,
          assigned_at: now,
          assigned_by: actor.id!,
        })
        .onConflict((oc) =>
          oc.columns(['queue', 'item_id']).doUpdateSet({
            assignee_id: assignee.id,
            assignee_name: assignee.name,
            assigned_at: now,
            assigned_by: actor.id!,
          }),
        )
        .execute();
    }
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'workqueue.assign',
      target: { type: queue.name, id: itemId },
      before: before ? { assigneeId: before.assignee_id, assigneeName: before.assignee_name } : null,
      after: assignee ? { assigneeId: assignee.id, assigneeName: assignee.name } : null,
    });
  });
  return ok({ ...item, assignee });
}
