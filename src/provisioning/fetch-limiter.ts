/**
 * Fixed one-minute windows per key: a unit fetches its configuration at start and once a day, so a
 * few per minute is plenty, and a source address that asks for many MACs is guessing. Memory is
 * bounded by clearing the map when it grows past `maxKeys` (a burst of guesses then starts afresh,
 * still capped per window).
 */
export class FetchLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one attempt; false when the key is over its limit in the current minute. */
  take(key: string, nowMs: number): boolean {
    const start = Math.floor(nowMs / 60_000) * 60_000;
    const window = this.#windows.get(key);
    if (!window || window.start !== start) {
      if (this.#windows.size >= this.maxKeys) this.#windows.clear();
      this.#windows.set(key, { start, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.perMinute;
  }

  /** Seconds until the current window ends (Retry-After). */
  retryAfterSeconds(nowMs: number): number {
    return Math.max(1, Math.ceil((Math.floor(nowMs / 60_000) * 60_000 + 60_000 - nowMs) / 1000));
  }
}
