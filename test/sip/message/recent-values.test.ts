import { describe, expect, it } from 'vitest';
import { RecentlyKept } from '../../../src/sip/message/recent-values.js';

describe('RecentlyKept, what was worked out from a text lately (flow token claims)', () => {
  it('keeps at most two generations: a value asked for again stays, one not seen for two generations is checked again', () => {
    const recent = new RecentlyKept<true>(3);
    for (const value of ['a', 'b', 'c']) recent.set(value, true);
    // 'a' is read again in the next generation and moves into it; 'b' and 'c' are not.
    recent.set('d', true);
    expect(recent.get('a') === true).toBe(true);
    for (const value of ['e', 'f', 'g']) recent.set(value, true);
    // Now the previous generation is d, a, e and the current f, g: b and c are gone.
    expect([recent.get('b') === true, recent.get('c') === true]).toEqual([false, false]);
    expect([recent.get('g') === true, recent.get('e') === true, recent.get('a') === true]).toEqual([true, true, true]);
  });

  it('a flood of distinct values holds no more than twice the capacity', () => {
    const recent = new RecentlyKept<true>(100);
    for (let index = 0; index < 10_000; index += 1) recent.set(`value-${index}`, true);
    let held = 0;
    for (let index = 0; index < 10_000; index += 1) if (recent.get(`value-${index}`) === true) held += 1;
    expect(held).toBeLessThanOrEqual(200);
    expect(recent.get('value-9999') === true).toBe(true);
  });
});
