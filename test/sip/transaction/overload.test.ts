import { describe, expect, it } from 'vitest';
import { defaultOverloadSettings, OverloadControl } from '../../../src/sip/index.js';

/** Feeds one queueing delay (ms) per interval. */
function feed(control: OverloadControl, delayMs: number | null, intervals: number): void {
  for (let i = 0; i < intervals; i += 1) control.observe(delayMs);
}

const { targetDelayMs: target, sustainedIntervals: sustained } = defaultOverloadSettings;

function admittedOf(control: OverloadControl, requests: number): number {
  let admitted = 0;
  for (let i = 0; i < requests; i += 1) if (control.admit()) admitted += 1;
  return admitted;
}

describe('local overload control', () => {
  it('admits everything through waits above target shorter than its sustained intervals (a garbage collection, a burst)', () => {
    const control = new OverloadControl();
    for (let round = 0; round < 20; round += 1) {
      feed(control, target * 3, sustained - 1);
      feed(control, target * 0.9, 1);
    }
    feed(control, null, 50);
    expect(control.admittedFraction).toBe(1);
    expect(admittedOf(control, 1000)).toBe(1000);
  });

  it('shrinks admission while the wait stays above target, down to its floor, and admits exactly that fraction', () => {
    const control = new OverloadControl();
    feed(control, target + 1, sustained);
    expect(control.admittedFraction).toBeCloseTo(0.8, 10);
    expect(admittedOf(control, 1000)).toBe(800);
    // Intervals without a returned probe change nothing.
    feed(control, null, 10);
    expect(control.admittedFraction).toBeCloseTo(0.8, 10);
    // The first decrease followed a wait of target + 1 ms: the next waits only after as many
    // intervals have passed, since the waits reported until then are the old queue's.
    const hold = Math.ceil((target + 1) / defaultOverloadSettings.intervalMs);
    feed(control, target * 5, hold - 1);
    expect(control.admittedFraction).toBeCloseTo(0.8, 10);
    feed(control, target * 5, 1);
    expect(control.admittedFraction).toBeCloseTo(0.64, 10);
    feed(control, target * 5, 300);
    expect(control.admittedFraction).toBe(defaultOverloadSettings.minimumAdmitted);
    expect(admittedOf(control, 1000)).toBe(100);
    expect(control.refused).toBe(200 + 900);
  });

  it('holds admission while the wait is between half the target and the target, and grows it back below that', () => {
    const control = new OverloadControl();
    feed(control, target * 2, sustained * 2);
    const held = control.admittedFraction;
    feed(control, target * 0.75, 10);
    expect(control.admittedFraction).toBe(held);
    feed(control, target * 0.25, 1);
    expect(control.admittedFraction).toBeCloseTo(held + defaultOverloadSettings.increase, 10);
    feed(control, 0, 20);
    expect(control.admittedFraction).toBe(1);
  });

  it('tells its observer once when an episode starts and once when it ends, with what it refused', () => {
    const episodes: { overloaded: boolean; refused: number }[] = [];
    const control = new OverloadControl(defaultOverloadSettings, { onEpisode: (event) => episodes.push(event) });
    feed(control, target * 2, 10);
    admittedOf(control, 100);
    feed(control, 1, 40);
    expect(episodes).toEqual([
      { overloaded: true, refused: 0 },
      { overloaded: false, refused: control.refused },
    ]);
    expect(control.refused).toBeGreaterThan(0);
  });

  it('asks refused clients to come back at spread-out times within its bounds', () => {
    const { min, max } = defaultOverloadSettings.retryAfterSeconds;
    expect(new OverloadControl(defaultOverloadSettings, {}, () => 0).retryAfterSeconds()).toBe(min);
    expect(new OverloadControl(defaultOverloadSettings, {}, () => 0.999_999).retryAfterSeconds()).toBe(max);
    const seen = new Set(Array.from({ length: 500 }, () => new OverloadControl().retryAfterSeconds()));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(min);
    expect(Math.max(...seen)).toBeLessThanOrEqual(max);
    expect(seen.size).toBeGreaterThan(5);
  });
});
