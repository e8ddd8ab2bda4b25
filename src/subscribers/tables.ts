import type { ColumnType, Generated } from 'kysely';

export type SubscriberKind = 'individual' | 'organisation';
export type SubscriberStatus = 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';

export interface SubscribersTable {
  id: Generated<string>;
  kind: SubscriberKind;
  status: SubscriberStatus;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/**
 * Identity data of agreement clause 1, one sealed column per field (AES-256-GCM, key id inside the
 * value, the row and column bound as associated data). Nothing here is readable without the key.
 * `id_number_index` is a keyed hash (HMAC) of the normalised ID number: it finds duplicates
 * without revealing the number.
 */
export interface SubscriberIdentitiesTable {
  subscriber_id: string;
  id_type: string;
  id_number_index: string;
  sealed: ColumnType<Record<string, string>, string, string>;
  updated_at: Date;
}

/** Every time a person saw an identity value in clear: append-only. */
export interface IdentityRevealsTable {
  id: Generated<number>;
  at: ColumnType<Date, Date, never>;
  subscriber_id: ColumnType<string, string, never>;
  field: ColumnType<string, string, never>;
  staff_id: ColumnType<string, string, never>;
  staff_username: ColumnType<string, string, never>;
  purpose: ColumnType<string, string, never>;
  ip: ColumnType<string | null, string | null, never>;
}

export interface SubscriberTables {
  subscribers: SubscribersTable;
  subscriber_identities: SubscriberIdentitiesTable;
  identity_reveals: IdentityRevealsTable;
}
