/**
 * Issue #17, SIP_WORKERS: what a node's UDP dispatch costs, done the two ways it has been, in one run.
 *
 * - "relay": the primary owns the public socket and relays every datagram to the worker chosen by
 *   its Call-ID over IPC, and every reply back (a turn's datagrams per IPC message): how the cluster
 *   worked until 2026-12-06, kept here as the reference.
 * - "shared": the service's own sharedDatagramEndpoint (src/platform/cluster/worker.ts): every
 *   worker reads the one public socket, a datagram that belongs to another worker is forwarded to
 *   it over loopback, and replies leave from the shared socket directly.
 *
 * The workers echo each datagram to its source, as a response goes back to its request's; the
 * dispatch is all they do. A load process keeps BENCH_IN_FLIGHT datagrams outstanding (each a
 * 600-byte request with a Call-ID of its own) for BENCH_SECONDS per row.
 *
 *   npm run bench:relay            (BENCH_WORKERS=2, BENCH_IN_FLIGHT=16,64, BENCH_SECONDS=5)
 *
 * Prints, per design and load: datagrams echoed per second, and the CPU µs per datagram of the
 * node's processes (primary and workers, from /proc), in all and of the busiest process.
 */
import cluster, { type Worker } from 'node:cluster';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  FORWARD_SECRET_BYTES,
  sharedDatagramEndpoint,
  slotOfDatagram,
  type DatagramsReady,
  type SlotTable,
} from '../src/platform/cluster/index.js';
import { TurnBatch } from '../src/sip/index.js';

type Design = 'relay' | 'shared';
const designs: Design[] = ['relay', 'shared'];
const workers = Number(process.env.BENCH_WORKERS ?? 2);
const inFlightLevels = (process.env.BENCH_IN_FLIGHT ?? '16,64').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const role = process.env.BENCH_RELAY_ROLE ?? (cluster.isPrimary ? 'primary' : 'worker');

interface Datagram {
  data: Buffer;
  address: string;
  port: number;
}
type ToWorker = { kind: 'datagrams'; datagrams: Datagram[] } | SlotTable;
type FromWorker = { kind: 'datagrams'; datagrams: Datagram[] } | { kind: 'ready' } | DatagramsReady;
type FromLoad = { kind: 'window'; edge: 'start' | 'end'; echoed?: number; ms?: number };

if (role === 'primary') await runPrimary();
else if (role === 'worker') await runWorker();
else await runLoad();

async function runPrimary(): Promise<void> {
  cluster.setupPrimary({ serialization: 'advanced' });
  const rows: string[] = [];
  for (const inFlight of inFlightLevels) {
    for (const design of designs) rows.push(await measure(design, inFlight));
  }
  process.stdout.write(
    `UDP dispatch of one node, ${workers} workers echoing, ${seconds} s per row (load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} after)\n` +
      `${'design'.padEnd(7)}  ${'in flight'.padStart(9)}  ${'echoed/s'.padStart(9)}  ${'CPU µs/datagram, all'.padStart(20)}  ${'busiest process'.padStart(15)}\n` +
      rows.join('\n') +
      '\n',
  );
  process.exit(0);
}

async function measure(design: Design, inFlight: number): Promise<string> {
  const port = await freeUdpPort();
  const secret = randomBytes(FORWARD_SECRET_BYTES).toString('hex');
  const socket = design === 'relay' ? await bind(createSocket('udp4'), port, false) : null;
  const started: Worker[] = [];
  const table: SlotTable = { kind: 'videophone:slots', slots: Array.from({ length: workers }, () => null) };
  const outboxes = Array.from(
    { length: workers },
    (_, slot) => new TurnBatch<Datagram>((datagrams) => started[slot]!.send({ kind: 'datagrams', datagrams } satisfies ToWorker)),
  );
  socket?.on('message', (data, source) => {
    outboxes[slotOfDatagram(data, source.address, source.port, workers)]!.push({ data, address: source.address, port: source.port });
  });
  await Promise.all(
    Array.from({ length: workers }, (_, slot) => {
      const worker = cluster.fork({ BENCH_DESIGN: design, BENCH_PORT: String(port), BENCH_SLOT: String(slot), BENCH_SECRET: secret });
      started.push(worker);
      return new Promise<void>((resolve) =>
        worker.on('message', (message: FromWorker) => {
          if (message.kind === 'datagrams')
            for (const datagram of message.datagrams) socket!.send(datagram.data, datagram.port, datagram.address);
          else {
            if (message.kind === 'videophone:datagrams-ready')
              table.slots[slot] = { privatePort: message.privatePort, forwardingPort: message.forwardingPort };
            resolve();
          }
        }),
      );
    }),
  );
  // What the service's primary sends its workers once they are up: who takes which datagrams.
  if (design === 'shared') for (const worker of started) worker.send(table satisfies ToWorker);
  const pids = [process.pid, ...started.map((worker) => worker.process.pid!)];
  const load = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_RELAY_ROLE: 'load', BENCH_PORT: String(port), BENCH_IN_FLIGHT_NOW: String(inFlight) },
    execArgv: process.execArgv,
  });
  let before: number[] = [];
  const result = await new Promise<{ echoed: number; ms: number; cpu: number[] }>((resolve) =>
    load.on('message', (message: FromLoad) => {
      if (message.edge === 'start') before = pids.map(cpuMicros);
      else resolve({ echoed: message.echoed!, ms: message.ms!, cpu: pids.map((pid, i) => cpuMicros(pid) - before[i]!) });
    }),
  );
  await stop(load);
  for (const worker of started) worker.kill();
  await Promise.all(started.map((worker) => new Promise((resolve) => (worker.isDead() ? resolve(null) : worker.once('exit', resolve)))));
  await new Promise<void>((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
  const all = result.cpu.reduce((sum, micros) => sum + micros, 0) / result.echoed;
  const busiest = Math.max(...result.cpu) / result.echoed;
  return `${design.padEnd(7)}  ${String(inFlight).padStart(9)}  ${((result.echoed / result.ms) * 1000).toFixed(0).padStart(9)}  ${all.toFixed(1).padStart(20)}  ${busiest.toFixed(1).padStart(15)}`;
}

async function runWorker(): Promise<void> {
  const design = process.env.BENCH_DESIGN as Design;
  const slot = Number(process.env.BENCH_SLOT);
  if (design === 'relay') {
    const echo = new TurnBatch<Datagram>((datagrams) => process.send!({ kind: 'datagrams', datagrams } satisfies FromWorker));
    process.on('message', (message: ToWorker) => {
      if (message.kind === 'datagrams') for (const datagram of message.datagrams) echo.push(datagram);
    });
    process.send!({ kind: 'ready' } satisfies FromWorker);
    return;
  }
  const shared = sharedDatagramEndpoint({
    host: '127.0.0.1',
    port: Number(process.env.BENCH_PORT),
    localAddress: '127.0.0.1',
    slot,
    slots: workers,
    forwardSecret: process.env.BENCH_SECRET!,
    onError: (error) => process.stderr.write(`${error.message}\n`),
  });
  // Each datagram echoed to its source, from the public port, as a response leaves.
  await shared.start((data, address, port) => shared.endpoint.send(data, port, address), 0);
}

async function runLoad(): Promise<void> {
  const target = Number(process.env.BENCH_PORT);
  const inFlight = Number(process.env.BENCH_IN_FLIGHT_NOW);
  const socket = await bind(createSocket('udp4'), 0, true);
  let next = 0;
  let echoed = 0;
  let outstanding = 0;
  let heardSinceTick = false;
  const request = (n: number) =>
    Buffer.from(
      `REGISTER sip:vp.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bK-${n};rport\r\n` +
        `Max-Forwards: 70\r\nFrom: <sip:2001@vp.test>;tag=${n}\r\nTo: <sip:2001@vp.test>\r\nCall-ID: load-${n}-${'x'.repeat(24)}@bench\r\n` +
        `CSeq: 1 REGISTER\r\nContact: <sip:2001@127.0.0.1:5070;transport=udp>\r\nExpires: 3600\r\nUser-Agent: bench-relay\r\n` +
        `Authorization: Digest username="2001", realm="vp.test", nonce="${'n'.repeat(48)}", uri="sip:vp.test", response="${'r'.repeat(32)}"\r\n` +
        `Content-Length: 0\r\n\r\n`,
      'latin1',
    );
  const topUp = () => {
    while (outstanding < inFlight) {
      socket.send(request(next++), target, '127.0.0.1');
      outstanding += 1;
    }
  };
  socket.on('message', () => {
    echoed += 1;
    outstanding -= 1;
    heardSinceTick = true;
    topUp();
  });
  // A datagram the kernel dropped never comes back: when nothing has for a while, start afresh.
  const tick = setInterval(() => {
    if (!heardSinceTick) outstanding = 0;
    heardSinceTick = false;
    topUp();
  }, 100);
  topUp();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const from = echoed;
  const startedAt = performance.now();
  process.send!({ kind: 'window', edge: 'start' } satisfies FromLoad);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const ms = performance.now() - startedAt;
  process.send!({ kind: 'window', edge: 'end', echoed: echoed - from, ms } satisfies FromLoad);
  clearInterval(tick);
  socket.close();
}

function bind(socket: Socket, port: number, exclusive: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address: '127.0.0.1', exclusive }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

async function freeUdpPort(): Promise<number> {
  const socket = await bind(createSocket('udp4'), 0, true);
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** user + system time of a process so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill();
  });
}
