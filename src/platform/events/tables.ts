import type { ColumnType, Generated } from 'kysely';

export interface OutboxEventsTable {
  id: Generated<number>;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: ColumnType<unknown, string, string>;
  occurred_at: Date;
  delivered_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface EventTables {
  outbox_events: OutboxEventsTable;
}
