export { accountStatePolicy, type CallDecision, type CallPolicy } from './call-policy.js';
export { CallRecorder, closeStaleCallsJob } from './call-records.js';
export { InMemoryLocationService, type Binding, type LocationService } from './location-service.js';
export { provisionSipAccounts, setSipAccountStatus, SipAccountStore, type AccountStatus, type NewSipAccount } from './sip-accounts.js';
export { createSipServer, defaultAdvertisedAddress, type SipServer, type SipServerConfig } from './sip-server.js';
export { loadTlsCertificate } from './tls-certificate.js';
export { callRoutes } from './routes.js';
