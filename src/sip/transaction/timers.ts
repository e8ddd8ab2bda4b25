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

/**
 * Named timers of one transaction; each letter is armed at most once at a time. The Map exists only
 * while a timer is armed: a transaction waiting out Accepted or Completed in the layer's queues
 * keeps none.
 */
export class TransactionTimers<Name extends string> {
  #timers: Map<Name, NodeJS.Timeout> | null = null;

  start(name: Name, delayMs: number, fire: () => void): void {
    this.stop(name);
    const timer = setTimeout(() => {
      this.stop(name);
      fire();
    }, delayMs);
    timer.unref();
    (this.#timers ??= new Map()).set(name, timer);
  }

  stop(name: Name): void {
    const timer = this.#timers?.get(name);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers!.delete(name);
    if (this.#timers!.size === 0) this.#timers = null;
  }

  stopAll(): void {
    for (const timer of this.#timers?.values() ?? []) clearTimeout(timer);
    this.#timers = null;
  }
}

/** The magic cookie that marks an RFC 3261 branch (§8.1.1.7). */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';
