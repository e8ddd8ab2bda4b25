/** Sends one datagram (a UDP socket's `send`, without a callback: failures are the socket's 'error' event). */
export type SendDatagram = (data: Buffer, port: number, address: string) => void;

/**
 * The UDP datagrams sent during one turn of the event loop, sent together at the end of the turn
 * (issue #17, capacity). Sending each as soon as it is written made every send a system call that
 * woke the peer while this thread still had the rest of the turn to do: on a busy node, as many
 * wake-ups and context switches as datagrams. The responses to what one poll of the socket read now
 * leave back to back, in the order they were written. A datagram waits at most for the turn in
 * which it was written to end; SIP's timers count in hundreds of milliseconds (RFC 3261 §17, T1).
 *
 * After `close`, what is written is dropped, as a datagram lost on the way would be (§17.1.1.2:
 * the sender's retransmissions cover it); what was written before is sent first.
 */
export class DatagramOutbox {
  #queue: { data: Buffer; port: number; address: string }[] = [];
  #closed = false;

  constructor(private readonly send: SendDatagram) {}

  push(data: Buffer, port: number, address: string): void {
    if (this.#closed) return;
    if (this.#queue.push({ data, port, address }) === 1) setImmediate(() => this.flush());
  }

  /** Sends what waits now (also called at the end of the turn). */
  flush(): void {
    const queue = this.#queue;
    if (queue.length === 0) return;
    this.#queue = [];
    for (const { data, port, address } of queue) this.send(data, port, address);
  }

  /** Sends what waits, then refuses more: the socket is about to close. */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}
