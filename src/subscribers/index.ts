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
