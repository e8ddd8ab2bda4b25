import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Terminal inventory (clause 4): units by serial number and MAC with their stock state, the order
 * and subscriber they went to, delivery (the warranty's start) and the warranty's end; an
 * append-only history of stock states; shipments with carrier and tracking.
 */
export const terminalUnits: Migration = {
  async up(db) {
    await sql`
      create table terminal_units (
        id uuid primary key default gen_random_uuid(),
        model_code text not null,
        serial_number text not null check (length(serial_number) between 1 and 64),
        mac text not null check (mac ~ '^[0-9a-f]{12}$'),
        state text not null check (state in ('in_stock', 'reserved', 'shipped', 'delivered', 'returned', 'in_repair', 'scrapped')),
        order_id uuid,
        subscriber_id uuid,
        delivered_at timestamptz,
        delivered_by text check (delivered_by in ('carrier', 'staff', 'subscriber')),
        warranty_ends_on date,
        replaces_unit_id uuid references terminal_units (id),
        tampered_on date,
        received_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
    await sql`create unique index terminal_units_serial on terminal_units (model_code, serial_number)`.execute(db);
    await sql`create unique index terminal_units_mac on terminal_units (mac)`.execute(db);
    await sql`create index terminal_units_subscriber on terminal_units (subscriber_id) where subscriber_id is not null`.execute(db);
    await sql`create index terminal_units_order on terminal_units (order_id) where order_id is not null`.execute(db);
    await sql`create index terminal_units_state on terminal_units (state, model_code)`.execute(db);
    await sql`
      create table terminal_unit_history (
        id bigint generated always as identity primary key,
        unit_id uuid not null references terminal_units (id),
        at timestamptz not null,
        from_state text,
        to_state text not null,
        actor_type text not null,
        actor_id text,
        note text
      )`.execute(db);
    await sql`create index terminal_unit_history_unit on terminal_unit_history (unit_id, id)`.execute(db);
    await sql`
      create function terminal_unit_history_is_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'terminal_unit_history is append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`create trigger terminal_unit_history_no_change before update or delete on terminal_unit_history for each row execute function terminal_unit_history_is_append_only()`.execute(
      db,
    );
    await sql`
      create table terminal_shipments (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references terminal_units (id),
        order_id uuid,
        subscriber_id uuid not null,
        carrier text not null check (length(carrier) between 1 and 100),
        tracking text not null check (length(tracking) between 1 and 100),
        shipped_at timestamptz not null,
        delivered_at timestamptz,
        delivered_by text check (delivered_by in ('carrier', 'staff', 'subscriber')),
        damage_reported text
      )`.execute(db);
    await sql`create index terminal_shipments_unit on terminal_shipments (unit_id, shipped_at desc)`.execute(db);
    await sql`create index terminal_shipments_open on terminal_shipments (shipped_at) where delivered_at is null`.execute(db);
  },
};
