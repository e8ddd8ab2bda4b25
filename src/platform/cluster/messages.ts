/**
 * What the primary and its workers say to each other over the cluster's IPC channel ('advanced'
 * serialization, so a datagram travels as a Buffer, not as JSON).
 */
export interface RelayedDatagram {
  data: Buffer;
  /** Primary to worker: the source; worker to primary: the destination. */
  address: string;
  port: number;
}

/**
 * The datagrams one side had for the other in one turn of its event loop, in order: one IPC
 * message (one serialisation, one write on the channel) for a burst instead of one per datagram.
 */
export interface RelayedDatagrams {
  kind: 'videophone:datagrams';
  datagrams: RelayedDatagram[];
}

/** A worker can take datagrams: it has attached the relayed endpoint to its transport. */
export interface DatagramsReady {
  kind: 'videophone:datagrams-ready';
  /** The worker's own port, which it names in Via and Record-Route. */
  privatePort: number;
}

export type ClusterMessage = RelayedDatagrams | DatagramsReady;

export function isClusterMessage(message: unknown): message is ClusterMessage {
  if (typeof message !== 'object' || message === null) return false;
  const kind = (message as { kind?: unknown }).kind;
  return kind === 'videophone:datagrams' || kind === 'videophone:datagrams-ready';
}

/**
 * Gathers the datagrams handed to it during one turn of the event loop and passes them on together
 * once the turn's I/O is done (setImmediate): under load the primary reads up to 32 datagrams per
 * socket event and a worker answers several requests per turn, and each IPC message costs a
 * serialisation and a write system call. A lone datagram waits only for the end of its turn.
 */
export class DatagramRelayBatch {
  #pending: RelayedDatagram[] = [];
  #scheduled = false;

  constructor(private readonly flush: (datagrams: RelayedDatagram[]) => void) {}

  push(datagram: RelayedDatagram): void {
    this.#pending.push(datagram);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const datagrams = this.#pending;
      this.#pending = [];
      if (datagrams.length > 0) this.flush(datagrams);
    });
  }
}

/** Worker index handed down by the primary in the environment (absent: not a worker). */
export const WORKER_INDEX_VARIABLE = 'VIDEOPHONE_WORKER_INDEX';
