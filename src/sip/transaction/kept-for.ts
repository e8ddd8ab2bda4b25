import { detachedCopy } from '../message/index.js';

/**
 * Entries kept for one fixed time and then forgotten, in the order they were kept: the Map's own
 * insertion order is the expiry queue, and one timer serves them all. It fires at most once per
 * `period / 64`, taking all that expired since: `period` is how long an entry is at least kept.
 * For the states of RFC 3261 §17 that only wait out a timer every transaction sets alike (J, K), and
 * the proxy's finished forks (64*T1): an entry costs its key and value, not an object with its own
 * timer.
 */
export class KeptFor<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly periodMs: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** `key` is copied: a slice of a message would keep the whole message as long as the entry. */
  keep(key: string, value: V): void {
    // Kept again, it goes to the back of the queue: the queue stays in the order entries expire.
    this.#entries.delete(key);
    this.#entries.set(detachedCopy(key), { value, expiresAt: performance.now() + this.periodMs });
    if (this.#timer === null) this.#arm(this.periodMs);
  }

  get(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(delayMs, this.periodMs / 64));
    this.#timer.unref();
  }

  #expire(): void {
    this.#timer = null;
    const now = performance.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) return this.#arm(entry.expiresAt - now);
      this.#entries.delete(key);
    }
  }
}
