import { describe, expect, it } from 'vitest';
import { validatePhoneNumber } from '../../../src/subscribers/validation/index.js';

describe('a contact phone number', () => {
  it('reads a mainland mobile number written the usual ways and stores it in E.164', () => {
    for (const written of ['13800138000', '138 0013 8000', '+86 138 0013 8000', '0086 13800138000', '１３８-００１３-８０００']) {
      expect(validatePhoneNumber(written)).toEqual({ ok: true, value: { e164: '+8613800138000', region: 'CN', kind: 'mobile' } });
    }
  });

  it('reads a mainland fixed-line number with its area code', () => {
    expect(validatePhoneNumber('(010) 6552 9988')).toEqual({
      ok: true,
      value: { e164: '+861065529988', region: 'CN', kind: 'fixed-line' },
    });
    expect(validatePhoneNumber('021-6888 8888')).toMatchObject({ ok: true, value: { e164: '+862168888888' } });
  });

  it('accepts numbers of Hong Kong, Macao and Taiwan given with their country code', () => {
    expect(validatePhoneNumber('+852 9123 4567')).toMatchObject({ ok: true, value: { region: 'HK', kind: 'mobile' } });
    expect(validatePhoneNumber('+853 6612 3456')).toMatchObject({ ok: true, value: { region: 'MO' } });
    expect(validatePhoneNumber('+886 912 345 678')).toMatchObject({ ok: true, value: { region: 'TW' } });
  });

  it('reads national numbers in another default region', () => {
    expect(validatePhoneNumber('9123 4567', { defaultRegion: 'HK' })).toMatchObject({ ok: true, value: { e164: '+85291234567' } });
  });

  it('accepts a North American number, whose plan does not tell mobile from fixed line, as either', () => {
    expect(validatePhoneNumber('+1 202 456 1111')).toMatchObject({ ok: true, value: { region: 'US', kind: 'fixed-line-or-mobile' } });
  });

  it('refuses numbers that are not valid in their region: an unallocated mobile range, a short code, a digit missing', () => {
    for (const written of ['12800138000', '95588', '110', '+861380013800']) {
      expect(validatePhoneNumber(written)).toMatchObject({ ok: false, code: 'phone-invalid' });
    }
  });

  it('refuses text that is not a phone number, or only contains one', () => {
    for (const written of ['abc', '', '   ', 'call 13800138000', undefined, 13800138000]) {
      expect(validatePhoneNumber(written)).toMatchObject({ ok: false, code: 'phone-malformed' });
    }
  });

  it('refuses shared-cost 400 numbers and international freephone numbers, which do not reach a person', () => {
    expect(validatePhoneNumber('400 812 3123')).toMatchObject({ ok: false, code: 'phone-type-not-accepted' });
    expect(validatePhoneNumber('+800 1234 5678')).toMatchObject({ ok: false, code: 'phone-type-not-accepted' });
  });

  it('refuses a fixed-line number when only mobiles are asked for', () => {
    expect(validatePhoneNumber('010 6552 9988', { accept: ['mobile'] })).toMatchObject({ ok: false, code: 'phone-type-not-accepted' });
    expect(validatePhoneNumber('13800138000', { accept: ['mobile'] })).toMatchObject({ ok: true });
  });

  it('refuses an extension, which E.164 cannot hold', () => {
    expect(validatePhoneNumber('010 6552 9988 ext. 12')).toMatchObject({ ok: false, code: 'phone-extension-not-supported' });
  });
});
