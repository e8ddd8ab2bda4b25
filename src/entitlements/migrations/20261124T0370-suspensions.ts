import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const suspensions: Migration = {
  async up(db: Kysely<unknown>) {
    // Blocking records (DESIGN §2, "Entitlements"): overdue, credit-limit, judicial and false-data
    // suspensions overlap and lift one by one; the account is blocked while any is open.
    await sql`
      create table suspensions (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        cause text not null check (cause in ('overdue', 'credit-limit', 'judicial', 'false-data', 'abuse', 'termination')),
        blocks text not null check (blocks in ('outgoing', 'all')),
        rent_continues boolean not null,
        reason text not null,
        reference text,
        started_at timestamptz not null,
        lifted_at timestamptz,
        lifted_by text
      )`.execute(db);
    await sql`create index suspensions_open on suspensions (subscriber_id) where lifted_at is null`.execute(db);
    // One open suspension per cause and reference: re-running dunning for the same day adds nothing.
    await sql`create unique index suspensions_one_open on suspensions (subscriber_id, cause, coalesce(reference, '')) where lifted_at is null`.execute(
      db,
    );
  },
};
