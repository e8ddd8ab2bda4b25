export {
  assignQueueItem,
  queueAssignees,
  queueCounts,
  queuePage,
  type AssignedItem,
  type Assignee,
  type AssigneeFilter,
} from './assignments.js';
export { queueNames, workQueue, workQueues, type QueueName, type WorkQueue } from './queues.js';
export { workQueueRoutes } from './routes.js';
export type { WorkQueueTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { workAssignments } from './migrations/20261203T1500-workqueues-assignments.js';
