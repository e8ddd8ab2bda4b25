import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROVINCE_CODES, validatePrcResidentId, validatePrcResidentIdBirthDate } from '../../../src/subscribers/validation/index.js';
import { mod112Check, withMod112Check } from './check-characters.js';

// 1 June 2026, 08:00 in Beijing.
const today = new Date('2026-06-01T00:00:00Z');

describe('a PRC resident identity number (GB 11643-1999)', () => {
  it("accepts the standard's example 11010519491231002X and reads a woman born on 31 December 1949 in Beijing", () => {
    expect(validatePrcResidentId('11010519491231002X', { today })).toEqual({
      ok: true,
      value: { number: '11010519491231002X', divisionCode: '110105', provinceCode: '11', birthDate: '1949-12-31', sex: 'female' },
    });
  });

  it('reads an odd sequence code as a man', () => {
    const number = withMod112Check('44030519900307123');
    expect(validatePrcResidentId(number, { today })).toMatchObject({ ok: true, value: { birthDate: '1990-03-07', sex: 'male' } });
  });

  it("accepts a lower-case x and stores it as 'X'", () => {
    expect(validatePrcResidentId('11010519491231002x', { today })).toMatchObject({ ok: true, value: { number: '11010519491231002X' } });
  });

  it('reads full-width digits from a Chinese input method and ignores spaces between the groups', () => {
    expect(validatePrcResidentId(' １１０１０５ １９４９１２３１ ００２ｘ ', { today })).toMatchObject({
      ok: true,
      value: { number: '11010519491231002X' },
    });
  });

  it('refuses a number whose check character does not match', () => {
    expect(validatePrcResidentId('110105194912310021', { today })).toMatchObject({ ok: false, code: 'id-number-checksum' });
  });

  it('refuses a number of the wrong length, and explains that 15-digit first-generation numbers are no longer valid', () => {
    expect(validatePrcResidentId('1101051949123100', { today })).toMatchObject({ ok: false, code: 'id-number-length' });
    const old = validatePrcResidentId('110105491231002', { today });
    expect(old).toMatchObject({ ok: false, code: 'id-number-length' });
    expect(!old.ok && old.message).toMatch(/first-generation/);
  });

  it('refuses letters anywhere but an X in the last place', () => {
    expect(validatePrcResidentId('1101051949123100X2', { today })).toMatchObject({ ok: false, code: 'id-number-format' });
    expect(validatePrcResidentId('11010519491231002Y', { today })).toMatchObject({ ok: false, code: 'id-number-format' });
  });

  it('answers input that is not text with a failure instead of throwing', () => {
    expect(validatePrcResidentId(undefined, { today })).toMatchObject({ ok: false, code: 'id-number-length' });
    expect(validatePrcResidentId(11010519491231, { today })).toMatchObject({ ok: false, code: 'id-number-length' });
  });

  it('never repeats the number in its message', () => {
    const result = validatePrcResidentId('110105194912310021', { today });
    expect(!result.ok && result.message).not.toContain('110105194912310021');
  });

  describe('the address code', () => {
    it('accepts every mainland province-level code', () => {
      for (const province of Object.keys(PROVINCE_CODES)) {
        expect(validatePrcResidentId(withMod112Check(`${province}010219800101001`), { today }).ok).toBe(true);
      }
    });

    it('refuses codes that are not province-level divisions, including the folklore 91 "abroad"', () => {
      for (const prefix of ['00', '10', '16', '20', '24', '38', '47', '55', '60', '66', '91', '99']) {
        expect(validatePrcResidentId(withMod112Check(`${prefix}010219800101001`), { today })).toMatchObject({
          ok: false,
          code: 'id-number-region',
        });
      }
    });

    it('refuses Taiwan, Hong Kong and Macao codes, which GB/T 2260 gives no counties', () => {
      for (const prefix of ['71', '81', '82']) {
        expect(validatePrcResidentId(withMod112Check(`${prefix}010219800101001`), { today })).toMatchObject({
          ok: false,
          code: 'id-number-region',
        });
      }
    });

    it('points a residence permit number entered as a resident identity number to the right document type', () => {
      const result = validatePrcResidentId(withMod112Check('83000019800101001'), { today });
      expect(result).toMatchObject({ ok: false, code: 'id-number-region' });
      expect(!result.ok && result.message).toMatch(/residence permit/);
    });
  });

  describe('the birth date', () => {
    const withBirthDate = (yyyymmdd: string) => withMod112Check(`110105${yyyymmdd}002`);

    it('accepts 29 February in a leap year and refuses it in 1900, which is not one', () => {
      expect(validatePrcResidentId(withBirthDate('20000229'), { today }).ok).toBe(true);
      expect(validatePrcResidentId(withBirthDate('19000229'), { today })).toMatchObject({
        ok: false,
        code: 'id-number-birth-date-invalid',
      });
    });

    it('refuses months and days that do not exist', () => {
      for (const date of ['19901301', '19900001', '19900100', '19900431', '19910229']) {
        expect(validatePrcResidentId(withBirthDate(date), { today })).toMatchObject({ ok: false, code: 'id-number-birth-date-invalid' });
      }
    });

    it('refuses a birth before 1900 and accepts 1 January 1900', () => {
      expect(validatePrcResidentId(withBirthDate('18991231'), { today })).toMatchObject({
        ok: false,
        code: 'id-number-birth-date-too-early',
      });
      expect(validatePrcResidentId(withBirthDate('19000101'), { today }).ok).toBe(true);
    });

    it('takes "today" in China: just after midnight in Beijing a baby born that day is accepted, one born tomorrow is not', () => {
      const justAfterMidnightInBeijing = new Date('2026-05-31T16:30:00Z');
      expect(validatePrcResidentId(withBirthDate('20260601'), { today: justAfterMidnightInBeijing }).ok).toBe(true);
      expect(validatePrcResidentId(withBirthDate('20260602'), { today: justAfterMidnightInBeijing })).toMatchObject({
        ok: false,
        code: 'id-number-birth-date-in-future',
      });
      expect(validatePrcResidentId(withBirthDate('20260601'), { today: new Date('2026-05-31T15:30:00Z') })).toMatchObject({
        ok: false,
        code: 'id-number-birth-date-in-future',
      });
    });
  });

  describe('against the birth date the applicant stated', () => {
    it('accepts the same date', () => {
      expect(validatePrcResidentIdBirthDate('11010519491231002X', '1949-12-31', { today })).toMatchObject({
        ok: true,
        value: { birthDate: '1949-12-31' },
      });
    });

    it('refuses a different date', () => {
      expect(validatePrcResidentIdBirthDate('11010519491231002X', '1949-12-30', { today })).toMatchObject({
        ok: false,
        code: 'id-number-birth-date-mismatch',
      });
    });

    it('refuses a stated date that is not written YYYY-MM-DD or does not exist', () => {
      for (const stated of ['31/12/1949', '19491231', '1949-02-30', '', undefined]) {
        expect(validatePrcResidentIdBirthDate('11010519491231002X', stated, { today })).toMatchObject({
          ok: false,
          code: 'stated-birth-date-invalid',
        });
      }
    });

    it('reports a bad identity number before comparing dates', () => {
      expect(validatePrcResidentIdBirthDate('110105194912310021', '1949-12-31', { today })).toMatchObject({
        ok: false,
        code: 'id-number-checksum',
      });
    });
  });

  describe('as a property', () => {
    const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });

    it('any 17 digits with their computed check character pass the checksum', () => {
      fc.assert(
        fc.property(digits(17), (body) => {
          const result = validatePrcResidentId(withMod112Check(body), { today });
          expect(result.ok || result.code).not.toBe('id-number-checksum');
        }),
      );
    });

    it('any well-formed number with its computed check character validates, with its birth date and sex', () => {
      const province = fc.constantFrom(...Object.keys(PROVINCE_CODES));
      const birth = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-05-31T00:00:00Z'), noInvalidDate: true });
      fc.assert(
        fc.property(province, digits(4), birth, digits(3), (provinceCode, county, date, sequence) => {
          const birthDate = date.toISOString().slice(0, 10);
          const number = withMod112Check(`${provinceCode}${county}${birthDate.replaceAll('-', '')}${sequence}`);
          expect(validatePrcResidentId(number, { today })).toEqual({
            ok: true,
            value: {
              number,
              divisionCode: number.slice(0, 6),
              provinceCode,
              birthDate,
              sex: Number(sequence[2]) % 2 === 1 ? 'male' : 'female',
            },
          });
        }),
      );
    });

    it('changing any single character of a valid number makes it fail the checksum', () => {
      fc.assert(
        fc.property(digits(17), fc.nat(17), fc.constantFrom(...'0123456789X'), (body, position, replacement) => {
          const number = withMod112Check(body);
          // Only the last place may hold an X; elsewhere an X would be a format error, not a typo the checksum catches.
          fc.pre(replacement !== number[position] && (position === 17 || replacement !== 'X'));
          const changed = number.slice(0, position) + replacement + number.slice(position + 1);
          expect(validatePrcResidentId(changed, { today })).toMatchObject({ ok: false, code: 'id-number-checksum' });
        }),
      );
    });
  });

  it("the tests' own check character agrees with the standard's weight table on its example", () => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...'11010519491231002'].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
    expect('10X98765432'[sum % 11]).toBe(mod112Check('11010519491231002'));
  });
});
