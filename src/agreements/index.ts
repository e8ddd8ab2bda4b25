export { agreementRoutes } from './routes.js';
export {
  agreementLanguages,
  agreementParameters,
  renderAgreement,
  type AgreementLanguage,
  type AgreementParameters,
  type OrderSummary,
} from './render.js';
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
