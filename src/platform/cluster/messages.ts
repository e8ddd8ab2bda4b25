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

/** Worker index handed down by the primary in the environment (absent: not a worker). */
export const WORKER_INDEX_VARIABLE = 'VIDEOPHONE_WORKER_INDEX';
