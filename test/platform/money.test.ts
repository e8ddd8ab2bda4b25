import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertFen,
  fenToPrecise,
  formatMoney,
  formatPreciseMoney,
  minorUnitDigits,
  parseMoney,
  parsePreciseMoney,
  preciseToFen,
  roundHalfUp,
  toDecimalText,
} from '../../src/platform/money.js';

describe('roundHalfUp, the one rounding rule', () => {
  it('rounds a half up to the next whole unit, and anything less than a half down', () => {
    expect(roundHalfUp(5n, 10n)).toBe(1n);
    expect(roundHalfUp(4n, 10n)).toBe(0n);
    expect(roundHalfUp(15n, 10n)).toBe(2n);
    expect(roundHalfUp(25n, 10n)).toBe(3n);
    expect(roundHalfUp(14_999n, 10_000n)).toBe(1n);
    expect(roundHalfUp(15_000n, 10_000n)).toBe(2n);
  });

  it('rounds negative halves away from zero, so a credit mirrors the charge it cancels', () => {
    expect(roundHalfUp(-5n, 10n)).toBe(-1n);
    expect(roundHalfUp(-4n, 10n)).toBe(0n);
    expect(roundHalfUp(-25n, 10n)).toBe(-3n);
    expect(roundHalfUp(25n, -10n)).toBe(-3n);
    expect(roundHalfUp(-25n, -10n)).toBe(3n);
  });

  it('leaves exact quotients alone and refuses division by zero', () => {
    expect(roundHalfUp(30_00n, 1n)).toBe(30_00n);
    expect(roundHalfUp(0n, 7n)).toBe(0n);
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('is symmetric around zero and never off by more than a half', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const q = roundHalfUp(n, d);
        expect(roundHalfUp(-n, d)).toBe(-q);
        const error = n * 2n - q * 2n * d; // 2 × (n/d − q) × d
        expect(error <= d && error >= -d).toBe(true);
      }),
    );
  });
});

describe('precise amounts (1/10000 fen)', () => {
  it('become whole fen through the same rounding rule', () => {
    expect(preciseToFen(15_0000)).toBe(15);
    expect(preciseToFen(16_5000)).toBe(17);
    expect(preciseToFen(16_4999)).toBe(16);
    expect(preciseToFen(-16_5000)).toBe(-17);
    expect(fenToPrecise(30_00)).toBe(3000_0000);
  });

  it('refuse fractions and unsafe numbers: those are bugs, not amounts', () => {
    expect(() => assertFen(0.1 + 0.2)).toThrow(RangeError);
    expect(() => assertFen(2 ** 53)).toThrow(RangeError);
    expect(() => preciseToFen(1.5)).toThrow(RangeError);
    expect(assertFen(-12_34)).toBe(-12_34);
  });
});

describe('formatMoney', () => {
  it('prints yuan with two decimals in Chinese and in English', () => {
    expect(minorUnitDigits('CNY')).toBe(2);
    expect(formatMoney(30_00, 'CNY', 'zh-CN')).toBe('¥30.00');
    expect(formatMoney(30_00, 'CNY', 'en')).toBe('¥30.00');
    expect(formatMoney(5, 'CNY', 'zh-CN')).toBe('¥0.05');
    expect(formatMoney(1_234_567_89, 'CNY', 'en')).toBe('¥1,234,567.89');
    expect(formatMoney(0, 'CNY', 'zh-CN')).toBe('¥0.00');
  });

  it('prints credits with a minus sign', () => {
    expect(formatMoney(-17, 'CNY', 'zh-CN')).toBe('-¥0.17');
    expect(formatMoney(-128_00, 'CNY', 'en')).toBe('-¥128.00');
  });

  it('prints amounts beyond float precision exactly', () => {
    expect(formatMoney(9_007_199_254_740_991, 'CNY', 'en')).toBe('¥90,071,992,547,409.91');
  });

  it('prints a precise rate with the decimals it needs, never fewer than the currency has', () => {
    expect(formatPreciseMoney(15_0000, 'CNY', 'zh-CN')).toBe('¥0.15');
    expect(formatPreciseMoney(12_5000, 'CNY', 'en')).toBe('¥0.125');
    expect(formatPreciseMoney(1, 'CNY', 'en')).toBe('¥0.000001');
    expect(formatPreciseMoney(3000_0000, 'CNY', 'zh-CN')).toBe('¥30.00');
  });

  it('follows the currency: yen have no minor unit', () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(formatMoney(500, 'JPY', 'en')).toBe('¥500');
  });
});

describe('parseMoney', () => {
  it('reads decimal strings into fen without floating point', () => {
    expect(parseMoney('30.00', 'CNY')).toBe(30_00);
    expect(parseMoney('30', 'CNY')).toBe(30_00);
    expect(parseMoney('30.5', 'CNY')).toBe(30_50);
    expect(parseMoney('0.07', 'CNY')).toBe(7);
    expect(parseMoney(' 1000.00 ', 'CNY')).toBe(1000_00);
    expect(parseMoney('-0.17', 'CNY')).toBe(-17);
    // 0.29 × 100 is 28.999999999999996 in floating point.
    expect(parseMoney('0.29', 'CNY')).toBe(29);
    expect(parseMoney('90071992547409.91', 'CNY')).toBe(9_007_199_254_740_991);
  });

  it('refuses what is not a plain amount, rather than rounding or guessing', () => {
    for (const text of ['', '.5', '30.', '30.001', '1,000.00', '¥30', '3e2', 'abc', '--1', '90071992547409.92']) {
      expect(parseMoney(text, 'CNY'), text).toBeNull();
    }
  });

  it('reads per-minute rates with up to four more decimals', () => {
    expect(parsePreciseMoney('0.15', 'CNY')).toBe(15_0000);
    expect(parsePreciseMoney('0.123456', 'CNY')).toBe(12_3456);
    expect(parsePreciseMoney('0.1234567', 'CNY')).toBeNull();
  });

  it('reads back what formatMoney prints, without the symbol and separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), (fen) => {
        const printed = formatMoney(fen, 'CNY', 'en').replace(/[¥,]/g, '');
        expect(parseMoney(printed, 'CNY')).toBe(fen);
      }),
    );
  });
});

describe('toDecimalText, the plain decimal that providers exchange', () => {
  it('writes the currency’s decimals, and parseMoney reads every amount back exactly', () => {
    expect(toDecimalText(123_45, 'CNY')).toBe('123.45');
    expect(toDecimalText(5, 'CNY')).toBe('0.05');
    expect(toDecimalText(-1_00, 'CNY')).toBe('-1.00');
    expect(toDecimalText(500, 'JPY')).toBe('500');
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (fen) => parseMoney(toDecimalText(fen, 'CNY'), 'CNY') === fen,
      ),
    );
  });
});
