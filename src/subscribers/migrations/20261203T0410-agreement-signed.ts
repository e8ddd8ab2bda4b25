import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The subscriber's own record of having signed (clause 17), set by agreements as it stores the
 * signature, so activation asks its own table and not agreements'.
 */
export const agreementSigned: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table subscribers add column agreement_signed_at timestamptz`.execute(db);
    await sql`
      update subscribers s set agreement_signed_at = a.first
      from (select subscriber_id, min(signed_at) as first from agreement_signatures group by subscriber_id) a
      where a.subscriber_id = s.id`.execute(db);
  },
};
