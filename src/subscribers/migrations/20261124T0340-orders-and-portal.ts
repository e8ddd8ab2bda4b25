import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const ordersAndPortal: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table subscribers add column display_name text`.execute(db);
    await sql`alter table subscribers add column activated_at timestamptz`.execute(db);
    await sql`alter table subscribers add column termination_requested_at timestamptz`.execute(db);
    await sql`alter table subscribers add column terminated_at timestamptz`.execute(db);
    await sql`alter table subscribers add column termination_reason text`.execute(db);
    // The order made when applying is part of the agreement (clause 2): it names the plan *version*.
    await sql`
      create table orders (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        plan_id uuid not null references plans (id),
        credit_limit_fen bigint not null check (credit_limit_fen >= 0),
        terminal_model_id uuid references terminal_models (id),
        terminal_price_fen bigint check (terminal_price_fen >= 0),
        delivery_address_sealed text,
        status text not null check (status in ('pending', 'active', 'cancelled')),
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create index orders_subscriber on orders (subscriber_id, created_at desc)`.execute(db);
    // Sign-in to the portal. The login is a keyed hash of the contact phone: no phone number in clear.
    await sql`
      create table portal_accounts (
        subscriber_id uuid primary key references subscribers (id),
        login_index text not null unique,
        password_hash text not null,
        failed_login_count integer not null default 0,
        locked_until timestamptz,
        last_login_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`
      create table portal_sessions (
        token_hash text primary key,
        subscriber_id uuid not null references subscribers (id),
        created_at timestamptz not null,
        last_seen_at timestamptz not null,
        expires_at timestamptz not null,
        ip text,
        user_agent text
      )`.execute(db);
    await sql`create index portal_sessions_subscriber on portal_sessions (subscriber_id)`.execute(db);
    // Copies of an ID or licence asked for by a reviewer (clause 1), sealed like identity fields.
    await sql`
      create table subscriber_documents (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null references subscribers (id),
        kind text not null,
        content_type text not null,
        size_bytes integer not null,
        sha256 text not null,
        sealed text not null,
        uploaded_at timestamptz not null
      )`.execute(db);
    await sql`create index subscriber_documents_subscriber on subscriber_documents (subscriber_id, uploaded_at desc)`.execute(db);
  },
};
