export {
  advanceJudicialOrders,
  disclosedOrdersOf,
  downloadOrderDocument,
  endCallsThrough,
  judicialOrdersJob,
  liftJudicialOrder,
  listJudicialOrders,
  placeJudicialOrder,
  viewJudicialOrder,
  type JudicialOrder,
  type JudicialOrderInput,
  type JudicialOrderStatus,
  type LegalStaff,
} from './judicial-orders.js';
export {
  decideAbuseReport,
  downloadEvidence,
  liftAbuseSuspension,
  listAbuseReports,
  reportAbuse,
  type AbuseReport,
} from './abuse-reports.js';
export { legalRoutes } from './routes.js';
export type { LegalTables, OrderScope } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { judicialOrdersAndAbuseReports } from './migrations/20261203T0830-judicial-orders-and-abuse-reports.js';
