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

export interface EventConsumersTable {
  consumer: string;
  last_event_id: number;
  updated_at: Generated<Date>;
}

export interface EventFailuresTable {
  consumer: string;
  event_id: number;
  attempts: number;
  last_error: string;
  first_failed_at: Date;
  last_failed_at: Date;
  dead_at: Date | null;
  resolved_at: Date | null;
  resolution: 'retried' | 'dismissed' | null;
}

export interface EventTables {
  outbox_events: OutboxEventsTable;
  event_consumers: EventConsumersTable;
  event_failures: EventFailuresTable;
}
