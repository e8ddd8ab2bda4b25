import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Online payment (issue #15): intents for what is owed, the notifications and query answers each
 * intent received, refunds sent back through the provider, reconciliation's mismatches, and the local
 * simulator's own books. A provider reference is unique per provider, as in billing's payments.
 */
export const paymentsOnline: Migration = {
  async up(db) {
    await sql`
      create table payment_intents (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null,
        purpose text not null check (purpose in ('bill', 'balance', 'month-fees', 'settlement')),
        bill_id uuid,
        amount_fen bigint not null check (amount_fen > 0),
        provider text not null,
        merchant_reference text not null unique,
        description text not null,
        status text not null check (status in ('created', 'pending', 'succeeded', 'failed', 'expired', 'closed')),
        action_kind text check (action_kind in ('qr', 'redirect')),
        action_content text,
        provider_reference text,
        payment_id uuid,
        failure_reason text,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        settled_at timestamptz,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create unique index payment_intents_provider_reference on payment_intents (provider, provider_reference)`.execute(db);
    await sql`create index payment_intents_subscriber on payment_intents (subscriber_id, created_at)`.execute(db);
    await sql`create index payment_intents_open on payment_intents (status, created_at) where status in ('created', 'pending')`.execute(db);

    await sql`
      create table payment_notifications (
        id uuid primary key default gen_random_uuid(),
        intent_id uuid references payment_intents (id),
        provider text not null,
        merchant_reference text not null,
        provider_reference text not null,
        status text not null,
        amount_fen bigint not null,
        source text not null check (source in ('notification', 'reconciliation')),
        effect text not null,
        received_at timestamptz not null
      )`.execute(db);
    await sql`create index payment_notifications_intent on payment_notifications (intent_id, received_at)`.execute(db);

    await sql`
      create table payment_refunds (
        id uuid primary key default gen_random_uuid(),
        intent_id uuid not null references payment_intents (id),
        refund_reference text not null unique,
        amount_fen bigint not null check (amount_fen > 0),
        reason text not null,
        status text not null check (status in ('succeeded', 'pending', 'failed')),
        provider_refund_reference text,
        billing_refund_id uuid,
        created_at timestamptz not null,
        created_by text
      )`.execute(db);

    await sql`
      create table payment_mismatches (
        id uuid primary key default gen_random_uuid(),
        intent_id uuid references payment_intents (id),
        provider text not null,
        merchant_reference text not null,
        kind text not null,
        detail jsonb not null,
        found_at timestamptz not null,
        resolved_at timestamptz,
        unique (merchant_reference, kind)
      )`.execute(db);

    await sql`
      create table payment_simulator_orders (
        trade_no text primary key,
        merchant_reference text not null unique,
        amount_fen bigint not null,
        description text not null,
        notify_url text not null,
        return_url text not null,
        status text not null check (status in ('pending', 'succeeded', 'failed', 'closed')),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        paid_at timestamptz,
        refunded_fen bigint not null default 0,
        delivery_attempts integer not null default 0,
        next_delivery_at timestamptz,
        acknowledged_at timestamptz
      )`.execute(db);
    await sql`create index payment_simulator_deliveries on payment_simulator_orders (next_delivery_at) where next_delivery_at is not null`.execute(
      db,
    );
  },
};
