import { identifierText } from './identifier-text.js';
import { invalid, valid, type ValidationResult } from './validation-result.js';

/**
 * Unified social credit code (统一社会信用代码) of organisations, GB 32100-2015: registration
 * authority (1 character), organisation category (1), registering authority's division code (6
 * digits, GB/T 2260), organisation identifier (9, the GB 11714 organisation code) and a check character.
 */

/**
 * The code's character set and the value of each character (GB 32100-2015): digits and capital
 * letters without I, O, S, V and Z (easily confused with 1, 0, 5, U and 2).
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17 (GB 32100-2015): 3^(i−1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Registration authorities. GB 32100-2015 itself assigns only 1, 5, 9 and Y; the others were
 * assigned afterwards by the national code administration. The second character's categories differ
 * per authority and have grown over time, so they are reported, not checked.
 */
export const REGISTRATION_AUTHORITIES = {
  '1': 'Public sector staffing administration (state organs, public institutions)',
  '2': 'Foreign affairs',
  '3': 'Justice administration',
  '4': 'Culture',
  '5': 'Civil affairs (social organisations, foundations)',
  '6': 'Tourism',
  '7': 'Religious affairs',
  '8': 'Trade unions',
  '9': 'Market regulation (enterprises, individual businesses, farmer cooperatives)',
  A: 'Central Military Commission reform and staffing office',
  N: 'Agriculture (rural collective economic organisations)',
  Y: 'Other',
} as const satisfies Record<string, string>;

export type RegistrationAuthority = keyof typeof REGISTRATION_AUTHORITIES;

export interface UnifiedSocialCreditCode {
  /** Normalised: 18 characters, upper case. */
  code: string;
  registrationAuthority: RegistrationAuthority;
  organisationCategory: string;
  divisionCode: string;
  organisationCode: string;
}

export const USCC_FAILURE_CODES = ['uscc-length', 'uscc-format', 'uscc-checksum', 'uscc-registration-authority'] as const;
export type UsccFailureCode = (typeof USCC_FAILURE_CODES)[number];

export function usccCheckCharacter(body: string): string {
  if (body.length !== 17) throw new RangeError('USCC check character: the body must be 17 characters');
  let sum = 0;
  for (const [index, weight] of WEIGHTS.entries()) {
    const value = CHARSET.indexOf(body[index]!);
    if (value < 0) throw new RangeError('USCC check character: the body has a character outside GB 32100');
    sum += value * weight;
  }
  // GB 32100-2015: check = 31 − (sum mod 31), where 31 is written as 0.
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

const FORMAT = /^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/;

/**
 * Checks length, characters, check character, then the registration authority: the check character
 * first, so that a mistyped first character is reported as a typing mistake.
 */
export function validateUnifiedSocialCreditCode(input: unknown): ValidationResult<UnifiedSocialCreditCode, UsccFailureCode> {
  const code = identifierText(input);
  if (code.length !== 18) return invalid('uscc-length', 'The unified social credit code must have 18 characters.');
  if (!FORMAT.test(code)) {
    return invalid(
      'uscc-format',
      'The unified social credit code uses digits and capital letters other than I, O, S, V and Z, with digits in positions 3 to 8.',
    );
  }
  if (usccCheckCharacter(code.slice(0, 17)) !== code[17]) {
    return invalid(
      'uscc-checksum',
      'The unified social credit code fails its check character (GB 32100-2015); a character is probably mistyped.',
    );
  }
  const registrationAuthority = code[0]!;
  if (!Object.hasOwn(REGISTRATION_AUTHORITIES, registrationAuthority)) {
    return invalid('uscc-registration-authority', 'The unified social credit code starts with an unknown registration authority.');
  }
  return valid({
    code,
    registrationAuthority: registrationAuthority as RegistrationAuthority,
    organisationCategory: code[1]!,
    divisionCode: code.slice(2, 8),
    organisationCode: code.slice(8, 17),
  });
}
