/**
 * Terminals (clause 4): the inventory of units by serial number and MAC, their stock states,
 * shipments and delivery (the warranty's start), and the warranty.
 */
export { formatMac, normaliseMac } from './mac.js';
export { canMove, isStockState, STOCK_STATES, type StockState } from './stock-states.js';
export {
  listShipments,
  listUnits,
  receiveUnit,
  recordDelivery,
  releaseUnit,
  reserveUnit,
  shipUnit,
  unitById,
  unitByMac,
  unitHistory,
  unitsOfSubscriber,
  type Delivery,
  type NewUnit,
  type Shipment,
  type StateChange,
  type TerminalUnit,
  type UnitFilter,
} from './units.js';
export { warrantyEndFor } from './warranty-rules.js';
export type { DeliveredBy, DeviceTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { terminalUnits } from './migrations/20261203T0900-terminal-units.js';
