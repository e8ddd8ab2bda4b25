import { describe, expect, it } from 'vitest';
import { billableSeconds, chargeForSeconds, rateCall } from '../../src/catalog/index.js';

const basic = { perMinuteRatePrecise: 15_0000, billingIncrementSeconds: 6 }; // ¥0.15 a minute, per 6 s
const business = { perMinuteRatePrecise: 10_0000, billingIncrementSeconds: 60 }; // ¥0.10 a minute, per minute

describe('rating a call', () => {
  it('rounds the duration up to whole billing increments, per call', () => {
    expect(billableSeconds(0, 6)).toBe(0);
    expect(billableSeconds(1, 6)).toBe(6);
    expect(billableSeconds(6_000, 6)).toBe(6);
    expect(billableSeconds(6_001, 6)).toBe(12);
    expect(billableSeconds(61_000, 6)).toBe(66);
    expect(billableSeconds(61_000, 60)).toBe(120);
    expect(() => billableSeconds(-1, 6)).toThrow(RangeError);
    expect(() => billableSeconds(1000, 0)).toThrow(RangeError);
  });

  it('rounds the charge half up to the fen once for the whole call, never per increment', () => {
    // One 6-second increment at ¥0.15 a minute is 1.5 fen: charged 2 fen.
    expect(chargeForSeconds(basic, 6)).toBe(2);
    // Eleven increments are 16.5 fen: 17 fen, not 11 × 2 = 22.
    expect(rateCall(basic, 61_000)).toEqual({ billableSeconds: 66, chargeFen: 17 });
    // 6 s at ¥0.12 a minute is 1.2 fen: 1 fen.
    expect(chargeForSeconds({ perMinuteRatePrecise: 12_0000, billingIncrementSeconds: 6 }, 6)).toBe(1);
    expect(rateCall(business, 61_000)).toEqual({ billableSeconds: 120, chargeFen: 20 });
    expect(rateCall(business, 0)).toEqual({ billableSeconds: 0, chargeFen: 0 });
  });

  it('keeps rates finer than a fen exact until that one rounding', () => {
    // ¥0.1234 a minute for an hour is exactly ¥7.404: 740 fen.
    expect(chargeForSeconds({ perMinuteRatePrecise: 12_3400, billingIncrementSeconds: 1 }, 3600)).toBe(7_40);
  });
});
