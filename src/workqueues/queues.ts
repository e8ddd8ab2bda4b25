import { negotiationQueuePage, negotiationStages } from '../agreements/index.js';
import { overdueQueuePage, overdueStages } from '../billing/index.js';
import { claimQueuePage, claimStages } from '../devices/index.js';
import { disputeAssignees, disputeQueuePage, disputesAssignedTo, disputeStages, setDisputeAssignee } from '../disputes/index.js';
import type { Actor } from '../audit/index.js';
import { failedDeliveryQueuePage, failedDeliveryStages } from '../notices/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { QueuePage, QueuePageRequest } from '../platform/queue-page.js';
import type { Result } from '../platform/result.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import type { Permission } from '../staff/index.js';
import { verificationQueuePage, verificationStages } from '../subscribers/index.js';

export const queueNames = ['verification', 'overdue', 'disputes', 'negotiations', 'warranty-claims', 'notice-deliveries'] as const;
export type QueueName = (typeof queueNames)[number];

/** One work queue: who may work it, the stages it filters by, and the owning module's source. */
export interface WorkQueue {
  name: QueueName;
  permission: Permission;
  stages: readonly string[];
  page(ctx: ServiceContext, request: QueuePageRequest): Promise<QueuePage>;
  /**
   * Where the owning module keeps who works an item, when it keeps that itself (a dispute names its
   * investigator). Without it, assignments live in this module's `work_assignments`.
   */
  assignments?: OwnedAssignments;
}

/** An owning module's record of who works its items; it audits its own changes. */
export interface OwnedAssignments {
  assigneesOf(ctx: ServiceContext, itemIds: readonly string[]): Promise<Map<string, { id: string; name: string }>>;
  /** Items assigned to this colleague, or every assigned item when none is named. */
  assignedIds(ctx: ServiceContext, staffId?: string): Promise<string[]>;
  assign(ctx: ServiceContext, itemId: string, assignee: { id: string; name: string } | null, actor: Actor): Promise<Result<unknown>>;
}

// The queues and their permissions are data: a new queue is one entry here plus its owner's source.
export const workQueues: readonly WorkQueue[] = [
  {
    name: 'verification',
    permission: 'subscribers.verify',
    stages: verificationStages,
    page: (ctx, request) => verificationQueuePage(ctx.db, request),
  },
  {
    name: 'overdue',
    permission: 'billing.read',
    stages: overdueStages,
    page: (ctx, request) => overdueQueuePage(ctx.db, localDateOf(ctx.clock.now(), ctx.settings.timeZone), request),
  },
  {
    name: 'disputes',
    permission: 'disputes.handle',
    stages: disputeStages,
    page: (ctx, request) => disputeQueuePage(ctx.db, request),
    assignments: {
      assigneesOf: (ctx, itemIds) => disputeAssignees(ctx.db, itemIds),
      assignedIds: (ctx, staffId) => disputesAssignedTo(ctx.db, staffId),
      assign: (ctx, itemId, assignee, actor) => setDisputeAssignee(ctx, itemId, assignee, actor),
    },
  },
  {
    name: 'negotiations',
    permission: 'negotiations.handle',
    stages: negotiationStages,
    page: (ctx, request) => negotiationQueuePage(ctx.db, request),
  },
  { name: 'warranty-claims', permission: 'warranty.assess', stages: claimStages, page: (ctx, request) => claimQueuePage(ctx.db, request) },
  {
    name: 'notice-deliveries',
    permission: 'notices.publish',
    stages: failedDeliveryStages,
    page: (ctx, request) => failedDeliveryQueuePage(ctx.db, request),
  },
];

export function workQueue(name: QueueName): WorkQueue {
  return workQueues.find((queue) => queue.name === name)!;
}
