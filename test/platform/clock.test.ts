import { describe, expect, it } from 'vitest';
import { systemClock, TestClock } from '../../src/platform/clock.js';

describe('the clock', () => {
  it('a test clock stands still until advanced, then moves by exactly the step', () => {
    const clock = new TestClock('2024-02-28T16:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2024-02-28T16:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2024-02-28T16:00:00.000Z');
    clock.advance({ days: 1, hours: 8 });
    expect(clock.now().toISOString()).toBe('2024-03-01T00:00:00.000Z'); // 2024 is a leap year
    clock.advance({ minutes: 1, seconds: 2, milliseconds: 3 });
    expect(clock.now().toISOString()).toBe('2024-03-01T00:01:02.003Z');
  });

  it('a test clock jumps forward to an instant but never goes backwards', () => {
    const clock = new TestClock('2026-01-01T00:00:00Z');
    clock.set('2026-03-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => clock.set('2026-02-01T00:00:00Z')).toThrow(/backwards/);
    expect(() => clock.advance({ days: -1 })).toThrow(/backwards/);
    expect(() => new TestClock('not a date')).toThrow(RangeError);
  });

  it('hands out copies, so a caller cannot move time by mutating a Date', () => {
    const clock = new TestClock('2026-01-01T00:00:00Z');
    clock.now().setFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2026);
  });

  it('the system clock follows real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now - before).toBeLessThan(5_000);
  });
});
