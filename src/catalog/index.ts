export {
  createPlan,
  findPlanByCode,
  findPlanVersion,
  listAllPlanVersions,
  listCurrentCatalogue,
  listPlanVersions,
  revisePlan,
  updatePlanListing,
  withdrawPlanVersion,
  type Catalogue,
  type NewPlan,
  type Plan,
  type PlanListing,
  type PlanPrices,
  type PlanRevision,
} from './catalog.js';
export {
  createCreditLimitOption,
  endCreditLimitOption,
  listCreditLimitOptions,
  updateCreditLimitOption,
  withdrawCreditLimitOption,
  type CreditLimitOption,
} from './credit-limit-options.js';
export { buildPriceList, priceListLanguages, type PriceList, type PriceListLanguage } from './price-list.js';
export { billableSeconds, chargeForSeconds, priceCall, rateCall, type CallPrice, type CallRate } from './rating.js';
export { catalogRoutes } from './routes.js';
export {
  createTerminalModel,
  findTerminalModel,
  listTerminalModelHistories,
  listTerminalModels,
  scheduleTerminalPrice,
  terminalModelCode,
  terminalModelId,
  updateTerminalModel,
  withdrawTerminalPrice,
  type NewTerminalModel,
  type TerminalModel,
  type TerminalModelChanges,
  type TerminalModelHistory,
  type TerminalPrice,
} from './terminal-models.js';
export { startOfEffectiveDate, versionStatus, type VersionStatus } from './versions.js';
export type { CatalogTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { catalog } from './migrations/20261124T0320-catalog.js';
export { catalogueEffectiveDates } from './migrations/20261204T2200-catalogue-effective-dates.js';
