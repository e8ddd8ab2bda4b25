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
  releaseUnit,
  reserveUnit,
  shipUnit,
  unitById,
  unitByMac,
  unitHistory,
  unitsOfSubscriber,
  type NewUnit,
  type Shipment,
  type StateChange,
  type TerminalUnit,
  type UnitFilter,
} from './units.js';
export { recordDelivery, type Delivery } from './delivery.js';
export { deviceRoutes } from './routes.js';
export {
  answerQuote,
  assessClaim,
  claimPhoto,
  claimQueue,
  claimsOfSubscriber,
  completeClaim,
  fileClaim,
  loadClaim,
  partsInStock,
  recordRepair,
  recordTamper,
  replaceUnit,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  PHOTO_TYPES,
  type Assessment,
  type NewClaim,
  type Repair,
  type WarrantyClaim,
} from './claims.js';
export {
  assessCoverage,
  decideFiling,
  EXCLUSION_REASONS,
  isExclusionReason,
  replacementWarrantyEnd,
  warrantyEndFor,
  warrantyStanding,
  type ClaimCause,
  type ExclusionReason,
  type WarrantySnapshot,
  type WarrantyStanding,
} from './warranty-rules.js';
export type { ClaimStatus, DeliveredBy, DeviceTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { terminalUnits } from './migrations/20261203T0900-terminal-units.js';
export { warrantyClaims } from './migrations/20261203T0910-warranty-claims.js';
export { claimQueuePage, claimStages } from './work-queue.js';
