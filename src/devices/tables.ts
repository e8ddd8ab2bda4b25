import type { ColumnType, Generated } from 'kysely';
import type { StockState } from './stock-states.js';

export type DeliveredBy = 'carrier' | 'staff' | 'subscriber';

/**
 * One terminal the operator owns or sold (clause 4), by serial number and MAC. The model is the
 * catalogue's code (the catalogue owns models). Once delivered, the warranty runs to
 * `warranty_ends_on` (a local date, inclusive); a replacement unit carries the end of the unit it
 * replaces (`replaces_unit_id`), and a tamper record (4(5)) ends it on the day recorded.
 */
export interface TerminalUnitsTable {
  id: Generated<string>;
  model_code: ColumnType<string, string, never>;
  serial_number: ColumnType<string, string, never>;
  /** Twelve lower-case hex digits, no separators (what provisioning URLs carry). */
  mac: ColumnType<string, string, never>;
  state: StockState;
  order_id: string | null;
  subscriber_id: string | null;
  delivered_at: Date | null;
  delivered_by: DeliveredBy | null;
  warranty_ends_on: ColumnType<string | null, string | null, string | null>;
  replaces_unit_id: string | null;
  /** The local date an unauthorised opening was recorded (clause 4(5)): the warranty ends that day. */
  tampered_on: ColumnType<string | null, string | null, string | null>;
  received_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** Every change of a unit's stock state, in order: append-only. */
export interface TerminalUnitHistoryTable {
  id: Generated<number>;
  unit_id: ColumnType<string, string, never>;
  at: ColumnType<Date, Date, never>;
  from_state: ColumnType<StockState | null, StockState | null, never>;
  to_state: ColumnType<StockState, StockState, never>;
  actor_type: ColumnType<string, string, never>;
  actor_id: ColumnType<string | null, string | null, never>;
  note: ColumnType<string | null, string | null, never>;
}

/** A unit on its way to a subscriber: carrier and tracking, then its delivery (the warranty's start). */
export interface TerminalShipmentsTable {
  id: Generated<string>;
  unit_id: string;
  order_id: string | null;
  subscriber_id: string;
  carrier: string;
  tracking: string;
  shipped_at: Date;
  delivered_at: Date | null;
  delivered_by: DeliveredBy | null;
  /** What the subscriber or the carrier reported damaged on delivery (covered: clause 4). */
  damage_reported: string | null;
}

export interface DeviceTables {
  terminal_units: TerminalUnitsTable;
  terminal_unit_history: TerminalUnitHistoryTable;
  terminal_shipments: TerminalShipmentsTable;
}
