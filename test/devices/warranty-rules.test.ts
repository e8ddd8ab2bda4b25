import { describe, expect, it } from 'vitest';
import { assessCoverage, decideFiling, replacementWarrantyEnd, warrantyEndFor, warrantyStanding } from '../../src/devices/index.js';
import { normaliseMac } from '../../src/devices/index.js';

describe('the warranty rules of clause 4', () => {
  describe('one year from delivery', () => {
    it('a terminal delivered on Jan 10 is covered through Jan 10 of the next year', () => {
      expect(warrantyEndFor('2027-01-10', 12)).toBe('2028-01-10');
    });
    it('a delivery on Feb 29 ends on Feb 28 of a year without one; the length is the setting', () => {
      expect(warrantyEndFor('2028-02-29', 12)).toBe('2029-02-28');
      expect(warrantyEndFor('2027-01-10', 24)).toBe('2029-01-10');
    });
  });

  describe('filing a written claim', () => {
    const unit = { warrantyEndsOn: '2028-01-10', tamperedOn: null };
    it('on the last day of the warranty it is taken and covered', () => {
      expect(decideFiling(unit, 'fault', '2028-01-10')).toEqual({
        accept: true,
        coverage: 'covered',
        endsOn: '2028-01-10',
        why: 'in-warranty',
      });
    });
    it('on the day after it is refused with the day it ended', () => {
      expect(decideFiling(unit, 'fault', '2028-01-11')).toEqual({ accept: false, endedOn: '2028-01-10', why: 'expired' });
    });
    it('before the terminal was delivered there is nothing to claim', () => {
      expect(decideFiling({ warrantyEndsOn: null, tamperedOn: null }, 'fault', '2027-01-09')).toMatchObject({
        accept: false,
        why: 'not-delivered',
      });
    });
    it('after a tamper record the warranty ended that day: the claim is taken, not covered', () => {
      const tampered = { warrantyEndsOn: '2028-01-10', tamperedOn: '2027-06-01' };
      expect(warrantyStanding(tampered, '2027-05-31')).toEqual({ state: 'running', endsOn: '2027-06-01' });
      expect(warrantyStanding(tampered, '2027-06-01')).toEqual({ state: 'ended', endedOn: '2027-06-01', why: 'tampered' });
      expect(decideFiling(tampered, 'fault', '2027-07-01')).toEqual({
        accept: true,
        coverage: 'not-covered',
        endsOn: '2027-06-01',
        why: 'tampered',
      });
    });
    it('shipping damage reported at delivery is covered', () => {
      expect(decideFiling(unit, 'shipping-damage', '2027-01-10')).toMatchObject({
        accept: true,
        coverage: 'covered',
        why: 'shipping-damage',
      });
    });
  });

  describe('the technician’s assessment', () => {
    it('any exclusion of clause 4(1) takes a fault out of the warranty', () => {
      for (const reason of [
        'accident',
        'misuse',
        'power',
        'ignored-instructions',
        'unauthorised-repair',
        'non-operator-equipment',
      ] as const)
        expect(assessCoverage({ cause: 'fault', coveredWhenFiled: true, exclusions: [reason], tamperFound: false })).toEqual({
          covered: false,
          why: 'excluded',
          exclusions: [reason],
        });
    });
    it('tamper found counts as an opened case', () => {
      expect(assessCoverage({ cause: 'fault', coveredWhenFiled: true, exclusions: [], tamperFound: true })).toEqual({
        covered: false,
        why: 'excluded',
        exclusions: ['opened-case'],
      });
    });
    it('no exclusion: covered when filed in warranty, out of warranty otherwise', () => {
      expect(assessCoverage({ cause: 'fault', coveredWhenFiled: true, exclusions: [], tamperFound: false })).toEqual({ covered: true });
      expect(assessCoverage({ cause: 'fault', coveredWhenFiled: false, exclusions: [], tamperFound: false })).toMatchObject({
        covered: false,
        why: 'out-of-warranty',
      });
    });
    it('shipping damage is covered whatever happened to the parcel', () => {
      expect(assessCoverage({ cause: 'shipping-damage', coveredWhenFiled: true, exclusions: ['accident'], tamperFound: false })).toEqual({
        covered: true,
      });
    });
    it('a replacement keeps the original end (no extension)', () => {
      expect(replacementWarrantyEnd({ warrantyEndsOn: '2028-01-10', tamperedOn: null })).toBe('2028-01-10');
    });
  });
});

describe('MAC addresses', () => {
  it('are stored as twelve lower-case hex digits, from any usual spelling', () => {
    for (const spelling of ['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5e', '001a.2b3c.4d5e', '001A2B3C4D5E'])
      expect(normaliseMac(spelling)).toBe('001a2b3c4d5e');
  });
  it('refuse mixed separators, the wrong length, all-zero, broadcast and multicast addresses', () => {
    for (const bad of [
      '00:1a-2b:3c:4d:5e',
      '00:1a:2b:3c:4d',
      '00:00:00:00:00:00',
      'ff:ff:ff:ff:ff:ff',
      '01:00:5e:00:00:01',
      'zz:1a:2b:3c:4d:5e',
    ])
      expect(normaliseMac(bad)).toBeNull();
  });
});
