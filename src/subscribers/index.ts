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
export { submitApplication, type Application, type IndividualApplication, type OrganisationApplication } from './application.js';
export { decideOnSubscriber, verificationQueue, type VerificationDecision } from './verification.js';
export { activateIfReady } from './activation.js';
export { currentOrder, type Order } from './orders.js';
export { installPortalGuard, portalRoutesOf, requireSubscriber, subscriberActor, type SubscriberPrincipal } from './portal-auth.js';
export { portalRoutes } from './portal-routes.js';
export {
  completeTermination,
  completeTerminationsJob,
  nothingOwed,
  requestTermination,
  terminateForNonPayment,
  type BalanceSource,
  type TerminationDeps,
} from './termination.js';
export { documentRoutes } from './document-routes.js';
export { detectContentType, listDocuments, uploadDocument, viewDocument, type DocumentMetadata } from './documents.js';
export { legalRequestRoutes } from './legal-request-routes.js';
export { discloseUnderLegalRequest, listLegalRequests, type LegalRequest } from './legal-requests.js';
