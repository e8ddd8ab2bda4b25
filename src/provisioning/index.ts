export { provisioningRoutes, type ProvisioningRouteOptions } from './routes.js';
export {
  fetchConfiguration,
  listProvisionedTerminals,
  provisionInventoryUnit,
  provisionTerminal,
  replaceWithInventoryUnit,
  replaceTerminal,
  rotateProvisioningSecret,
  unprovisionTerminal,
  type IssuedSecret,
  type ProvisionedTerminal,
  type ProvisioningDeps,
} from './terminal-provisioning.js';
export { listFetches, type ProvisioningFetch } from './fetches.js';
export { buildTerminalConfig, normalizeMac, renderLinphoneXml, type SipEndpoint, type TerminalConfig } from './terminal-config.js';
export type { ProvisioningTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { terminalProvisioning } from './migrations/20261203T0921-terminal-provisioning.js';
