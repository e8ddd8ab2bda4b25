import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const agreements: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table agreement_versions (
        version integer primary key check (version > 0),
        published_at timestamptz not null,
        effective_at timestamptz not null,
        summary text not null
      )`.execute(db);
    // The first version is in effect from the start of the service; its text is in code under version 1.
    await sql`
      insert into agreement_versions (version, published_at, effective_at, summary)
      values (1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'First version of the videophone service agreement')`.execute(db);
    await sql`
      create table agreement_signatures (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        version integer not null references agreement_versions (version),
        language text not null check (language in ('zh-CN', 'en')),
        text text not null,
        text_sha256 text not null check (text_sha256 ~ '^[0-9a-f]{64}$'),
        signed_at timestamptz not null,
        ip text,
        user_agent text,
        operator_signature text not null,
        operator_key_id text not null,
        operator_public_key text not null
      )`.execute(db);
    await sql`create index agreement_signatures_subscriber on agreement_signatures (subscriber_id, signed_at desc)`.execute(db);
    // A signed agreement is evidence for both parties: rows are only ever added.
    await sql`
      create function agreement_signatures_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'agreement_signatures is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`
      create trigger agreement_signatures_no_update_or_delete before update or delete on agreement_signatures
      for each row execute function agreement_signatures_is_append_only()`.execute(db);
    await sql`
      create trigger agreement_signatures_no_truncate before truncate on agreement_signatures
      for each statement execute function agreement_signatures_is_append_only()`.execute(db);
  },
};
