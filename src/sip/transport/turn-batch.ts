/**
 * What one turn of the event loop hands on, delivered together once the turn is over (setImmediate),
 * in the order it was pushed (issue #17, capacity). A UDP socket's sends use it (the transport's own
 * sockets, and a cluster worker's share of the node's public socket): sending each datagram as soon
 * as it was written made every send a system call that woke the peer while this thread still had the
 * rest of its turn to do, so on a busy node there were as many wake-ups as datagrams. The responses
 * to what one poll of the socket read now leave back to back.
 *
 * An item waits at most for the end of the turn that pushed it; SIP's timers count in hundreds of
 * milliseconds (RFC 3261 §17, T1). What is pushed while a batch is being delivered goes in the next.
 */
export class TurnBatch<T> {
  #pending: T[] = [];
  #closed = false;

  constructor(private readonly deliver: (items: T[]) => void) {}

  push(item: T): void {
    if (this.#closed) return;
    if (this.#pending.push(item) === 1) setImmediate(() => this.flush());
  }

  /** Delivers what waits now (also done at the end of the turn). */
  flush(): void {
    const items = this.#pending;
    if (items.length === 0) return;
    this.#pending = [];
    this.deliver(items);
  }

  /**
   * Delivers what waits, then drops what is pushed later: what it delivers to is going away. For a
   * datagram that is a loss on the way, which the sender's retransmissions cover (§17.1.1.2).
   */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}
