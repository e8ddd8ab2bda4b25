import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Catalogue editing (issue #14): every part of the catalogue takes effect from a date.
 *
 * - Plans: a version's end may now move, but only inside a statement that says so
 *   (`catalog.reschedule`), which the catalogue module sets when it schedules a version between two
 *   others or withdraws one that has not taken effect. Prices stay frozen without exception.
 * - Credit-limit choices get a window of their own, so a choice can be announced for a later date.
 * - Terminal prices move to their own versioned table: a price takes effect from a date, and one that
 *   has taken effect never changes (orders copy the price, the price list quotes it).
 */
export const catalogueEffectiveDates: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create or replace function plans_prices_are_frozen() returns trigger language plpgsql as $$
      begin
        if new.code is distinct from old.code
          or new.monthly_rent_fen is distinct from old.monthly_rent_fen
          or new.included_minutes is distinct from old.included_minutes
          or new.per_minute_rate_precise is distinct from old.per_minute_rate_precise
          or new.billing_increment_seconds is distinct from old.billing_increment_seconds
          or new.valid_from is distinct from old.valid_from then
          raise exception 'plan versions are immutable: publish a new version instead' using errcode = '42501';
        end if;
        if old.valid_to is not null and new.valid_to is distinct from old.valid_to
          and coalesce(current_setting('catalog.reschedule', true), '') <> 'on' then
          raise exception 'plan versions are immutable: an end moves only when a later version is scheduled or withdrawn' using errcode = '42501';
        end if;
        return new;
      end
      $$`.execute(db);

    await sql`alter table credit_limit_options add column valid_from timestamptz, add column valid_to timestamptz`.execute(db);
    await sql`update credit_limit_options set valid_from = created_at`.execute(db);
    await sql`alter table credit_limit_options alter column valid_from set not null`.execute(db);
    await sql`alter table credit_limit_options add constraint credit_limit_options_window check (valid_to > valid_from)`.execute(db);

    await sql`
      create table terminal_model_prices (
        id uuid primary key default gen_random_uuid(),
        terminal_model_id uuid not null references terminal_models (id),
        price_fen bigint not null check (price_fen >= 0),
        valid_from timestamptz not null,
        valid_to timestamptz check (valid_to > valid_from),
        created_at timestamptz not null,
        unique (terminal_model_id, valid_from)
      )`.execute(db);
    await sql`
      insert into terminal_model_prices (terminal_model_id, price_fen, valid_from, created_at)
      select id, price_fen, created_at, created_at from terminal_models`.execute(db);
    await sql`alter table terminal_models drop column price_fen`.execute(db);
  },
};
