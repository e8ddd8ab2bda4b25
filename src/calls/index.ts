export type { CallDecision, CallPolicy } from './call-policy.js';
export { unmeteredBudget, type BudgetGrant, type CallBudget } from './call-budget.js';
export { CallRecorder, closeStaleCallsJob } from './call-records.js';
export { CALL_COMPLETED, publishCallCompleted, publishCompletedFrom, type CallCompleted } from './call-events.js';
export {
  DEFAULT_NOTICE_IDENTITY,
  type DeviceMessageOptions,
  type DeviceMessageOutcome,
  type DeviceMessenger,
  type NoticeIdentity,
} from './device-messenger.js';
export type { MovedNumbers } from './moved-numbers.js';
export { InMemoryLocationService, type Binding, type LocationService } from './location-service.js';
export { provisionSipAccounts, setSipAccountStatus, SipAccountStore, type AccountStatus, type NewSipAccount } from './sip-accounts.js';
export { createSipServer, defaultAdvertisedAddress, type SipServer, type SipServerConfig } from './sip-server.js';
/** Ends every call of some numbers on a node: `SipServer.hangUpCallsOf`, injected where a module needs it. */
export type EndCallsOf = (numbers: readonly string[], reason: string) => number;
export { loadTlsCertificate } from './tls-certificate.js';
export { callRoutes } from './routes.js';
export { portalCallRoutes, type PortalCallRouteOptions } from './portal-call-routes.js';
export { recordQualityReport, qualityReportsOfCall, type QualityReportInput, type StoredQualityReport } from './quality-reports.js';
export { callEvidence, callHistory, type CallEvidence, type CallHistoryEntry } from './call-history.js';
export { InMemorySipBanList, type SipBan, type SipBanKind, type SipBanList } from './sip-bans.js';
export type { CallTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { sipAccountsAndCallRecords } from './migrations/20261124T0200-sip-accounts-and-call-records.js';
export { deviceCredentials } from './migrations/20261124T0360-device-credentials.js';
export { callQualityReports } from './migrations/20261124T0500-call-quality-reports.js';
export { publishCompletedCalls } from './migrations/20261203T0110-publish-completed-calls.js';
export { locationBindings } from './migrations/20261204T2200-location-bindings.js';
export { callRecordsUnusedIndex } from './migrations/20261207T2300-call-records-unused-index.js';
export { existingSipNumbers, issueDeviceCredentials, listDevices, revokeDeviceCredentials } from './sip-accounts.js';
export { callFiguresByDay, type CallDay } from './dashboard-figures.js';
