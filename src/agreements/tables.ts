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

export type TermsChangeResponse = 'objected' | 'accepted-by-silence' | 'accepted';

/** Clause 15: one subscriber's notice of a new version and how they answered it. */
export interface TermsChangeNoticesTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  notified_at: ColumnType<Date, Date, never>;
  /** The first instant after the last day to object (operator's time zone); objections are taken before it. */
  objection_deadline: ColumnType<Date, Date, never>;
  response: TermsChangeResponse | null;
  responded_at: Date | null;
}

export type NegotiationSubject = 'terms-change' | 'fee-dispute';
export type NegotiationStatus = 'open' | 'resolved' | 'escalated-to-arbitration';

/** Clause 16: a dispute the parties try to settle by negotiation, or send to arbitration. */
export interface NegotiationCasesTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  subject: ColumnType<NegotiationSubject, NegotiationSubject, never>;
  version: ColumnType<number | null, number | null, never>;
  /** For a fee dispute escalated from the disputes module (clause 6 → 16). */
  dispute_id: ColumnType<string | null, string | null | undefined, never>;
  status: NegotiationStatus;
  opened_at: ColumnType<Date, Date, never>;
  resolved_at: Date | null;
  outcome: string | null;
  arbitration_body: string | null;
}

/** The case's history, append-only: who said what, when. */
export interface NegotiationCaseEntriesTable {
  id: Generated<number>;
  case_id: ColumnType<string, string, never>;
  author_type: ColumnType<'subscriber' | 'staff', 'subscriber' | 'staff', never>;
  author_id: ColumnType<string, string, never>;
  author_name: ColumnType<string | null, string | null, never>;
  at: ColumnType<Date, Date, never>;
  text: ColumnType<string, string, never>;
}

/**
 * Clause 3: a subscriber accepted one version of the client software licence on one device (the id
 * the softphone keeps in the browser's storage). Append-only evidence: one row per subscriber,
 * version and device; the hash is of the exact text shown, in the language it was read in.
 */
export interface LicenceAcceptancesTable {
  id: Generated<string>;
  subscriber_id: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  device_id: ColumnType<string, string, never>;
  user_agent: ColumnType<string | null, string | null, never>;
  language: ColumnType<string, string, never>;
  text_sha256: ColumnType<string, string, never>;
  accepted_at: ColumnType<Date, Date, never>;
}

export interface AgreementTables {
  agreement_versions: AgreementVersionsTable;
  agreement_signatures: AgreementSignaturesTable;
  terms_change_notices: TermsChangeNoticesTable;
  negotiation_cases: NegotiationCasesTable;
  negotiation_case_entries: NegotiationCaseEntriesTable;
  licence_acceptances: LicenceAcceptancesTable;
}
