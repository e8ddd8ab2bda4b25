/**
 * Time is injected: every rule that depends on "now" asks a Clock, so tests can run a timeline
 * (advance the clock, assert bills, fees and stages) and production uses the system time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

export interface Duration {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

export function durationToMilliseconds(duration: Duration): number {
  return (
    (duration.days ?? 0) * 86_400_000 +
    (duration.hours ?? 0) * 3_600_000 +
    (duration.minutes ?? 0) * 60_000 +
    (duration.seconds ?? 0) * 1_000 +
    (duration.milliseconds ?? 0)
  );
}

/** A clock that moves only when told to. It never goes backwards: time-driven rules assume so. */
export class TestClock implements Clock {
  #now: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.#now = new Date(start).getTime();
    if (Number.isNaN(this.#now)) throw new RangeError(`TestClock: invalid start ${String(start)}`);
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(duration: Duration): Date {
    const step = durationToMilliseconds(duration);
    if (step < 0) throw new RangeError('TestClock cannot go backwards');
    this.#now += step;
    return this.now();
  }

  /** Jump to an instant; it must not be earlier than the current one. */
  set(instant: Date | string): Date {
    const next = new Date(instant).getTime();
    if (Number.isNaN(next)) throw new RangeError(`TestClock: invalid instant ${String(instant)}`);
    if (next < this.#now) throw new RangeError('TestClock cannot go backwards');
    this.#now = next;
    return this.now();
  }
}
