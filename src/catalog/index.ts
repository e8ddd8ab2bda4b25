export {
  createPlan,
  findPlanByCode,
  findPlanVersion,
  listCurrentCatalogue,
  listPlanVersions,
  revisePlan,
  updatePlanListing,
  type Catalogue,
  type NewPlan,
  type Plan,
  type PlanListing,
  type PlanPrices,
  type PlanRevision,
} from './catalog.js';
export {
  createCreditLimitOption,
  listCreditLimitOptions,
  updateCreditLimitOption,
  type CreditLimitOption,
} from './credit-limit-options.js';
export { buildPriceList, priceListLanguages, type PriceList, type PriceListLanguage } from './price-list.js';
export { billableSeconds, chargeForSeconds, priceCall, rateCall, type CallPrice, type CallRate } from './rating.js';
export { catalogRoutes } from './routes.js';
export {
  createTerminalModel,
  findTerminalModel,
  listTerminalModels,
  terminalModelCode,
  terminalModelId,
  updateTerminalModel,
  type NewTerminalModel,
  type TerminalModel,
  type TerminalModelChanges,
} from './terminal-models.js';
export type { CatalogTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { catalog } from './migrations/20261124T0320-catalog.js';
