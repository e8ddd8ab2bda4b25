import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The softphone's address book: a subscriber's own names for the numbers they call. Keyed by the
 * subscriber, not by a number, so it follows the person when a number changes; one entry per number,
 * so the incoming-call screen has exactly one name to show.
 */
export const contacts: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table contacts (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        name text not null check (char_length(name) between 1 and 60),
        number text not null check (number ~ '^[0-9]{3,15}$'),
        favourite boolean not null default false,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (subscriber_id, number)
      )`.execute(db);
  },
};
