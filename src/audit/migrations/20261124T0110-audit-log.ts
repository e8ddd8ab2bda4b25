import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const auditLog: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table audit_log (
        id bigserial primary key,
        at timestamptz not null,
        actor_type text not null check (actor_type in ('staff', 'subscriber', 'system', 'anonymous')),
        actor_id text,
        actor_name text,
        action text not null,
        target_type text,
        target_id text,
        outcome text not null check (outcome in ('success', 'failure')),
        ip text,
        user_agent text,
        before jsonb,
        after jsonb,
        detail jsonb
      )`.execute(db);
    await sql`create index audit_log_at on audit_log (at desc)`.execute(db);
    await sql`create index audit_log_target on audit_log (target_type, target_id)`.execute(db);
    await sql`create index audit_log_actor on audit_log (actor_id)`.execute(db);
    // The audit trail is evidence: no role the application connects with may rewrite it.
    await sql`
      create function audit_log_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`
      create trigger audit_log_no_update_or_delete before update or delete on audit_log
      for each row execute function audit_log_is_append_only()`.execute(db);
    await sql`
      create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_is_append_only()`.execute(db);
  },
};
