import cluster, { type Worker } from 'node:cluster';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { Logger } from 'pino';
import { isClusterMessage, WORKER_INDEX_VARIABLE, type RelayedDatagram, type RelayedDatagrams } from './messages.js';
import { TurnBatch } from '../../sip/index.js';
import { dispatchHeaders, routePort, slotOfDatagram } from './datagram-slot.js';

export interface ClusterPrimaryOptions {
  workers: number;
  /**
   * The node's public UDP port. The primary owns it: with a socket shared by the workers the kernel
   * would hand each datagram to any of them, and a retransmitted INVITE or its CANCEL could reach a
   * worker that does not hold the transaction. Null: no UDP (SIP is off).
   */
  udp: { host: string; port: number } | null;
  /** Added to every worker's environment (a secret all workers must share, say). */
  env: Record<string, string>;
  logger: Logger;
  /** How long a worker may take to stop cleanly (flushing its registrations) before it is killed. */
  stopTimeoutMs?: number;
}

export interface ClusterPrimary {
  /** The worker processes' ids, by slot (null while a slot's worker is down). */
  readonly workerPids: readonly (number | null)[];
  stop(): Promise<void>;
}

interface Slot {
  worker: Worker | null;
  /** Datagrams on their way to this slot's worker, sent together at the end of the turn. */
  outbox: TurnBatch<RelayedDatagram>;
  /** It has said it takes datagrams. */
  ready: boolean;
  /** The port the worker names in its Via and Record-Route entries (known once it is ready). */
  privatePort: number | null;
  /** Restarts that came soon after a start, for the back-off of a worker that keeps dying. */
  quickDeaths: number;
  startedAt: number;
  restartTimer: NodeJS.Timeout | null;
}

const QUICK_DEATH_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Issue #17 "every core": forks one worker per slot and keeps it running. TCP, TLS and HTTP are
 * shared the cluster module's way (the primary accepts, each connection goes to one worker and
 * stays there). UDP is this process's own socket: each datagram goes to the worker chosen by a
 * stable hash of its Call-ID (see slotOfDatagram), and what a worker sends back on the public port leaves from it too
 * (RFC 3581 §4: a response leaves from where its request arrived).
 */
export async function startClusterPrimary(options: ClusterPrimaryOptions): Promise<ClusterPrimary> {
  const { logger } = options;
  const slots: Slot[] = Array.from({ length: options.workers }, (): Slot => {
    const slot: Slot = {
      worker: null,
      outbox: new TurnBatch<RelayedDatagram>((datagrams) => {
        // A worker that went away meanwhile loses them, as a datagram lost on the way (§17.1.1.2: resent).
        if (!usable(slot)) return;
        const message: RelayedDatagrams = { kind: 'videophone:datagrams', datagrams };
        slot.worker!.send(message);
      }),
      ready: false,
      privatePort: null,
      quickDeaths: 0,
      startedAt: 0,
      restartTimer: null,
    };
    return slot;
  });
  let stopping = false;
  cluster.setupPrimary({ serialization: 'advanced' });

  const socket = options.udp ? await bindPublicUdp(options.udp.host, options.udp.port, logger) : null;

  const usable = (slot: Slot | undefined) => slot !== undefined && slot.ready && slot.worker?.isConnected() === true;

  /**
   * The worker for a datagram: the one whose own port a request's first Route names (it record-routed
   * the dialog, perhaps while the Call-ID's slot was down), else the Call-ID's slot's, or while that
   * one is down the next ready one.
   */
  const slotFor = (data: Buffer, address: string, port: number): Slot | null => {
    const headers = dispatchHeaders(data);
    const routedTo = routePort(data, headers.route);
    if (routedTo !== null) {
      const owner = slots.find((slot) => slot.privatePort === routedTo);
      if (usable(owner)) return owner!;
    }
    const first = slotOfDatagram(data, address, port, slots.length, headers.callId);
    for (let step = 0; step < slots.length; step += 1) {
      const slot = slots[(first + step) % slots.length]!;
      if (usable(slot)) return slot;
    }
    return null;
  };

  socket?.on('message', (data, source) => {
    // No worker up: dropped like a datagram lost on the way; the sender retransmits (§17.1.1.2).
    slotFor(data, source.address, source.port)?.outbox.push({ data, address: source.address, port: source.port });
  });

  const fork = (index: number) => {
    const slot = slots[index]!;
    slot.restartTimer = null;
    slot.ready = false;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ ...options.env, [WORKER_INDEX_VARIABLE]: String(index) });
    slot.worker = worker;
    worker.on('message', (message: unknown) => {
      if (!isClusterMessage(message)) return;
      if (message.kind === 'videophone:datagrams-ready') {
        slot.ready = true;
        slot.privatePort = message.privatePort;
      } else {
        for (const datagram of message.datagrams) {
          socket?.send(datagram.data, datagram.port, datagram.address, (error) => error && logger.warn({ err: error }, 'UDP send failed'));
        }
      }
    });
    worker.once('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.ready = false;
      slot.privatePort = null;
      if (stopping) return;
      slot.quickDeaths = Date.now() - slot.startedAt < QUICK_DEATH_MS ? slot.quickDeaths + 1 : 0;
      const delayMs = Math.min(MAX_RESTART_DELAY_MS, slot.quickDeaths === 0 ? 0 : 500 * 2 ** (slot.quickDeaths - 1));
      logger.error({ worker: index, pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'SIP worker died; restarting it');
      slot.restartTimer = setTimeout(() => fork(index), delayMs);
    });
    logger.info({ worker: index, pid: worker.process.pid }, 'SIP worker started');
  };
  for (let index = 0; index < slots.length; index += 1) fork(index);

  return {
    get workerPids() {
      return slots.map((slot) => slot.worker?.process.pid ?? null);
    },
    async stop() {
      stopping = true;
      for (const slot of slots) if (slot.restartTimer) clearTimeout(slot.restartTimer);
      // Each worker stops as a single process does on SIGTERM: it finishes writing its registrations.
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          if (!worker || worker.isDead()) return;
          const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
          worker.process.kill('SIGTERM');
          const timer = setTimeout(() => worker.process.kill('SIGKILL'), options.stopTimeoutMs ?? 30_000);
          await exit;
          clearTimeout(timer);
        }),
      );
      await new Promise<void>((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
    },
  };
}

async function bindPublicUdp(host: string, port: number, logger: Logger): Promise<UdpSocket> {
  // As large a receive buffer as a single process has: bursts wait here while workers are busy.
  const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false, recvBufferSize: 8 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (error) => logger.warn({ err: error }, 'public UDP socket error'));
  return socket;
}
