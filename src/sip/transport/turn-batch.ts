import type { Writable } from 'node:stream';

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

/**
 * The same for connections (TCP, TLS): what one turn writes to a connection leaves at the end of the
 * turn, in one system call however many messages it holds (the stream is corked at its first write
 * of the turn and uncorked once the turn is over, RFC 3261 §18.3 framing is unaffected). A
 * connection that carries many dialogs (an SBC's, a gateway's, a trunk's) gets one write per turn
 * instead of one per message, and a peer is not woken while this thread still has the rest of its
 * turn to do.
 */
export class TurnCorks {
  #corked = new Set<Writable>();

  write(stream: Writable, data: Buffer | string): void {
    if (!this.#corked.has(stream)) {
      stream.cork();
      if (this.#corked.add(stream).size === 1) setImmediate(this.#uncorkAll);
    }
    stream.write(data);
  }

  /** Sends what the stream holds now (before it is destroyed, which would discard it). */
  release(stream: Writable): void {
    if (this.#corked.delete(stream)) stream.uncork();
  }

  readonly #uncorkAll = (): void => {
    const corked = this.#corked;
    this.#corked = new Set();
    for (const stream of corked) stream.uncork();
  };
}
