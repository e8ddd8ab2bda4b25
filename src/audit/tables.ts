import type { ColumnType, Generated } from 'kysely';

type Json = ColumnType<unknown, string | null, never>;

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE (see the migration). */
export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date, never>;
  actor_type: ColumnType<string, string, never>;
  actor_id: ColumnType<string | null, string | null, never>;
  actor_name: ColumnType<string | null, string | null, never>;
  action: ColumnType<string, string, never>;
  target_type: ColumnType<string | null, string | null, never>;
  target_id: ColumnType<string | null, string | null, never>;
  outcome: ColumnType<'success' | 'failure', 'success' | 'failure', never>;
  ip: ColumnType<string | null, string | null, never>;
  user_agent: ColumnType<string | null, string | null, never>;
  before: Json;
  after: Json;
  detail: Json;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}
