import type { ColumnType, Generated } from 'kysely';

/**
 * One row per version of a plan. A version's prices never change once written (the database refuses
 * it): an order references the version it was made on, so what a subscriber agreed to stays readable.
 * A price change is a new version from a later `valid_from`, the previous one ending there.
 */
export interface PlansTable {
  id: Generated<string>;
  code: ColumnType<string, string, never>;
  name_zh: string;
  name_en: string;
  description_zh: string;
  description_en: string;
  monthly_rent_fen: ColumnType<number, number, never>;
  included_minutes: ColumnType<number, number, never>;
  /** 1/10000 fen per minute (`150_000` = 0.15 yuan a minute). */
  per_minute_rate_precise: ColumnType<number, number, never>;
  /** Each call's duration is rounded up to a multiple of this (6, 60, …). */
  billing_increment_seconds: ColumnType<number, number, never>;
  /** Offered to new subscribers and listed; an inactive plan still bills those who have it. */
  active: boolean;
  sort_order: number;
  valid_from: ColumnType<Date, Date, never>;
  /**
   * Exclusive; null while the version is open-ended. Set when a newer version is scheduled; it moves
   * only while that boundary is still in the future (a version scheduled between, or one withdrawn).
   */
  valid_to: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface CreditLimitOptionsTable {
  id: Generated<string>;
  amount_fen: ColumnType<number, number, never>;
  /** At most one option is the default (a partial unique index). */
  is_default: boolean;
  active: boolean;
  /** Offered from this instant (00:00 of a local date when scheduled in the console). */
  valid_from: ColumnType<Date, Date, never>;
  /** Exclusive; null while offered without end. */
  valid_to: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** A terminal the operator sells; its price lives in `terminal_model_prices`, versioned by date. */
export interface TerminalModelsTable {
  id: Generated<string>;
  code: ColumnType<string, string, never>;
  name_zh: string;
  name_en: string;
  description_zh: string;
  description_en: string;
  active: boolean;
  sort_order: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/**
 * A terminal's price from `valid_from` until `valid_to` (exclusive). An order copies the price it was
 * made at; a price that has taken effect never changes, a later one is a new row.
 */
export interface TerminalModelPricesTable {
  id: Generated<string>;
  terminal_model_id: ColumnType<string, string, never>;
  price_fen: ColumnType<number, number, never>;
  valid_from: ColumnType<Date, Date, never>;
  valid_to: Date | null;
  created_at: ColumnType<Date, Date, never>;
}

export interface CatalogTables {
  plans: PlansTable;
  credit_limit_options: CreditLimitOptionsTable;
  terminal_models: TerminalModelsTable;
  terminal_model_prices: TerminalModelPricesTable;
}
