import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Logger } from 'pino';
import { FORWARD_SECRET_BYTES } from './forwarding.js';
import { FORWARD_SECRET_VARIABLE, isClusterMessage, WORKER_INDEX_VARIABLE, type SlotTable } from './messages.js';

export interface ClusterPrimaryOptions {
  workers: number;
  /**
   * The node's public UDP port, which the workers share (see sharedDatagramEndpoint): checked free
   * before any worker starts, so a port in use stops the node at once. Null: no UDP (SIP is off).
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
  /** What the worker said when it began taking datagrams; null until then and once it is gone. */
  ports: { privatePort: number; forwardingPort: number } | null;
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
 * stays there). The public UDP socket is one handle every worker reads; which worker handles a
 * datagram the workers settle among themselves (sharedDatagramEndpoint), from the table of ready
 * workers this process sends them whenever one comes or goes.
 */
export async function startClusterPrimary(options: ClusterPrimaryOptions): Promise<ClusterPrimary> {
  const { logger } = options;
  const slots: Slot[] = Array.from({ length: options.workers }, (): Slot => ({
    worker: null,
    ports: null,
    quickDeaths: 0,
    startedAt: 0,
    restartTimer: null,
  }));
  let stopping = false;
  if (options.udp) await checkUdpPortFree(options.udp.host, options.udp.port);
  const forwardSecret = randomBytes(FORWARD_SECRET_BYTES).toString('hex');

  const announceSlots = () => {
    const table: SlotTable = { kind: 'videophone:slots', slots: slots.map((slot) => slot.ports) };
    for (const slot of slots) if (slot.ports && slot.worker?.isConnected()) slot.worker.send(table);
  };

  const fork = (index: number) => {
    const slot = slots[index]!;
    slot.restartTimer = null;
    slot.ports = null;
    slot.startedAt = Date.now();
    const worker = cluster.fork({ ...options.env, [WORKER_INDEX_VARIABLE]: String(index), [FORWARD_SECRET_VARIABLE]: forwardSecret });
    slot.worker = worker;
    worker.on('message', (message: unknown) => {
      if (!isClusterMessage(message) || message.kind !== 'videophone:datagrams-ready') return;
      slot.ports = { privatePort: message.privatePort, forwardingPort: message.forwardingPort };
      announceSlots();
    });
    worker.once('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.ports = null;
      if (stopping) return;
      // The others stop forwarding to it: what they would have sent is handled by the next slot.
      announceSlots();
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
    },
  };
}

/** Binds the port for a moment: EADDRINUSE (or EACCES) now, from the primary, rather than from every worker in turn. */
async function checkUdpPortFree(host: string, port: number): Promise<void> {
  const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: host, exclusive: true }, () => resolve());
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}
