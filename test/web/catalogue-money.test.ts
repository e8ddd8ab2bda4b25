import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePreciseMoney } from '../../src/platform/money.js';
import { fenToYuanText, parseYuanToFen, parseYuanToPrecise, preciseToYuanText } from '../../web/src/lib/money.js';

/** The catalogue form takes yuan and sends integer fen (rates: 1/10000 fen), converting without floats. */
describe('yuan typed into the catalogue form', () => {
  it('a rent of "35.00" is 3500 fen and a rate of "0.12" is 120000 (1/10000 fen), exactly', () => {
    expect(parseYuanToFen('35.00', { allowZero: true })).toBe(35_00);
    expect(parseYuanToFen('0', { allowZero: true })).toBe(0);
    expect(parseYuanToPrecise('0.12')).toBe(12_0000);
    expect(parseYuanToPrecise('0.125')).toBe(12_5000);
    expect(parseYuanToPrecise('1')).toBe(100_0000);
  });

  it('refuses what is not an amount: a second point, a sign, more than six decimals of a rate', () => {
    expect(parseYuanToFen('35.5.0')).toBeNull();
    expect(parseYuanToPrecise('-0.12')).toBeNull();
    expect(parseYuanToPrecise('0.1234567')).toBeNull();
    expect(parseYuanToPrecise('')).toBeNull();
  });

  it('reads back what it shows, and agrees with the server on every rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (precise) => {
        const text = preciseToYuanText(precise);
        return parseYuanToPrecise(text) === precise && parsePreciseMoney(text, 'CNY') === precise;
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (fen) => parseYuanToFen(fenToYuanText(fen), { allowZero: true }) === fen),
    );
  });
});
