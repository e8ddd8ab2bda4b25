import { identifierText } from './identifier-text.js';
import { invalid, valid, type ValidationResult } from './validation-result.js';

/**
 * The 18-character number structure of GB 11643-1999 (公民身份号码), shared by the PRC resident
 * identity card and, since 2018, the residence permit for Hong Kong, Macao and Taiwan residents.
 * Each document decides which address codes it allows; everything else is the same.
 */

export type Sex = 'male' | 'female';

export interface CitizenIdentityNumber {
  /** Normalised: 17 digits and a check character, a final x written as 'X'. */
  number: string;
  /** Address code (地址码): the GB/T 2260 division of the holder's registered residence. */
  divisionCode: string;
  /** Birth date code (出生日期码) as an ISO 8601 calendar date, `YYYY-MM-DD`. */
  birthDate: string;
  /** From the sequence code (顺序码): odd for men, even for women. */
  sex: Sex;
}

export const CITIZEN_NUMBER_FAILURE_CODES = [
  'id-number-length',
  'id-number-format',
  'id-number-checksum',
  'id-number-region',
  'id-number-birth-date-invalid',
  'id-number-birth-date-too-early',
  'id-number-birth-date-in-future',
] as const;
export type CitizenNumberFailureCode = (typeof CITIZEN_NUMBER_FAILURE_CODES)[number];

export const BIRTH_DATE_AGREEMENT_FAILURE_CODES = ['stated-birth-date-invalid', 'id-number-birth-date-mismatch'] as const;
export type BirthDateAgreementFailureCode = (typeof BIRTH_DATE_AGREEMENT_FAILURE_CODES)[number];

export interface CitizenNumberRules {
  /** How messages name the document at the start of a sentence, e.g. "The PRC resident identity number". */
  document: string;
  /** Why this document refuses the address code, or undefined when it accepts it. */
  regionProblem(divisionCode: string): string | undefined;
  /** The instant validation happens; birth dates after that day (in China) are refused. */
  today: Date;
}

/**
 * ISO 7064:1983 MOD 11-2, which GB 11643-1999 names for the check code: the weight of each position
 * is 2^(i−1) mod 11 with i counted from the right (the check character is i = 1), and the check value
 * makes the weighted sum of all 18 characters ≡ 1 (mod 11). Value 10 is written 'X'.
 */
const MOD_11_2_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

export function mod112CheckCharacter(body: string): string {
  if (!/^\d{17}$/.test(body)) throw new RangeError('MOD 11-2 check character: the body must be 17 digits');
  let sum = 0;
  for (const [index, weight] of MOD_11_2_WEIGHTS.entries()) sum += Number(body[index]) * weight;
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

/** The earliest birth year accepted: nobody born before it holds a current document. */
export const EARLIEST_BIRTH_YEAR = 1900;

/**
 * Checks, in this order, length, characters, check character, address code and birth date. The
 * check character comes before the meaning of the parts so that a mistyped character is reported
 * as a typing mistake, not as a nonsensical region or date it happens to produce.
 */
export function validateCitizenNumber(
  input: unknown,
  rules: CitizenNumberRules,
): ValidationResult<CitizenIdentityNumber, CitizenNumberFailureCode> {
  const number = identifierText(input);
  if (number.length !== 18) return invalid('id-number-length', `${rules.document} must have 18 characters.`);
  if (!/^\d{17}[\dX]$/.test(number)) {
    return invalid('id-number-format', `${rules.document} must be 17 digits followed by a digit or the letter X.`);
  }
  if (mod112CheckCharacter(number.slice(0, 17)) !== number[17]) {
    return invalid(
      'id-number-checksum',
      `${rules.document} fails its check character (ISO 7064 MOD 11-2); a character is probably mistyped.`,
    );
  }

  const divisionCode = number.slice(0, 6);
  const regionProblem = rules.regionProblem(divisionCode);
  if (regionProblem !== undefined) return invalid('id-number-region', regionProblem);

  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  if (!isCalendarDate(birthDate)) {
    return invalid('id-number-birth-date-invalid', `The birth date in ${lowerFirst(rules.document)} is not a real calendar date.`);
  }
  if (Number(birthDate.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    return invalid('id-number-birth-date-too-early', `The birth date in ${lowerFirst(rules.document)} is before ${EARLIEST_BIRTH_YEAR}.`);
  }
  if (birthDate > chinaCalendarDate(rules.today)) {
    return invalid('id-number-birth-date-in-future', `The birth date in ${lowerFirst(rules.document)} is in the future.`);
  }

  // GB 11643-1999, sequence code: the last of its three digits (the 17th character) carries the sex.
  const sex: Sex = Number(number[16]) % 2 === 1 ? 'male' : 'female';
  return valid({ number, divisionCode, birthDate, sex });
}

/**
 * Compares the birth date a number carries with the one the applicant wrote on the application.
 * A mismatch is a reason to ask for a copy of the document (agreement clause 1), not proof of
 * false data: the number carries the registered date, which occasionally differs from the real one.
 */
export function checkStatedBirthDate(
  embeddedBirthDate: string,
  statedBirthDate: unknown,
): ValidationResult<string, BirthDateAgreementFailureCode> {
  const stated = typeof statedBirthDate === 'string' ? statedBirthDate.normalize('NFKC').trim() : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(stated) || !isCalendarDate(stated)) {
    return invalid('stated-birth-date-invalid', 'The stated birth date is not a calendar date written YYYY-MM-DD.');
  }
  if (stated !== embeddedBirthDate) {
    return invalid('id-number-birth-date-mismatch', 'The birth date in the identity number differs from the stated birth date.');
  }
  return valid(stated);
}

/** A `YYYY-MM-DD` string that names a day of the proleptic Gregorian calendar (GB/T 7408, ISO 8601). */
export function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= daysInMonth;
}

/**
 * The calendar date in China at an instant. Birth dates in these numbers are Chinese civil dates,
 * and China Standard Time has been UTC+8 all year since daylight saving ended in 1991, so a fixed
 * offset is exact for "today".
 */
export function chinaCalendarDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
