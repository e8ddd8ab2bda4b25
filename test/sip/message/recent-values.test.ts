import { describe, expect, it } from 'vitest';
import { RecentlyValid } from '../../../src/sip/message/recent-values.js';

describe('RecentlyValid, the parser memory of header values that passed', () => {
  it('keeps at most two generations: a value asked for again stays, one not seen for two generations is checked again', () => {
    const recent = new RecentlyValid(3);
    for (const value of ['a', 'b', 'c']) recent.add(value);
    // 'a' is read again in the next generation and moves into it; 'b' and 'c' are not.
    recent.add('d');
    expect(recent.has('a')).toBe(true);
    for (const value of ['e', 'f', 'g']) recent.add(value);
    // Now the previous generation is d, a, e and the current f, g: b and c are gone.
    expect([recent.has('b'), recent.has('c')]).toEqual([false, false]);
    expect([recent.has('g'), recent.has('e'), recent.has('a')]).toEqual([true, true, true]);
  });

  it('a flood of distinct values holds no more than twice the capacity', () => {
    const recent = new RecentlyValid(100);
    for (let index = 0; index < 10_000; index += 1) recent.add(`value-${index}`);
    let held = 0;
    for (let index = 0; index < 10_000; index += 1) if (recent.has(`value-${index}`)) held += 1;
    expect(held).toBeLessThanOrEqual(200);
    expect(recent.has('value-9999')).toBe(true);
  });
});
