import {
  checkStatedBirthDate,
  validateCitizenNumber,
  type BirthDateAgreementFailureCode,
  type CitizenIdentityNumber,
  type CitizenNumberFailureCode,
  type Sex,
} from './citizen-identity-number.js';
import { identifierText } from './identifier-text.js';
import { validatePrcResidentId } from './prc-resident-id.js';
import { invalid, valid, type ValidationResult } from './validation-result.js';

/**
 * Identity documents other than the resident identity card that individuals may apply with
 * (agreement clause 1), and one entry point over all of them.
 */

export const ID_DOCUMENT_TYPES = ['prc_resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'hmt_residence_permit'] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

export const OTHER_ID_FAILURE_CODES = [
  'id-document-type-unknown',
  'passport-format',
  'hk-macao-permit-format',
  'taiwan-permit-format',
] as const;
export type OtherIdFailureCode = (typeof OTHER_ID_FAILURE_CODES)[number];

export type IdDocumentFailureCode = OtherIdFailureCode | CitizenNumberFailureCode | BirthDateAgreementFailureCode;

/**
 * Who issued a passport, which decides the format checked. "mainland" is a passport issued by the
 * PRC central authorities; Hong Kong and Macao SAR passports (K…, MA…) also show CHN as the issuing
 * state in their machine-readable zone but follow their own numbering, so they are "other".
 */
export type PassportIssuer = 'mainland' | 'other';

export interface IdDocument {
  type: IdDocumentType;
  /** Normalised: no spaces, upper case. */
  number: string;
  /** Only for documents whose number carries them (resident identity card, residence permit). */
  birthDate?: string;
  sex?: Sex;
}

export interface IdDocumentOptions {
  today: Date;
  /** The birth date on the application (`YYYY-MM-DD`), checked against numbers that carry one. */
  statedBirthDate?: string;
  /** Unknown issuer: only the general passport format is checked. */
  passportIssuer?: PassportIssuer;
}

/**
 * PRC passports (Passport Law of the PRC; numbering as printed on the data page):
 * - ordinary e-passports since 2012: E + 8 digits, then E + letter + 7 digits once those ran out;
 * - ordinary passports before 2012: G + 8 digits;
 * - diplomatic, service and public-affairs passports: D, S or P + 8 digits, and DE, SE or PE +
 *   7 digits for their electronic editions.
 */
const MAINLAND_PASSPORT = /^(?:[EGDSP]\d{8}|E[A-Z]\d{7}|[DSP]E\d{7})$/;

/**
 * Any other passport: letters and digits only. ICAO Doc 9303 gives the number nine characters in
 * the machine-readable zone with an overflow for longer ones; 5–17 covers the numbers issued in practice.
 */
const OTHER_PASSPORT = /^[A-Z0-9]{5,17}$/;

export function validatePassportNumber(input: unknown, issuer?: PassportIssuer): ValidationResult<string, 'passport-format'> {
  const number = identifierText(input);
  if (issuer === 'mainland') {
    return MAINLAND_PASSPORT.test(number)
      ? valid(number)
      : invalid(
          'passport-format',
          'A PRC passport number is E, G, D, S or P followed by 8 digits, or E and a letter, DE, SE or PE followed by 7 digits.',
        );
  }
  return OTHER_PASSPORT.test(number) ? valid(number) : invalid('passport-format', 'A passport number has 5 to 17 letters and digits.');
}

/**
 * Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证): H (Hong Kong) or M
 * (Macao) and 8 digits on the card issued since 2013; the older booklet added 2 digits counting renewals.
 */
export function validateHkMacaoPermitNumber(input: unknown): ValidationResult<string, 'hk-macao-permit-format'> {
  const number = identifierText(input);
  return /^[HM](?:\d{8}|\d{10})$/.test(number)
    ? valid(number)
    : invalid('hk-macao-permit-format', 'A travel permit number for Hong Kong and Macao residents is H or M followed by 8 or 10 digits.');
}

/**
 * Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证): 8 digits on the card issued
 * since 2015; the older booklet added 2 digits counting issues.
 */
export function validateTaiwanPermitNumber(input: unknown): ValidationResult<string, 'taiwan-permit-format'> {
  const number = identifierText(input);
  return /^(?:\d{8}|\d{10})$/.test(number)
    ? valid(number)
    : invalid('taiwan-permit-format', 'A travel permit number for Taiwan residents is 8 or 10 digits.');
}

/**
 * Residence permit for Hong Kong, Macao and Taiwan residents (港澳台居民居住证, issued since
 * 1 September 2018): a GB 11643-1999 number whose address code is 810000 (Hong Kong), 820000 (Macao)
 * or 830000 (Taiwan) under the State Council's rules for the permit. Taiwan's is 83, not its GB/T 2260 code 71.
 */
export const RESIDENCE_PERMIT_REGIONS = { '810000': 'hong-kong', '820000': 'macao', '830000': 'taiwan' } as const;

export interface HmtResidencePermit extends CitizenIdentityNumber {
  region: (typeof RESIDENCE_PERMIT_REGIONS)[keyof typeof RESIDENCE_PERMIT_REGIONS];
}

const RESIDENCE_PERMIT = 'The residence permit number';

export function validateHmtResidencePermit(
  input: unknown,
  options: { today: Date },
): ValidationResult<HmtResidencePermit, CitizenNumberFailureCode> {
  const result = validateCitizenNumber(input, {
    document: RESIDENCE_PERMIT,
    regionProblem: (divisionCode) =>
      Object.hasOwn(RESIDENCE_PERMIT_REGIONS, divisionCode) ? undefined : `${RESIDENCE_PERMIT} must start with 810000, 820000 or 830000.`,
    today: options.today,
  });
  if (!result.ok) return result;
  const region = RESIDENCE_PERMIT_REGIONS[result.value.divisionCode as keyof typeof RESIDENCE_PERMIT_REGIONS];
  return valid({ ...result.value, region });
}

/** Validates a document number by type; for numbers that carry a birth date, also checks it against the stated one. */
export function validateIdDocument(
  type: string,
  input: unknown,
  options: IdDocumentOptions,
): ValidationResult<IdDocument, IdDocumentFailureCode> {
  switch (type) {
    case 'prc_resident_id':
      return withBirthDate('prc_resident_id', validatePrcResidentId(input, options), options.statedBirthDate);
    case 'hmt_residence_permit':
      return withBirthDate('hmt_residence_permit', validateHmtResidencePermit(input, options), options.statedBirthDate);
    case 'passport':
      return withType('passport', validatePassportNumber(input, options.passportIssuer));
    case 'hk_macao_permit':
      return withType('hk_macao_permit', validateHkMacaoPermitNumber(input));
    case 'taiwan_permit':
      return withType('taiwan_permit', validateTaiwanPermitNumber(input));
    default:
      return invalid('id-document-type-unknown', `The identity document type must be one of ${ID_DOCUMENT_TYPES.join(', ')}.`);
  }
}

function withType<Code extends string>(type: IdDocumentType, result: ValidationResult<string, Code>): ValidationResult<IdDocument, Code> {
  return result.ok ? valid({ type, number: result.value }) : result;
}

function withBirthDate(
  type: IdDocumentType,
  result: ValidationResult<CitizenIdentityNumber, CitizenNumberFailureCode>,
  statedBirthDate: string | undefined,
): ValidationResult<IdDocument, CitizenNumberFailureCode | BirthDateAgreementFailureCode> {
  if (!result.ok) return result;
  const { number, birthDate, sex } = result.value;
  if (statedBirthDate !== undefined) {
    const agreement = checkStatedBirthDate(birthDate, statedBirthDate);
    if (!agreement.ok) return agreement;
  }
  return valid({ type, number, birthDate, sex });
}
