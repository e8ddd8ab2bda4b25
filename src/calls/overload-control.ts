import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How busy this process was since the probe was last read: 0 (always waiting) to 1 (never). */
export type BusyProbe = () => number;

/** The event loop's utilisation (Node's `performance.eventLoopUtilization`) since the last reading. */
export function eventLoopBusyProbe(): BusyProbe {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const current = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(current, last);
    last = current;
    return since.utilization;
  };
}

/** One look at the load: how long it covers (ms), and the limit in force after it. */
const WINDOW_MS = 500;
/** A window counts as overloaded only with the loop busy at least this much of it… */
const BUSY_AT_LEAST = 0.9;
/**
 * …and at least this many senders who waited a whole retransmission interval for an answer, and at
 * least this share of the window's new requests: near capacity a few requests of hundreds wait a
 * retransmission and are still served; a node that is falling behind leaves far more waiting.
 */
const LATE_AT_LEAST = 3;
const LATE_SHARE_AT_LEAST = 0.05;
/** Never below this share: some calls still get through, and the control keeps seeing the load. */
const MIN_ADMITTED = 1 / 16;
/** Taken back per quiet window once the backlog is gone (from the floor to all in about 4 s). */
const RECOVERY_PER_WINDOW = 1 / 8;

export interface OverloadControlOptions {
  now: () => number;
  busy: BusyProbe;
}

/**
 * Local overload control for the SIP edge (RFC 5390 §5, RFC 3261 §21.5.4): a node that falls behind
 * over UDP otherwise collapses, because every request it answers late comes back as a retransmission
 * and each new call costs it authentication, database work and a fork before it can be answered.
 * Turning part of the new work away with an immediate 503 costs a parse and one datagram.
 *
 * The signal is two facts together, both per window of WINDOW_MS:
 *   - retransmitted INVITEs and REGISTERs that found their transaction still unanswered
 *     (`lateRetransmission`), at least LATE_AT_LEAST of them and LATE_SHARE_AT_LEAST of the
 *     window's new requests: each sender waited at least T1 (500 ms) and heard nothing, not even
 *     the 100 Trying an INVITE gets once it is forwarded (or 100 ms after it came), so the request
 *     sat in a queue or the loop was late;
 *   - the event loop busy at least BUSY_AT_LEAST of the window: the lateness is this process's own,
 *     not a slow database or network (a client sending each datagram twice produces "late"
 *     retransmissions too, and must not shut a healthy node's door).
 * In an overloaded window the admitted share of new requests halves; in a quiet one it grows back
 * by RECOVERY_PER_WINDOW (TCP's additive increase and multiplicative decrease). Admission spreads
 * the share evenly (every 4th request at 1/4), not by chance, so a test sees what a caller sees.
 * Requests within a dialog, CANCEL and ACK are never turned away: they finish work already admitted.
 */
export class OverloadControl {
  #admitted = 1;
  #credit = 0;
  #late = 0;
  #requests = 0;
  #windowStart: number;
  #shed = 0;

  constructor(private readonly options: OverloadControlOptions) {
    this.#windowStart = options.now();
    options.busy();
  }

  /** The share of new requests taken now (1: all). */
  get admittedShare(): number {
    this.#roll();
    return this.#admitted;
  }

  /** New requests turned away so far. */
  get shed(): number {
    return this.#shed;
  }

  /** A retransmitted INVITE or REGISTER found its server transaction with nothing sent yet. */
  lateRetransmission(): void {
    this.#roll();
    this.#late += 1;
  }

  /** Whether to take one new request outside a dialog; false: answer it 503 at once. */
  admit(): boolean {
    this.#roll();
    this.#requests += 1;
    if (this.#admitted >= 1) return true;
    this.#credit += this.#admitted;
    if (this.#credit >= 1) {
      this.#credit -= 1;
      return true;
    }
    this.#shed += 1;
    return false;
  }

  #roll(): void {
    const now = this.options.now();
    const windows = Math.floor((now - this.#windowStart) / WINDOW_MS);
    if (windows < 1) return;
    const busy = this.options.busy();
    // The lateness was counted over the window just ended; windows without any message in them
    // (nothing called roll) were quiet.
    const overloaded = this.#late >= Math.max(LATE_AT_LEAST, LATE_SHARE_AT_LEAST * this.#requests) && busy >= BUSY_AT_LEAST;
    if (overloaded) this.#admitted = Math.max(MIN_ADMITTED, this.#admitted / 2);
    else this.#admitted = Math.min(1, this.#admitted + windows * RECOVERY_PER_WINDOW);
    if (this.#admitted >= 1) this.#credit = 0;
    this.#late = 0;
    this.#requests = 0;
    this.#windowStart += windows * WINDOW_MS;
  }
}
