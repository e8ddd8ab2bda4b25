import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  validateHkMacaoPermitNumber,
  validateHmtResidencePermit,
  validateIdDocument,
  validatePassportNumber,
  validateTaiwanPermitNumber,
} from '../../../src/subscribers/validation/index.js';
import { withMod112Check } from './check-characters.js';

const today = new Date('2026-06-01T00:00:00Z');

describe('a passport number', () => {
  it('from the mainland authorities: accepts the ordinary, older ordinary, diplomatic, service and public-affairs formats', () => {
    for (const number of [
      'E12345678',
      'EA1234567',
      'G12345678',
      'D12345678',
      'S12345678',
      'P12345678',
      'DE1234567',
      'SE1234567',
      'PE1234567',
    ]) {
      expect(validatePassportNumber(number, 'mainland')).toEqual({ ok: true, value: number });
    }
  });

  it('from the mainland authorities: refuses other shapes', () => {
    for (const number of ['E1234567', 'E123456789', 'A12345678', 'GA1234567', 'K12345678', '123456789']) {
      expect(validatePassportNumber(number, 'mainland')).toMatchObject({ ok: false, code: 'passport-format' });
    }
  });

  it('from elsewhere, including Hong Kong and Macao SAR passports: accepts 5 to 17 letters and digits', () => {
    for (const number of ['K12345678', 'MA1234567', '12345', 'X1234567890123456']) {
      expect(validatePassportNumber(number, 'other')).toMatchObject({ ok: true });
    }
  });

  it('from elsewhere: refuses numbers too short, too long or with other characters', () => {
    for (const number of ['1234', 'X12345678901234567', 'AB/12345', '']) {
      expect(validatePassportNumber(number, 'other')).toMatchObject({ ok: false, code: 'passport-format' });
    }
  });

  it('upper-cases and removes spaces', () => {
    expect(validatePassportNumber(' e1234 5678 ', 'mainland')).toEqual({ ok: true, value: 'E12345678' });
  });
});

describe('a Mainland Travel Permit for Hong Kong and Macao Residents', () => {
  it('accepts H or M with 8 digits (card) or 10 digits (booklet)', () => {
    for (const number of ['H12345678', 'M12345678', 'H1234567801', 'm1234567802'])
      expect(validateHkMacaoPermitNumber(number).ok).toBe(true);
  });

  it('refuses other letters and lengths', () => {
    for (const number of ['C12345678', 'H1234567', 'H123456789', '12345678']) {
      expect(validateHkMacaoPermitNumber(number)).toMatchObject({ ok: false, code: 'hk-macao-permit-format' });
    }
  });
});

describe('a Mainland Travel Permit for Taiwan Residents', () => {
  it('accepts 8 digits (card) or 10 digits (booklet)', () => {
    for (const number of ['12345678', '1234567801']) expect(validateTaiwanPermitNumber(number).ok).toBe(true);
  });

  it('refuses other lengths and letters', () => {
    for (const number of ['1234567', '123456789', 'T1234567']) {
      expect(validateTaiwanPermitNumber(number)).toMatchObject({ ok: false, code: 'taiwan-permit-format' });
    }
  });
});

describe('a residence permit for Hong Kong, Macao and Taiwan residents', () => {
  it('accepts 810000, 820000 and 830000 numbers and tells which residents they belong to', () => {
    expect(validateHmtResidencePermit(withMod112Check('81000019880512001'), { today })).toMatchObject({
      ok: true,
      value: { region: 'hong-kong', birthDate: '1988-05-12', sex: 'male' },
    });
    expect(validateHmtResidencePermit(withMod112Check('82000019880512002'), { today })).toMatchObject({
      ok: true,
      value: { region: 'macao' },
    });
    expect(validateHmtResidencePermit(withMod112Check('83000019880512002'), { today })).toMatchObject({
      ok: true,
      value: { region: 'taiwan', sex: 'female' },
    });
  });

  it("refuses Taiwan's GB/T 2260 code 710000 and any mainland code", () => {
    for (const start of ['710000', '810100', '110105']) {
      expect(validateHmtResidencePermit(withMod112Check(`${start}19880512001`), { today })).toMatchObject({
        ok: false,
        code: 'id-number-region',
      });
    }
  });

  it('checks the check character and the birth date like a resident identity number', () => {
    const number = withMod112Check('81000019880512001');
    const wrongCheck = number.slice(0, 17) + (number[17] === '0' ? '1' : '0');
    expect(validateHmtResidencePermit(wrongCheck, { today })).toMatchObject({ ok: false, code: 'id-number-checksum' });
    expect(validateHmtResidencePermit(withMod112Check('81000020300101001'), { today })).toMatchObject({
      ok: false,
      code: 'id-number-birth-date-in-future',
    });
  });

  it('changing any single digit of a valid permit number makes it fail the checksum', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 11, maxLength: 11 });
    fc.assert(
      fc.property(
        fc.constantFrom('810000', '820000', '830000'),
        digits,
        fc.nat(17),
        fc.constantFrom(...'0123456789'),
        (start, rest, position, digit) => {
          const number = withMod112Check(start + rest);
          fc.pre(digit !== number[position]);
          const changed = number.slice(0, position) + digit + number.slice(position + 1);
          expect(validateHmtResidencePermit(changed, { today })).toMatchObject({ ok: false, code: 'id-number-checksum' });
        },
      ),
    );
  });
});

describe('validateIdDocument, the one entry point', () => {
  it('validates a resident identity number and returns its birth date and sex', () => {
    expect(validateIdDocument('prc_resident_id', '11010519491231002x', { today })).toEqual({
      ok: true,
      value: { type: 'prc_resident_id', number: '11010519491231002X', birthDate: '1949-12-31', sex: 'female' },
    });
  });

  it('checks the stated birth date against numbers that carry one', () => {
    expect(validateIdDocument('prc_resident_id', '11010519491231002X', { today, statedBirthDate: '1950-01-01' })).toMatchObject({
      ok: false,
      code: 'id-number-birth-date-mismatch',
    });
    const permit = withMod112Check('83000019880512002');
    expect(validateIdDocument('hmt_residence_permit', permit, { today, statedBirthDate: '1988-05-12' })).toEqual({
      ok: true,
      value: { type: 'hmt_residence_permit', number: permit, birthDate: '1988-05-12', sex: 'female' },
    });
    expect(validateIdDocument('hmt_residence_permit', permit, { today, statedBirthDate: '12 May 1988' })).toMatchObject({
      ok: false,
      code: 'stated-birth-date-invalid',
    });
  });

  it('ignores the stated birth date for documents whose number carries none', () => {
    expect(validateIdDocument('taiwan_permit', '12345678', { today, statedBirthDate: '1988-05-12' })).toEqual({
      ok: true,
      value: { type: 'taiwan_permit', number: '12345678' },
    });
  });

  it('checks a passport by its issuer when known, and by the general rule otherwise', () => {
    expect(validateIdDocument('passport', 'K12345678', { today, passportIssuer: 'mainland' })).toMatchObject({
      ok: false,
      code: 'passport-format',
    });
    expect(validateIdDocument('passport', 'K12345678', { today })).toEqual({ ok: true, value: { type: 'passport', number: 'K12345678' } });
  });

  it('validates the two travel permits', () => {
    expect(validateIdDocument('hk_macao_permit', 'H12345678', { today })).toMatchObject({ ok: true, value: { type: 'hk_macao_permit' } });
    expect(validateIdDocument('taiwan_permit', 'H12345678', { today })).toMatchObject({ ok: false, code: 'taiwan-permit-format' });
  });

  it('refuses a document type it does not know', () => {
    expect(validateIdDocument('driving_licence', 'X', { today })).toMatchObject({ ok: false, code: 'id-document-type-unknown' });
  });
});
