// Service assurance (clauses 7, 12–14): the outage register, the public status page, and outage credits.
export { creditOutages, outageCreditsJob, type Entitlement } from './credits.js';
export {
  cancelWindow,
  findWindow,
  lateMaintenanceJob,
  listWindows,
  numberMovedTo,
  publishWindow,
  recordLateWindowsAsOutages,
  windowsOfSubscriber,
  type AffectedSubscriber,
  type MaintenanceWindow,
} from './maintenance.js';
export { excusedByWindows, isOnTime, movedNumber, validateWindow, type NumberChange, type WindowFacts } from './maintenance-rules.js';
export {
  correctOutage,
  endOutage,
  findOutage,
  listOutages,
  outageVersions,
  recordOutage,
  type Outage,
  type OutageVersion,
} from './outages.js';
export { OUTAGE_CAUSES, capAtFeesOfAffectedTime, outageCredit, type OutageCredit, type OutageFacts } from './rules.js';
export { assuranceRoutes } from './routes.js';
export type { AssuranceTables, MaintenanceEffect, MaintenanceScope, OutageCause, OutageScope } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { outages } from './migrations/20261203T0600-outages.js';
export { maintenanceWindows } from './migrations/20261203T0820-maintenance-windows.js';
