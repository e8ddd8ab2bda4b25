import type { ColumnType, Generated } from 'kysely';

// Declared with the portal principal, which carries them; subscribers (which depends on portal-auth) owns their meaning.
import type { SubscriberKind, SubscriberStatus } from '../portal-auth/index.js';

export type { SubscriberKind, SubscriberStatus };

export interface SubscribersTable {
  id: Generated<string>;
  kind: SubscriberKind;
  status: SubscriberStatus;
  /** The name callers see (caller ID); set at activation from the identity, changeable by the subscriber. */
  display_name: ColumnType<string | null, string | null | undefined, string | null>;
  activated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  termination_requested_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the subscriber first signed the agreement (agreements tells, through `recordAgreementSigned`). */
  agreement_signed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  terminated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  termination_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  /** Where notices are e-mailed (sealed: personal data); null when the subscriber gave none. */
  contact_email_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  /** The language notices are written to them in. */
  preferred_language: ColumnType<'zh-CN' | 'en', 'zh-CN' | 'en' | undefined, 'zh-CN' | 'en'>;
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
  /** Which derivation of `subscriber_search_tokens` this identity is indexed with (0: not yet). */
  search_tokens_version: ColumnType<number, number | undefined, number>;
}

export type SearchTokenField = 'name' | 'contact-phone' | 'id-last-four';

/** Keyed search tokens of sealed identity fields (see search-tokens.ts): HMACs, never values. */
export interface SubscriberSearchTokensTable {
  field: SearchTokenField;
  token: string;
  subscriber_id: string;
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

export type OrderStatus = 'pending' | 'active' | 'cancelled';

/** The order made when applying (clause 2): a plan version, a credit limit, optionally a terminal. */
export interface OrdersTable {
  id: Generated<string>;
  subscriber_id: string;
  plan_id: string;
  credit_limit_fen: number;
  terminal_model_id: string | null;
  terminal_price_fen: number | null;
  /** Sealed like identity fields: a home address is personal data. */
  delivery_address_sealed: string | null;
  status: OrderStatus;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface SubscriberDocumentsTable {
  id: Generated<string>;
  subscriber_id: string;
  kind: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  sealed: string;
  uploaded_at: Date;
}

/** A disclosure to a third party under a legal request (clause 1): append-only, like the reveals it causes. */
export interface LegalRequestsTable {
  id: Generated<string>;
  at: ColumnType<Date, Date, never>;
  subscriber_id: ColumnType<string, string, never>;
  authority: ColumnType<string, string, never>;
  legal_basis: ColumnType<string, string, never>;
  document_reference: ColumnType<string, string, never>;
  /** The identity field names disclosed, a JSON array. */
  fields: ColumnType<string[], string, never>;
  purpose: ColumnType<string, string, never>;
  staff_id: ColumnType<string, string, never>;
  staff_username: ColumnType<string, string, never>;
  ip: ColumnType<string | null, string | null, never>;
}

export interface SubscriberTables {
  subscribers: SubscribersTable;
  subscriber_identities: SubscriberIdentitiesTable;
  subscriber_search_tokens: SubscriberSearchTokensTable;
  identity_reveals: IdentityRevealsTable;
  orders: OrdersTable;
  subscriber_documents: SubscriberDocumentsTable;
  legal_requests: LegalRequestsTable;
}
