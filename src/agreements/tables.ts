import type { ColumnType, Generated } from 'kysely';

/** Published versions of the agreement text (clause 15); the texts themselves live in code by version. */
export interface AgreementVersionsTable {
  version: number;
  published_at: ColumnType<Date, Date, never>;
  effective_at: ColumnType<Date, Date, never>;
  summary: ColumnType<string, string, never>;
}

/**
 * One signed agreement (clause 17): the subscriber's electronic signature (time, IP, user agent,
 * hash of the exact text) and the operator's Ed25519 seal over them. Append-only evidence.
 */
export interface AgreementSignaturesTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  language: ColumnType<string, string, never>;
  /** The exact text signed, as rendered with the order of the day; the copy both parties download. */
  text: ColumnType<string, string, never>;
  text_sha256: ColumnType<string, string, never>;
  signed_at: ColumnType<Date, Date, never>;
  ip: ColumnType<string | null, string | null, never>;
  user_agent: ColumnType<string | null, string | null, never>;
  operator_signature: ColumnType<string, string, never>;
  operator_key_id: ColumnType<string, string, never>;
  /** The seal's public key at signing time, so a copy still verifies after the key rotates. */
  operator_public_key: ColumnType<string, string, never>;
}

export interface AgreementTables {
  agreement_versions: AgreementVersionsTable;
  agreement_signatures: AgreementSignaturesTable;
}
