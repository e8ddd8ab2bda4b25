import type { ColumnType } from 'kysely';

export type NumberStatus = 'assigned' | 'quarantined' | 'free';

export interface NumbersTable {
  number: ColumnType<string, string, never>;
  subscriber_id: string | null;
  status: NumberStatus;
  assigned_at: Date | null;
  released_at: Date | null;
  quarantined_until: Date | null;
  updated_at: Date;
}

export interface NumberTables {
  numbers: NumbersTable;
}
