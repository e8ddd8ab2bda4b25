export {
  createSubscriberWithIdentity,
  fieldsOf,
  getMaskedSubscriber,
  listIdentityReveals,
  maskIdentityValue,
  revealIdentityField,
  type IdentityData,
  type IdentityField,
  type MaskedSubscriber,
} from './identity.js';
export { subscriberRoutes } from './routes.js';
export { subscriberDisplayNames } from './display-names.js';
export { submitApplication, type Application, type IndividualApplication, type OrganisationApplication } from './application.js';
export { decideOnSubscriber, verificationQueue, type VerificationDecision } from './verification.js';
export { activateIfReady, recordAgreementSigned } from './activation.js';
export { currentOrder, type Order } from './orders.js';
export { subscriberDirectory } from './portal-directory.js';
export { portalRoutes } from './portal-routes.js';
export {
  completeTermination,
  completeTerminationIfSettled,
  completeTerminationsJob,
  nothingOwed,
  requestTermination,
  terminateForNonPayment,
  terminationAwaitingSettlement,
  type BalanceSource,
  type TerminationDeps,
} from './termination.js';
export { documentRoutes } from './document-routes.js';
export { detectContentType, listDocuments, uploadDocument, viewDocument, type DocumentMetadata } from './documents.js';
export { legalRequestRoutes } from './legal-request-routes.js';
export { discloseUnderLegalRequest, listLegalRequests, type LegalRequest } from './legal-requests.js';
export type { SubscriberTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { subscribersIdentity } from './migrations/20261124T0310-subscribers-identity.js';
export { ordersAndPortal } from './migrations/20261124T0340-orders-and-portal.js';
export { legalRequests } from './migrations/20261124T0450-legal-requests.js';
export { portalSignInFailures } from './migrations/20261125T0110-portal-sign-in-failures.js';
export { agreementSigned } from './migrations/20261203T0410-agreement-signed.js';
export { subscriberOwnData, type SubscriberOwnData } from './own-data.js';
export { subscribersUnderAgreement } from './in-service.js';
export { subscriberStanding, type SubscriberStanding } from './standing.js';
export { reflectSuspensionState } from './lifecycle.js';
export { noticeContacts, setNoticeContact, type NoticeContact, type NoticeLanguage } from './notice-contacts.js';
export { noticeContacts as noticeContactsMigration } from './migrations/20261203T0801-notice-contacts.js';
export {
  findSubscribersByContactPhone,
  findSubscribersByIdLastFour,
  findSubscribersByName,
  indexSearchTokens,
  indexSearchTokensJob,
  subscriberSearchSummaries,
  type SubscriberSearchSummary,
} from './subscriber-search.js';
export { searchTokensOf, SEARCH_TOKENS_VERSION, type SearchToken } from './search-tokens.js';
export { subscriberSearchTokens } from './migrations/20261203T1700-subscriber-search-tokens.js';
export { SubscriberKindSchema, SubscriberStatusSchema } from './schemas.js';
export { verificationQueuePage, verificationStages } from './work-queue.js';
export { subscriberFlowByMonth, subscribersByStatus } from './dashboard-figures.js';
