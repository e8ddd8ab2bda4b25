export { agreementRoutes } from './routes.js';
export {
  agreementLanguages,
  agreementParameters,
  renderAgreement,
  type AgreementLanguage,
  type AgreementParameters,
  type OrderSummary,
} from './render.js';
export { renderAgreementPdf, sealFingerprint, verifyAgreementDocument, type AgreementDocumentCheck } from './agreement-pdf.js';
export { readableDiff, type DiffSegment } from './terms-diff.js';
export { agreementParametersFor } from './subscriber-parameters.js';
export { generateOperatorSeal, loadOrCreateOperatorSeal, operatorSealFrom, type OperatorSeal } from './seal.js';
export {
  currentAgreementVersion,
  signAgreement,
  signedCopy,
  verifySignedCopy,
  type AgreementVersion,
  type SignedCopy,
  type SignInput,
} from './signing.js';
export {
  acceptTermsChange,
  deemedAcceptanceJob,
  listAgreementVersions,
  notifyOfPendingVersions,
  objectionWindow,
  objectToTermsChange,
  pendingTermsChanges,
  publishAgreementVersion,
  recordDeemedAcceptances,
  type ObjectionWindow,
  type PublishedVersion,
} from './terms-changes.js';
export {
  addCaseEntry,
  getNegotiationCase,
  listNegotiationCases,
  openFeeDisputeCase,
  resolveNegotiationCase,
  type CaseEntry,
  type NegotiationCase,
} from './negotiation.js';
export type { AgreementTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { agreements } from './migrations/20261124T0330-agreements.js';
export { termsChanges } from './migrations/20261124T0400-terms-changes.js';
export { feeDisputeCases } from './migrations/20261203T0710-fee-dispute-cases.js';
export { licenceAcceptances } from './migrations/20261203T0840-licence-acceptances.js';
export { signedAgreementsOf, type SignedAgreementData } from './own-data.js';
export {
  acceptLicence,
  LICENCE_VERSIONS,
  LicenceCatalogue,
  licenceAcceptancesOf,
  licenceAllowsCredentials,
  type LicenceAcceptance,
  type LicenceVersion,
} from './licence.js';
export { negotiationQueuePage, negotiationStages } from './work-queue.js';
