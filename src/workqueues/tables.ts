/**
 * Who works which queue item. One row per (queue, item); the item itself stays in its owner's table
 * (a subscriber, a dispute, a claim...), so no module's table grows a column for the console's sake.
 */
export interface WorkAssignmentsTable {
  queue: string;
  item_id: string;
  assignee_id: string;
  /** The assignee's display name when assigned, so a page of the queue needs no join with staff. */
  assignee_name: string;
  assigned_at: Date;
  assigned_by: string;
}

export interface WorkQueueTables {
  work_assignments: WorkAssignmentsTable;
}
