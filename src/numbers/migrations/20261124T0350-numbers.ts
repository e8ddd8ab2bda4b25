import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const numbers: Migration = {
  async up(db: Kysely<unknown>) {
    // One row per number ever handed out. A released number rests in quarantine before reuse, so a
    // stranger does not receive the calls meant for its previous holder.
    await sql`
      create table numbers (
        number text primary key,
        subscriber_id uuid references subscribers (id),
        status text not null check (status in ('assigned', 'quarantined', 'free')),
        assigned_at timestamptz,
        released_at timestamptz,
        quarantined_until timestamptz,
        updated_at timestamptz not null,
        check ((status = 'assigned') = (subscriber_id is not null))
      )`.execute(db);
    await sql`create index numbers_subscriber on numbers (subscriber_id) where subscriber_id is not null`.execute(db);
    await sql`create index numbers_quarantine on numbers (quarantined_until) where status = 'quarantined'`.execute(db);
  },
};
