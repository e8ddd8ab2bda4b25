// The max metadata carries the per-region number patterns; the default (min) metadata only checks
// lengths, so its isValid() would accept numbers no operator has allocated.
import { ParseError, parsePhoneNumberWithError, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { invalid, valid, type ValidationResult } from './validation-result.js';

/**
 * Contact phone numbers of applicants (agreement clause 1), parsed and validated against the
 * numbering plans in Google's libphonenumber metadata (ITU-T E.164 and each region's plan), and
 * stored in E.164 form. The metadata ages: a newly allocated range is refused until the
 * libphonenumber-js dependency is updated.
 */

export type PhoneKind = 'mobile' | 'fixed-line';

export interface ValidPhoneNumber {
  /** ITU-T E.164: '+', country calling code and national number, no separators. */
  e164: string;
  /** ISO 3166-1 alpha-2 region the number belongs to. */
  region: CountryCode | undefined;
  /** Some plans (the North American one) do not tell mobile and fixed-line numbers apart. */
  kind: PhoneKind | 'fixed-line-or-mobile';
}

export interface PhoneOptions {
  /** Region assumed for numbers written without an international prefix. */
  defaultRegion?: CountryCode;
  /** Kinds of number accepted; toll-free, shared-cost (400), premium and VoIP numbers never reach a person reliably. */
  accept?: readonly PhoneKind[];
}

export const PHONE_FAILURE_CODES = [
  'phone-malformed',
  'phone-invalid',
  'phone-type-not-accepted',
  'phone-extension-not-supported',
] as const;
export type PhoneFailureCode = (typeof PHONE_FAILURE_CODES)[number];

const BOTH_KINDS: readonly PhoneKind[] = ['mobile', 'fixed-line'];

export function validatePhoneNumber(input: unknown, options: PhoneOptions = {}): ValidationResult<ValidPhoneNumber, PhoneFailureCode> {
  const { defaultRegion = 'CN', accept = BOTH_KINDS } = options;
  const text = typeof input === 'string' ? input.trim() : '';

  let phone: PhoneNumber;
  try {
    // extract: false — the whole input must be the number, not merely contain one.
    phone = parsePhoneNumberWithError(text, { defaultCountry: defaultRegion, extract: false });
  } catch (error) {
    if (error instanceof ParseError) return invalid('phone-malformed', 'The phone number could not be read as a phone number.');
    throw error;
  }

  if (!phone.isValid()) return invalid('phone-invalid', 'The phone number is not a valid number in its region.');
  // E.164 has no place for an extension; dropping it silently would store a number that does not reach the person.
  if (phone.ext) return invalid('phone-extension-not-supported', 'Give a phone number without an extension.');

  const kind = kindOf(phone);
  const accepted = kind === 'fixed-line-or-mobile' ? accept.length > 0 : kind !== undefined && accept.includes(kind);
  if (kind === undefined || !accepted) {
    return invalid('phone-type-not-accepted', `The phone number must be a ${accept.join(' or ')} number.`);
  }
  return valid({ e164: phone.number, region: phone.country, kind });
}

function kindOf(phone: PhoneNumber): ValidPhoneNumber['kind'] | undefined {
  switch (phone.getType()) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'fixed-line';
    case 'FIXED_LINE_OR_MOBILE':
      return 'fixed-line-or-mobile';
    default:
      return undefined;
  }
}
