/** What the primary and its workers say to each other over the cluster's IPC channel. */

/** A worker takes datagrams on the node's public UDP port from now on. */
export interface DatagramsReady {
  kind: 'videophone:datagrams-ready';
  /** The worker's own SIP port, which it names in Via and Record-Route. */
  privatePort: number;
  /** Its loopback port for datagrams the other workers forward to it (see sharedDatagramEndpoint). */
  forwardingPort: number;
}

/** Primary to every worker, whenever a worker comes or goes: the workers that take datagrams, by slot. */
export interface SlotTable {
  kind: 'videophone:slots';
  slots: ({ privatePort: number; forwardingPort: number } | null)[];
}

export type ClusterMessage = DatagramsReady | SlotTable;

export function isClusterMessage(message: unknown): message is ClusterMessage {
  if (typeof message !== 'object' || message === null) return false;
  const kind = (message as { kind?: unknown }).kind;
  return kind === 'videophone:datagrams-ready' || kind === 'videophone:slots';
}

/** Worker index handed down by the primary in the environment (absent: not a worker). */
export const WORKER_INDEX_VARIABLE = 'VIDEOPHONE_WORKER_INDEX';
/** The node's forwarding secret, handed down by the primary in the environment. */
export const FORWARD_SECRET_VARIABLE = 'VIDEOPHONE_FORWARD_SECRET';
