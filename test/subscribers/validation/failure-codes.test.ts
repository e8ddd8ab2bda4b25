import { describe, expect, it } from 'vitest';
import {
  VALIDATION_FAILURE_CODES,
  validateIdDocument,
  validatePhoneNumber,
  validateUnifiedSocialCreditCode,
  type ValidationResult,
} from '../../../src/subscribers/validation/index.js';
import { withMod112Check, withUsccCheck } from './check-characters.js';

const today = new Date('2026-06-01T00:00:00Z');
const id = (number: string, statedBirthDate?: string) => validateIdDocument('prc_resident_id', number, { today, statedBirthDate });

/** One input that reaches each failure code, so the API layer can rely on the published list. */
const examples: [string, () => ValidationResult<unknown>][] = [
  ['id-number-length', () => id('1101051949123100')],
  ['id-number-format', () => id('11010519491231002Y')],
  ['id-number-checksum', () => id('110105194912310021')],
  ['id-number-region', () => id(withMod112Check('91010219800101001'))],
  ['id-number-birth-date-invalid', () => id(withMod112Check('11010519900230001'))],
  ['id-number-birth-date-too-early', () => id(withMod112Check('11010518991231001'))],
  ['id-number-birth-date-in-future', () => id(withMod112Check('11010520260602001'))],
  ['stated-birth-date-invalid', () => id('11010519491231002X', '1949/12/31')],
  ['id-number-birth-date-mismatch', () => id('11010519491231002X', '1949-12-30')],
  ['uscc-length', () => validateUnifiedSocialCreditCode('')],
  ['uscc-format', () => validateUnifiedSocialCreditCode('91350100M000100O43')],
  ['uscc-checksum', () => validateUnifiedSocialCreditCode('91350100M000100Y42')],
  ['uscc-registration-authority', () => validateUnifiedSocialCreditCode(withUsccCheck('C1350100M000100Y4'))],
  ['id-document-type-unknown', () => validateIdDocument('ID card', '11010519491231002X', { today })],
  ['passport-format', () => validateIdDocument('passport', 'E12', { today })],
  ['hk-macao-permit-format', () => validateIdDocument('hk_macao_permit', 'K12345678', { today })],
  ['taiwan-permit-format', () => validateIdDocument('taiwan_permit', '123', { today })],
  ['phone-malformed', () => validatePhoneNumber('not a number')],
  ['phone-invalid', () => validatePhoneNumber('12800138000')],
  ['phone-type-not-accepted', () => validatePhoneNumber('4008123123')],
  ['phone-extension-not-supported', () => validatePhoneNumber('+86 10 6552 9988 ext. 5')],
];

describe('the failure codes', () => {
  it.each(examples)('%s is returned for a matching input, with an English sentence', (code, run) => {
    const result = run();
    expect(result).toMatchObject({ ok: false, code });
    expect(!result.ok && result.message).toMatch(/^[A-Z].*\.$/);
  });

  it('are each reached by an example, and the list holds no others', () => {
    expect(examples.map(([code]) => code).sort()).toEqual([...VALIDATION_FAILURE_CODES].sort());
  });

  it('have the shape of the problem catalog codes: lower-case words joined by hyphens', () => {
    for (const code of VALIDATION_FAILURE_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
