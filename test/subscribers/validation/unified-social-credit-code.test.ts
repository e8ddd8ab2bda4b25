import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGISTRATION_AUTHORITIES, validateUnifiedSocialCreditCode } from '../../../src/subscribers/validation/index.js';
import { USCC_CHARS, withUsccCheck } from './check-characters.js';

describe('a unified social credit code (GB 32100-2015)', () => {
  it('accepts the example 91350100M000100Y43: an enterprise registered by market regulation in Fuzhou', () => {
    expect(validateUnifiedSocialCreditCode('91350100M000100Y43')).toEqual({
      ok: true,
      value: {
        code: '91350100M000100Y43',
        registrationAuthority: '9',
        organisationCategory: '1',
        divisionCode: '350100',
        organisationCode: 'M000100Y4',
      },
    });
  });

  it('accepts a code whose check character is a letter', () => {
    expect(validateUnifiedSocialCreditCode('91110000600037341L')).toMatchObject({ ok: true });
  });

  it('accepts lower case and spaces, and stores the code in upper case without them', () => {
    expect(validateUnifiedSocialCreditCode(' 91350100 m000100y43 ')).toMatchObject({ ok: true, value: { code: '91350100M000100Y43' } });
  });

  it('refuses a code whose check character does not match', () => {
    expect(validateUnifiedSocialCreditCode('91350100M000100Y44')).toMatchObject({ ok: false, code: 'uscc-checksum' });
  });

  it('refuses a code of the wrong length', () => {
    expect(validateUnifiedSocialCreditCode('91350100M000100Y4')).toMatchObject({ ok: false, code: 'uscc-length' });
    expect(validateUnifiedSocialCreditCode(null)).toMatchObject({ ok: false, code: 'uscc-length' });
  });

  it('refuses the letters I, O, S, V and Z, which the code never uses', () => {
    for (const letter of 'IOSVZ') {
      expect(validateUnifiedSocialCreditCode(`91350100M000100${letter}43`)).toMatchObject({ ok: false, code: 'uscc-format' });
    }
  });

  it('refuses letters in the division code', () => {
    expect(validateUnifiedSocialCreditCode(withUsccCheck('9135010AM000100Y4'))).toMatchObject({ ok: false, code: 'uscc-format' });
  });

  it('accepts the registration authorities assigned after the standard, such as a law firm registered by justice administration', () => {
    expect(validateUnifiedSocialCreditCode(withUsccCheck('31110000MD0123456'))).toMatchObject({
      ok: true,
      value: { registrationAuthority: '3', organisationCategory: '1' },
    });
    expect(validateUnifiedSocialCreditCode(withUsccCheck('N2330102MA1234567'))).toMatchObject({
      ok: true,
      value: { registrationAuthority: 'N' },
    });
  });

  it('refuses a registration authority that has not been assigned, even with a correct check character', () => {
    expect(validateUnifiedSocialCreditCode(withUsccCheck('B1350100M000100Y4'))).toMatchObject({
      ok: false,
      code: 'uscc-registration-authority',
    });
  });

  describe('as a property', () => {
    const chars = (length: number) => fc.string({ unit: fc.constantFrom(...USCC_CHARS), minLength: length, maxLength: length });
    const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
    const body = fc.tuple(chars(2), digits(6), chars(9)).map((parts) => parts.join(''));

    it('any 17 characters with their computed check character pass the checksum', () => {
      fc.assert(
        fc.property(body, (start) => {
          const result = validateUnifiedSocialCreditCode(withUsccCheck(start));
          expect(result.ok || result.code).not.toBe('uscc-checksum');
        }),
      );
    });

    it('with an assigned registration authority, any such code validates', () => {
      fc.assert(
        fc.property(fc.constantFrom(...Object.keys(REGISTRATION_AUTHORITIES)), body, (authority, start) => {
          const code = withUsccCheck(authority + start.slice(1));
          expect(validateUnifiedSocialCreditCode(code)).toMatchObject({ ok: true, value: { code, registrationAuthority: authority } });
        }),
      );
    });

    it('changing any single character of a valid code makes it fail the checksum', () => {
      fc.assert(
        fc.property(body, fc.nat(17), fc.constantFrom(...USCC_CHARS), (start, position, replacement) => {
          const code = withUsccCheck(start);
          // Positions 3–8 hold digits; a letter there is a format error, not a typo the checksum catches.
          fc.pre(replacement !== code[position] && !(position >= 2 && position < 8 && !/\d/.test(replacement)));
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          expect(validateUnifiedSocialCreditCode(changed)).toMatchObject({ ok: false, code: 'uscc-checksum' });
        }),
      );
    });
  });
});
