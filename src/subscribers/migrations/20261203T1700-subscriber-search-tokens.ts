import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Keyed search tokens of sealed identity fields (name n-grams, contact phone, last four of the ID
 * number): HMACs, never the values. The primary key serves "who has this token"; the second index
 * serves rewriting one subscriber's tokens. Identities written before this migration carry version 0
 * and are indexed by the `subscribers.search-tokens` job, which has the key a migration must not hold.
 */
export const subscriberSearchTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table subscriber_search_tokens (
        field text not null check (field in ('name', 'contact-phone', 'id-last-four')),
        token text not null,
        subscriber_id uuid not null references subscribers (id),
        primary key (field, token, subscriber_id)
      )`.execute(db);
    await sql`create index subscriber_search_tokens_subscriber on subscriber_search_tokens (subscriber_id)`.execute(db);
    await sql`alter table subscriber_identities add column search_tokens_version smallint not null default 0`.execute(db);
    // The backfill finds what it still has to do without reading every identity.
    await sql`create index subscriber_identities_unindexed on subscriber_identities (subscriber_id) where search_tokens_version = 0`.execute(
      db,
    );
  },
};
