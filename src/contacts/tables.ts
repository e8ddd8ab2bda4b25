import type { ColumnType, Generated } from 'kysely';

/** One entry of a subscriber's softphone address book. */
export interface ContactsTable {
  id: Generated<string>;
  subscriber_id: string;
  name: string;
  number: string;
  favourite: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface ContactTables {
  contacts: ContactsTable;
}
