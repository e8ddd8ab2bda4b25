import type { Executor } from '../platform/db/index.js';

/** The agreements a subscriber signed, oldest first: agreements' part of the personal-data export. */
export interface SignedAgreementData {
  id: string;
  version: number;
  language: string;
  textSha256: string;
  signedAt: string;
}

export async function signedAgreementsOf(db: Executor, subscriberId: string): Promise<SignedAgreementData[]> {
  const rows = await db
    .selectFrom('agreement_signatures')
    .select(['id', 'version', 'language', 'text_sha256', 'signed_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('signed_at')
    .execute();
  return rows.map((a) => ({
    id: a.id,
    version: a.version,
    language: a.language,
    textSha256: a.text_sha256,
    signedAt: a.signed_at.toISOString(),
  }));
}
