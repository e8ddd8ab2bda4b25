import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Where a subscriber's notices go: an e-mail address (sealed like the identity, it is personal data)
 * and the language they read (zh-CN unless they chose English).
 */
export const noticeContacts: Migration = {
  async up(db) {
    await sql`alter table subscribers add column contact_email_sealed text`.execute(db);
    await sql`alter table subscribers add column preferred_language text not null default 'zh-CN' check (preferred_language in ('zh-CN', 'en'))`.execute(
      db,
    );
  },
};
