import cluster from 'node:cluster';
import { isClusterMessage, WORKER_INDEX_VARIABLE, type DatagramsReady, type RelayedDatagram, type RelayedDatagrams } from './messages.js';
import { TurnBatch } from '../../sip/index.js';

/** The shape of the SIP transport's DatagramEndpoint (platform code does not import the SIP layers). */
export interface RelayedEndpoint {
  readonly localAddress: string;
  readonly localPort: number;
  readonly ipv6: boolean;
  send(data: Buffer, port: number, address: string): void;
  close(): Promise<void>;
}

/** This process's slot among the node's workers; null when it is not a cluster worker. */
export function clusterWorkerIndex(): number | null {
  if (!cluster.isWorker) return null;
  const index = Number(process.env[WORKER_INDEX_VARIABLE]);
  return Number.isInteger(index) && index >= 0 ? index : null;
}

/**
 * The node's public UDP port as seen from a worker: datagrams the primary dispatched to it arrive
 * over IPC, and what it sends from that port goes back to the primary to leave from the socket.
 */
export function relayedDatagramEndpoint(
  localAddress: string,
  publicPort: number,
): {
  endpoint: RelayedEndpoint;
  /**
   * Starts taking datagrams (and tells the primary so, with the worker's own port, so that requests
   * routed to it come to it): call once the transport is ready.
   */
  start(receive: (data: Buffer, address: string, port: number) => void, privatePort: number): void;
} {
  let listener: ((message: unknown) => void) | null = null;
  const outbox = new TurnBatch<RelayedDatagram>((datagrams) => {
    const message: RelayedDatagrams = { kind: 'videophone:datagrams', datagrams };
    if (process.connected) process.send?.(message);
  });
  const endpoint: RelayedEndpoint = {
    localAddress,
    localPort: publicPort,
    ipv6: localAddress.includes(':'),
    send(data, port, address) {
      outbox.push({ data, address, port });
    },
    async close() {
      if (listener) process.off('message', listener);
      listener = null;
    },
  };
  return {
    endpoint,
    start(receive, privatePort) {
      listener = (message: unknown) => {
        if (!isClusterMessage(message) || message.kind !== 'videophone:datagrams') return;
        for (const datagram of message.datagrams) receive(datagram.data, datagram.address, datagram.port);
      };
      process.on('message', listener);
      const ready: DatagramsReady = { kind: 'videophone:datagrams-ready', privatePort };
      process.send?.(ready);
    },
  };
}
