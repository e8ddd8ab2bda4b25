import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Clause 3: the client software licence accepted per subscriber, version and device. The versions
 * and texts live in code (like the agreement's); this table keeps the evidence, append-only.
 */
export const licenceAcceptances: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table licence_acceptances (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        version integer not null check (version > 0),
        device_id text not null check (length(device_id) between 1 and 64),
        user_agent text,
        language text not null check (language in ('zh-CN', 'en')),
        text_sha256 text not null check (text_sha256 ~ '^[0-9a-f]{64}$'),
        accepted_at timestamptz not null,
        unique (subscriber_id, version, device_id)
      )`.execute(db);
    await sql`create index licence_acceptances_by_version on licence_acceptances (version)`.execute(db);
    await sql`
      create function licence_acceptances_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'licence_acceptances is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`
      create trigger licence_acceptances_no_update_or_delete before update or delete on licence_acceptances
      for each row execute function licence_acceptances_is_append_only()`.execute(db);
    await sql`
      create trigger licence_acceptances_no_truncate before truncate on licence_acceptances
      for each statement execute function licence_acceptances_is_append_only()`.execute(db);
  },
};
