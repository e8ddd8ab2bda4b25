import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const catalog: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table plans (
        id uuid primary key default gen_random_uuid(),
        code text not null check (code ~ '^[a-z0-9][a-z0-9-]{1,31}$'),
        name_zh text not null,
        name_en text not null,
        description_zh text not null,
        description_en text not null,
        monthly_rent_fen bigint not null check (monthly_rent_fen >= 0),
        included_minutes integer not null check (included_minutes >= 0),
        per_minute_rate_precise bigint not null check (per_minute_rate_precise >= 0),
        billing_increment_seconds integer not null check (billing_increment_seconds between 1 and 3600),
        active boolean not null default true,
        sort_order integer not null default 0,
        valid_from timestamptz not null,
        valid_to timestamptz check (valid_to > valid_from),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (code, valid_from)
      )`.execute(db);
    await sql`create index plans_current on plans (valid_from, valid_to) where active`.execute(db);
    // Orders reference a plan version: what was agreed must stay what is billed. A price change is a
    // new version, so the priced columns of a version are frozen; only its end may be set, once.
    await sql`
      create function plans_prices_are_frozen() returns trigger language plpgsql as $$
      begin
        if new.code is distinct from old.code
          or new.monthly_rent_fen is distinct from old.monthly_rent_fen
          or new.included_minutes is distinct from old.included_minutes
          or new.per_minute_rate_precise is distinct from old.per_minute_rate_precise
          or new.billing_increment_seconds is distinct from old.billing_increment_seconds
          or new.valid_from is distinct from old.valid_from
          or (old.valid_to is not null and new.valid_to is distinct from old.valid_to) then
          raise exception 'plan versions are immutable: publish a new version instead' using errcode = '42501';
        end if;
        return new;
      end
      $$`.execute(db);
    await sql`
      create trigger plans_prices_frozen before update on plans
      for each row execute function plans_prices_are_frozen()`.execute(db);

    await sql`
      create table credit_limit_options (
        id uuid primary key default gen_random_uuid(),
        amount_fen bigint not null unique check (amount_fen > 0),
        is_default boolean not null default false,
        active boolean not null default true,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (active or not is_default)
      )`.execute(db);
    await sql`create unique index credit_limit_options_one_default on credit_limit_options (is_default) where is_default`.execute(db);

    await sql`
      create table terminal_models (
        id uuid primary key default gen_random_uuid(),
        code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,31}$'),
        name_zh text not null,
        name_en text not null,
        description_zh text not null,
        description_en text not null,
        price_fen bigint not null check (price_fen >= 0),
        active boolean not null default true,
        sort_order integer not null default 0,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`.execute(db);
  },
};
