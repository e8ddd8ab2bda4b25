/**
 * Validation of the identity data subscribers give when they apply (agreement clause 1). Pure
 * functions: each returns a ValidationResult with a normalised value or a stable failure code.
 */
import { BIRTH_DATE_AGREEMENT_FAILURE_CODES, CITIZEN_NUMBER_FAILURE_CODES } from './citizen-identity-number.js';
import { OTHER_ID_FAILURE_CODES } from './other-ids.js';
import { PHONE_FAILURE_CODES } from './phone.js';
import { USCC_FAILURE_CODES } from './unified-social-credit-code.js';

export type { ValidationResult } from './validation-result.js';
export {
  checkStatedBirthDate,
  type BirthDateAgreementFailureCode,
  type CitizenIdentityNumber,
  type CitizenNumberFailureCode,
  type Sex,
} from './citizen-identity-number.js';
export {
  PROVINCE_CODES,
  validatePrcResidentId,
  validatePrcResidentIdBirthDate,
  type PrcResidentId,
  type PrcResidentIdFailureCode,
  type ProvinceCode,
} from './prc-resident-id.js';
export {
  REGISTRATION_AUTHORITIES,
  validateUnifiedSocialCreditCode,
  type RegistrationAuthority,
  type UnifiedSocialCreditCode,
  type UsccFailureCode,
} from './unified-social-credit-code.js';
export {
  ID_DOCUMENT_TYPES,
  RESIDENCE_PERMIT_REGIONS,
  validateHkMacaoPermitNumber,
  validateHmtResidencePermit,
  validateIdDocument,
  validatePassportNumber,
  validateTaiwanPermitNumber,
  type HmtResidencePermit,
  type IdDocument,
  type IdDocumentFailureCode,
  type IdDocumentOptions,
  type IdDocumentType,
  type OtherIdFailureCode,
  type PassportIssuer,
} from './other-ids.js';
export { validatePhoneNumber, type PhoneFailureCode, type PhoneKind, type PhoneOptions, type ValidPhoneNumber } from './phone.js';

/** Every failure code these validators can return, for the API layer's error catalog. */
export const VALIDATION_FAILURE_CODES = [
  ...CITIZEN_NUMBER_FAILURE_CODES,
  ...BIRTH_DATE_AGREEMENT_FAILURE_CODES,
  ...USCC_FAILURE_CODES,
  ...OTHER_ID_FAILURE_CODES,
  ...PHONE_FAILURE_CODES,
] as const;
export type ValidationFailureCode = (typeof VALIDATION_FAILURE_CODES)[number];
