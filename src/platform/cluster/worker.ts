import cluster from 'node:cluster';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { FORWARD_SECRET_VARIABLE, isClusterMessage, WORKER_INDEX_VARIABLE, type DatagramsReady, type SlotTable } from './messages.js';
import { TurnBatch } from '../../sip/index.js';
import { dispatchHeaders, routePort, slotOfDatagram } from './datagram-slot.js';
import { decodeForwarded, encodeForwarded, FORWARD_SECRET_BYTES } from './forwarding.js';

/** The shape of the SIP transport's DatagramEndpoint (platform code does not import the SIP layers). */
export interface SharedEndpoint {
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

/** The node's forwarding secret, which the primary hands every worker; null outside a cluster worker. */
export function clusterForwardSecret(): string | null {
  return cluster.isWorker ? (process.env[FORWARD_SECRET_VARIABLE] ?? null) : null;
}

export interface SharedDatagramOptions {
  /** The address and port the node's public UDP socket is bound to (SIP_HOST, SIP_PORT). */
  host: string;
  port: number;
  /** The address named in flows for this socket (the advertised one when the host is a wildcard). */
  localAddress: string;
  /** This worker's slot, and how many there are. */
  slot: number;
  slots: number;
  /** The node's forwarding secret (hex, FORWARD_SECRET_BYTES): proof that a forwarded datagram comes from a worker. */
  forwardSecret: string;
  /** A socket error (a failed send is reported this way, not per datagram). */
  onError(error: Error, context: string): void;
}

/**
 * The node's public UDP port as seen from a worker (issue #17, SIP_WORKERS). Every worker reads
 * the same socket (the cluster module shares one handle, `exclusive: false`), and the kernel hands
 * each datagram to whichever worker reads first. The worker that must handle it is chosen by the
 * rule of `slotOfDatagram` (its Call-ID's slot, or the slot whose port its first Route names): a
 * datagram that belongs to another worker is forwarded there over loopback, with its source, and
 * is handled as if it had arrived there. Whatever a worker sends from the public port, it sends on
 * the shared socket itself: a response leaves from where its request arrived (RFC 3581 §4) without
 * passing through another process.
 *
 * Before this, the primary owned the socket and relayed every datagram both ways over IPC: its one
 * thread carried all of a node's UDP, and a challenged REGISTER (two requests, two responses)
 * crossed it four times. Now only a datagram read by a worker it does not belong to crosses, once;
 * what the workers send never does (bench:relay measures both).
 */
export function sharedDatagramEndpoint(options: SharedDatagramOptions): {
  endpoint: SharedEndpoint;
  /**
   * Binds the shared socket and this worker's forwarding socket, takes datagrams from now on and
   * tells the primary so (with the worker's own SIP port, which requests routed to it name). Call
   * once the transport is ready.
   */
  start(receive: (data: Buffer, address: string, port: number) => void, privatePort: number): Promise<void>;
} {
  const secret = Buffer.from(options.forwardSecret, 'hex');
  if (secret.length !== FORWARD_SECRET_BYTES) throw new Error(`the forwarding secret must be ${FORWARD_SECRET_BYTES} bytes of hex`);
  const ipv6 = options.host.includes(':');
  let shared: UdpSocket | null = null;
  let forwarding: UdpSocket | null = null;
  let listener: ((message: unknown) => void) | null = null;
  /** The other workers as the primary last described them (null: down); empty until it has. */
  let table: SlotTable['slots'] = [];

  const outbox = new TurnBatch<{ data: Buffer; port: number; address: string }>((datagrams) => {
    if (!shared) return;
    for (const { data, port, address } of datagrams) shared.send(data, port, address);
  });

  /** The slot that handles this datagram: the rule of datagram-slot.ts, over the slots that are up. */
  const ownerOf = (data: Buffer, address: string, port: number): number => {
    const headers = dispatchHeaders(data);
    const routedTo = routePort(data, headers.route);
    if (routedTo !== null) {
      const owner = table.findIndex((entry) => entry?.privatePort === routedTo);
      if (owner >= 0) return owner;
    }
    const first = slotOfDatagram(data, address, port, options.slots, headers.callId);
    for (let step = 0; step < options.slots; step += 1) {
      const slot = (first + step) % options.slots;
      if (slot === options.slot || table[slot]) return slot;
    }
    return options.slot;
  };

  const endpoint: SharedEndpoint = {
    localAddress: options.localAddress,
    localPort: options.port,
    ipv6,
    send(data, port, address) {
      outbox.push({ data, port, address });
    },
    async close() {
      if (listener) process.off('message', listener);
      listener = null;
      outbox.close();
      await Promise.all([shared, forwarding].map((socket) => (socket ? closeSocket(socket) : undefined)));
      shared = null;
      forwarding = null;
    },
  };

  return {
    endpoint,
    async start(receive, privatePort) {
      listener = (message: unknown) => {
        if (isClusterMessage(message) && message.kind === 'videophone:slots') table = message.slots;
      };
      process.on('message', listener);
      // A socket of this worker's own, on loopback, for datagrams other workers forward to it.
      forwarding = await bindUdp({ type: 'udp4', address: '127.0.0.1', port: 0, exclusive: true });
      forwarding.on('error', (error) => options.onError(error, 'UDP forwarding socket'));
      forwarding.on('message', (frame, source) => {
        // Only workers know the secret; anything else on this port is dropped unread.
        if (source.address !== '127.0.0.1') return;
        const forwarded = decodeForwarded(frame, secret);
        if (forwarded) receive(forwarded.data, forwarded.address, forwarded.port);
      });
      const forwardingPort = forwarding.address().port;
      const socket = await bindUdp({ type: ipv6 ? 'udp6' : 'udp4', address: options.host, port: options.port, exclusive: false });
      socket.on('error', (error) => options.onError(error, 'public UDP socket'));
      // As large a receive buffer as a single process has: bursts wait here while the workers are
      // busy (the kernel caps it at net.core.rmem_max). One socket: every worker setting it is harmless.
      socket.setRecvBufferSize(8 * 1024 * 1024);
      socket.on('message', (data, source) => {
        const owner = ownerOf(data, source.address, source.port);
        const to = owner === options.slot ? null : table[owner];
        const frame = to && forwarding ? encodeForwarded(secret, data, source.address, source.port) : null;
        if (frame) forwarding!.send(frame, to!.forwardingPort, '127.0.0.1');
        else receive(data, source.address, source.port);
      });
      shared = socket;
      const ready: DatagramsReady = { kind: 'videophone:datagrams-ready', privatePort, forwardingPort };
      process.send?.(ready);
    },
  };
}

async function bindUdp(options: { type: 'udp4' | 'udp6'; address: string; port: number; exclusive: boolean }): Promise<UdpSocket> {
  const socket = createSocket({ type: options.type, reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.address, port: options.port, exclusive: options.exclusive }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

function closeSocket(socket: UdpSocket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}
