/**
 * A token bucket per source address (Kamailio pike): each address may send `ratePerSecond` messages
 * a second on average and `burst` at once. Memory is bounded: at `maxSources` addresses the idle
 * ones (buckets refilled, so they carry no information) are swept, and if that is not enough the
 * oldest are forgotten — an attacker with many addresses cannot grow the table, at worst it resets
 * some buckets to full.
 */
export interface SourceRateLimitOptions {
  ratePerSecond: number;
  burst: number;
  maxSources?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class SourceRateLimit {
  readonly #buckets = new Map<string, Bucket>();
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxSources: number;
  readonly #now: () => number;

  constructor(options: SourceRateLimitOptions) {
    this.#rate = options.ratePerSecond / 1000;
    this.#burst = options.burst;
    this.#maxSources = options.maxSources ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  get trackedSources(): number {
    return this.#buckets.size;
  }

  /** Takes one token for `address`; false when its bucket is empty (the message is to be dropped). */
  take(address: string): boolean {
    const now = this.#now();
    let bucket = this.#buckets.get(address);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxSources) this.#makeRoom(now);
      bucket = { tokens: this.#burst, at: now };
      this.#buckets.set(address, bucket);
    } else {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#rate);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #makeRoom(now: number): void {
    const refillMs = this.#burst / this.#rate;
    for (const [address, bucket] of this.#buckets) if (now - bucket.at >= refillMs) this.#buckets.delete(address);
    // Still full of busy sources: forget the oldest tenth (Map order is insertion order).
    if (this.#buckets.size >= this.#maxSources) {
      let excess = Math.max(1, Math.floor(this.#maxSources / 10));
      for (const address of this.#buckets.keys()) {
        this.#buckets.delete(address);
        if (--excess === 0) break;
      }
    }
  }
}
