/**
 * Bans after repeated failed digest authentications (Kamailio htable bans, fail2ban in-process).
 * A source address is banned after `sourceFailures` failures within the window; a digest username
 * after `usernameFailures` failures from any source — but a username ban refuses only strangers:
 * addresses that recently authenticated as that username keep working, so nobody can lock a
 * subscriber out by guessing at their name.
 *
 * This implementation is one node's, in memory; `SharedSipBanList` (redis-sip-bans.ts) shares its
 * bans between nodes through Redis. The per-packet checks are synchronous and read the local view,
 * everything else is asynchronous.
 */
export type SipBanKind = 'source' | 'username';

export interface SipBan {
  kind: SipBanKind;
  value: string;
  since: Date;
  until: Date;
  failures: number;
  /** The failure that tipped it over (e.g. wrong-response). */
  reason: string;
}

export interface SipFailure {
  address: string;
  /** The digest username claimed, if any. */
  username: string | null;
  reason: string;
}

export interface SipBanList {
  /** Per packet, before parsing: must be cheap and synchronous. */
  isBanned(kind: SipBanKind, value: string): boolean;
  /** The address authenticated as the username lately: a username ban does not apply to it. */
  isTrusted(username: string, address: string): boolean;
  /** Counts one failure; returns the bans it caused (none usually). */
  recordFailure(failure: SipFailure): Promise<SipBan[]>;
  recordSuccess(username: string, address: string): Promise<void>;
  list(): Promise<SipBan[]>;
  /** Lifts a ban (and forgets its failures); false if there was none. */
  lift(kind: SipBanKind, value: string): Promise<boolean>;
}

export interface SipBanPolicy {
  windowMs: number;
  sourceFailures: number;
  usernameFailures: number;
  banMs: number;
  /** How long a successful authentication keeps an address trusted for its username. */
  trustMs: number;
  /** Addresses never banned by source (trunks, load generators). */
  exemptSources?: string[];
  /** Bound on each table (failure counters, bans, trusted addresses). */
  maxEntries?: number;
}

export class InMemorySipBanList implements SipBanList {
  /** Times of recent failures per `kind:value`, oldest first, at most the threshold long. */
  readonly #failures = new Map<string, number[]>();
  readonly #bans = new Map<string, SipBan>();
  /** username → address → last success. */
  readonly #trusted = new Map<string, Map<string, number>>();
  readonly #exempt: Set<string>;
  readonly #max: number;

  constructor(
    private readonly policy: SipBanPolicy,
    private readonly now: () => number,
  ) {
    this.#exempt = new Set(policy.exemptSources ?? []);
    this.#max = policy.maxEntries ?? 100_000;
  }

  isBanned(kind: SipBanKind, value: string): boolean {
    const ban = this.#bans.get(`${kind}:${value}`);
    if (!ban) return false;
    if (ban.until.getTime() > this.now()) return true;
    this.#bans.delete(`${kind}:${value}`);
    return false;
  }

  isTrusted(username: string, address: string): boolean {
    const at = this.#trusted.get(username)?.get(address);
    return at !== undefined && this.now() - at < this.policy.trustMs;
  }

  async recordFailure(failure: SipFailure): Promise<SipBan[]> {
    const bans: SipBan[] = [];
    if (!this.#exempt.has(failure.address)) {
      const ban = this.#count('source', failure.address, this.policy.sourceFailures, failure.reason);
      if (ban) bans.push(ban);
    }
    if (failure.username !== null) {
      const ban = this.#count('username', failure.username, this.policy.usernameFailures, failure.reason);
      if (ban) bans.push(ban);
    }
    return bans;
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    let addresses = this.#trusted.get(username);
    if (!addresses) {
      bound(this.#trusted, this.#max);
      addresses = new Map();
      this.#trusted.set(username, addresses);
    }
    addresses.delete(address); // re-inserted last: the map keeps the most recent few
    addresses.set(address, this.now());
    bound(addresses, 16);
  }

  async list(): Promise<SipBan[]> {
    const now = this.now();
    for (const [key, ban] of this.#bans) if (ban.until.getTime() <= now) this.#bans.delete(key);
    return [...this.#bans.values()].sort((a, b) => b.since.getTime() - a.since.getTime());
  }

  /** A ban another node decided: applied here too, unless one here already lasts longer. */
  adopt(ban: SipBan): void {
    if (ban.until.getTime() <= this.now()) return;
    const key = `${ban.kind}:${ban.value}`;
    const existing = this.#bans.get(key);
    if (existing && existing.until.getTime() >= ban.until.getTime()) return;
    this.#failures.delete(key);
    bound(this.#bans, this.#max);
    this.#bans.set(key, ban);
  }

  async lift(kind: SipBanKind, value: string): Promise<boolean> {
    const key = `${kind}:${value}`;
    this.#failures.delete(key);
    const active = this.isBanned(kind, value);
    this.#bans.delete(key);
    return active;
  }

  /** Sliding window: the ban falls when the threshold-th most recent failure is within the window. */
  #count(kind: SipBanKind, value: string, threshold: number, reason: string): SipBan | null {
    if (this.isBanned(kind, value)) return null;
    const key = `${kind}:${value}`;
    const now = this.now();
    let times = this.#failures.get(key);
    if (!times) {
      bound(this.#failures, this.#max);
      times = [];
      this.#failures.set(key, times);
    }
    times.push(now);
    while (times.length > 0 && now - times[0]! >= this.policy.windowMs) times.shift();
    if (times.length > threshold) times.shift();
    if (times.length < threshold) return null;
    this.#failures.delete(key);
    bound(this.#bans, this.#max);
    const ban: SipBan = { kind, value, since: new Date(now), until: new Date(now + this.policy.banMs), failures: threshold, reason };
    this.#bans.set(key, ban);
    return ban;
  }
}

/** Keeps a map under `max` entries by forgetting the oldest inserted. */
function bound<K, V>(map: Map<K, V>, max: number): void {
  while (map.size >= max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
