/**
 * Local overload control: which new requests this process takes on while it cannot keep up
 * (issue #17).
 *
 * Why: a SIP server over UDP that falls behind does not just slow down, it collapses. Requests
 * wait in the socket's receive buffer; once one has waited longer than T1 (500 ms) its client has
 * retransmitted it (RFC 3261 §17.1.1.2, §17.1.2.2), so the work waiting grows faster than the
 * offered load, answers arrive late, and throughput falls far below capacity (RFC 6357 §2,
 * "congestion collapse"). Measured on the bench before this control: REGISTER offered at 5,000/s
 * against a capacity near 3,800/s completed between 1,676 and 4,276 a second over four runs, with
 * p99 of 0.9 to 4.1 s.
 *
 * The signal is the time a datagram waits in the receive queue, measured as CoDel measures sojourn
 * time: the transport sends itself a probe datagram every interval, and the probe waits behind
 * every request queued before it (TransportLayer.watchUdpQueueDelay). Not the event loop's
 * utilization: a loop can be fully busy and keeping up, and on a machine shared with other work
 * it reads as saturated while requests wait no longer than before.
 *
 * The control: while the wait stays above its target (well below T1), the fraction of new
 * requests admitted shrinks multiplicatively; once it is below half the target, the fraction grows
 * back additively. A refused request costs a parse and a stateless 503 with Retry-After (§21.5.4),
 * a small part of what serving it costs, so the queue drains and the requests that are admitted
 * are answered before their clients give up on them.
 *
 * Which requests: only those that start new work (see `isNewWork` in the transaction layer).
 * Requests within dialogs, ACK, CANCEL, retransmissions and requests that carry credentials (the
 * second half of an exchange already admitted) are always served: refusing them would waste the
 * work already done for them.
 */
export interface OverloadSettings {
  /** How often the queue is probed, ms. */
  intervalMs: number;
  /** Queueing delay above which admission shrinks, ms. */
  targetDelayMs: number;
  /** Intervals the delay must stay above target before a decrease. */
  sustainedIntervals: number;
  /** Factor applied to the admitted fraction at each decrease. */
  decrease: number;
  /** Added to the admitted fraction per interval whose delay is below half the target. */
  increase: number;
  /** The admitted fraction never goes below this, so new work keeps being measured. */
  minimumAdmitted: number;
  /** Retry-After of a refusal: uniformly in [min, max] seconds, so refused clients do not return together. */
  retryAfterSeconds: { min: number; max: number };
}

export const defaultOverloadSettings: OverloadSettings = {
  intervalMs: 100,
  // Above a garbage collection or a burst, and below T1 (500 ms) by more than the measurement's own
  // lag (a probe reports a wait once it has waited it): admission shrinks before the clients of
  // waiting requests retransmit. 200 ms refused work on the bench in a run where the server, left
  // alone, kept up with every request with waits near 250 ms.
  targetDelayMs: 300,
  sustainedIntervals: 2,
  decrease: 0.8,
  increase: 0.05,
  minimumAdmitted: 0.1,
  retryAfterSeconds: { min: 5, max: 15 },
};

export interface OverloadObserver {
  /** Admission fell below 1 (an episode starts) or came back to 1 (it ends). */
  onEpisode?(event: { overloaded: boolean; refused: number }): void;
}

export class OverloadControl {
  #admitted = 1;
  /** Deterministic thinning: admits exactly the admitted fraction, spread evenly, with no randomness. */
  #credit = 0;
  #intervalsAbove = 0;
  /** Intervals to wait after a decrease before the next (see observe). */
  #intervalsToHold = 0;
  #refusedThisEpisode = 0;
  #refusedTotal = 0;

  constructor(
    readonly settings: OverloadSettings = defaultOverloadSettings,
    private readonly observer: OverloadObserver = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** The fraction of new requests admitted now, 0 to 1. */
  get admittedFraction(): number {
    return this.#admitted;
  }

  /** New requests refused since this control was made. */
  get refused(): number {
    return this.#refusedTotal;
  }

  /**
   * One interval's longest queueing delay in ms, or null when no probe came back in it (with
   * several workers, a probe is read by whichever worker reads the shared socket): the control's
   * only input.
   */
  observe(delayMs: number | null): void {
    if (delayMs === null) return;
    const s = this.settings;
    const before = this.#admitted;
    if (this.#intervalsToHold > 0) this.#intervalsToHold -= 1;
    if (delayMs > s.targetDelayMs) {
      this.#intervalsAbove += 1;
      if (this.#intervalsAbove >= s.sustainedIntervals && this.#intervalsToHold === 0) {
        this.#admitted = Math.max(s.minimumAdmitted, this.#admitted * s.decrease);
        this.#intervalsAbove = 0;
        // A decrease shows only in probes queued after it, and a probe reports its wait once it
        // has waited it: until then the waits reported are the old queue's, and deciding on them
        // again would shrink admission further than the load needs.
        this.#intervalsToHold = Math.max(s.sustainedIntervals, Math.ceil(delayMs / s.intervalMs));
      }
    } else {
      this.#intervalsAbove = 0;
      if (delayMs < s.targetDelayMs / 2) this.#admitted = Math.min(1, this.#admitted + s.increase);
    }
    if (before === 1 && this.#admitted < 1) this.observer.onEpisode?.({ overloaded: true, refused: 0 });
    if (before < 1 && this.#admitted === 1) {
      this.observer.onEpisode?.({ overloaded: false, refused: this.#refusedThisEpisode });
      this.#refusedThisEpisode = 0;
      this.#credit = 0;
    }
  }

  /** Whether to take on one more new request; false: refuse it (503). */
  admit(): boolean {
    if (this.#admitted >= 1) return true;
    this.#credit += this.#admitted;
    if (this.#credit >= 1) {
      this.#credit -= 1;
      return true;
    }
    this.#refusedThisEpisode += 1;
    this.#refusedTotal += 1;
    return false;
  }

  /** Seconds a refused client is asked to wait (Retry-After). */
  retryAfterSeconds(): number {
    const { min, max } = this.settings.retryAfterSeconds;
    return min + Math.floor(this.random() * (max - min + 1));
  }
}
