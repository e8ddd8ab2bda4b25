import {
  checkStatedBirthDate,
  validateCitizenNumber,
  type BirthDateAgreementFailureCode,
  type CitizenIdentityNumber,
  type CitizenNumberFailureCode,
} from './citizen-identity-number.js';
import { identifierText } from './identifier-text.js';
import { invalid, valid, type ValidationResult } from './validation-result.js';

/**
 * PRC resident identity number (居民身份证号码), GB 11643-1999.
 */

/**
 * Province-level divisions of GB/T 2260 whose counties can appear in a resident identity number.
 * GB/T 2260 also lists 71 (Taiwan), 81 (Hong Kong) and 82 (Macao), but only at province level:
 * they have no county codes, and GB 11643-1999 takes the address code from the county of registered
 * residence, so no resident identity number can start with them. 83 is not in GB/T 2260 at all (it
 * appears only in Taiwan residents' residence permits), nor is the "91, abroad" that circulates in
 * many validators.
 */
export const PROVINCE_CODES = {
  '11': 'Beijing',
  '12': 'Tianjin',
  '13': 'Hebei',
  '14': 'Shanxi',
  '15': 'Inner Mongolia',
  '21': 'Liaoning',
  '22': 'Jilin',
  '23': 'Heilongjiang',
  '31': 'Shanghai',
  '32': 'Jiangsu',
  '33': 'Zhejiang',
  '34': 'Anhui',
  '35': 'Fujian',
  '36': 'Jiangxi',
  '37': 'Shandong',
  '41': 'Henan',
  '42': 'Hubei',
  '43': 'Hunan',
  '44': 'Guangdong',
  '45': 'Guangxi',
  '46': 'Hainan',
  '50': 'Chongqing',
  '51': 'Sichuan',
  '52': 'Guizhou',
  '53': 'Yunnan',
  '54': 'Tibet',
  '61': 'Shaanxi',
  '62': 'Gansu',
  '63': 'Qinghai',
  '64': 'Ningxia',
  '65': 'Xinjiang',
} as const satisfies Record<string, string>;

export type ProvinceCode = keyof typeof PROVINCE_CODES;

export interface PrcResidentId extends CitizenIdentityNumber {
  provinceCode: ProvinceCode;
}

export type PrcResidentIdFailureCode = CitizenNumberFailureCode;

const DOCUMENT = 'The PRC resident identity number';

export function validatePrcResidentId(input: unknown, options: { today: Date }): ValidationResult<PrcResidentId, PrcResidentIdFailureCode> {
  // First-generation cards carried 15 digits (GB 11643-1989, two-digit year, no check character);
  // they stopped being valid on 1 January 2013, so say so instead of just "wrong length".
  if (/^\d{15}$/.test(identifierText(input))) {
    return invalid(
      'id-number-length',
      `${DOCUMENT} must have 18 characters; 15-digit numbers from first-generation cards have not been valid since 2013.`,
    );
  }
  const result = validateCitizenNumber(input, { document: DOCUMENT, regionProblem: residentRegionProblem, today: options.today });
  if (!result.ok) return result;
  return valid({ ...result.value, provinceCode: result.value.divisionCode.slice(0, 2) as ProvinceCode });
}

/** Validates the number, then checks that it carries the birth date the applicant stated (`YYYY-MM-DD`). */
export function validatePrcResidentIdBirthDate(
  input: unknown,
  statedBirthDate: unknown,
  options: { today: Date },
): ValidationResult<PrcResidentId, PrcResidentIdFailureCode | BirthDateAgreementFailureCode> {
  const result = validatePrcResidentId(input, options);
  if (!result.ok) return result;
  const agreement = checkStatedBirthDate(result.value.birthDate, statedBirthDate);
  return agreement.ok ? result : agreement;
}

function residentRegionProblem(divisionCode: string): string | undefined {
  if (Object.hasOwn(PROVINCE_CODES, divisionCode.slice(0, 2))) return undefined;
  if (['810000', '820000', '830000'].includes(divisionCode)) {
    return `${DOCUMENT} cannot start with ${divisionCode}: that is a residence permit for Hong Kong, Macao or Taiwan residents.`;
  }
  return `${DOCUMENT} must start with the code of a mainland province-level division (GB/T 2260).`;
}
