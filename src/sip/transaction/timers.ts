/**
 * RFC 3261 §17.1.1.1 and the timer table of Appendix A. T1 is the RTT estimate, T2 the longest
 * retransmit interval for non-INVITE requests and INVITE responses, T4 how long a message may stay
 * in the network. Tests shorten them; production uses the defaults.
 */
export interface TimerValues {
  T1: number;
  T2: number;
  T4: number;
}

export const defaultTimerValues: TimerValues = { T1: 500, T2: 4000, T4: 5000 };

/** Named timers of one transaction; each letter is armed at most once at a time. */
export class TransactionTimers<Name extends string> {
  readonly #timers = new Map<Name, NodeJS.Timeout>();

  start(name: Name, delayMs: number, fire: () => void): void {
    this.stop(name);
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      fire();
    }, delayMs);
    timer.unref();
    this.#timers.set(name, timer);
  }

  stop(name: Name): void {
    const timer = this.#timers.get(name);
    if (timer) clearTimeout(timer);
    this.#timers.delete(name);
  }

  stopAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

/** The magic cookie that marks an RFC 3261 branch (§8.1.1.7). */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';
