/**
 * Issue #17: what the SIP cluster's primary spends to relay a UDP datagram to a worker over IPC and
 * take the answer back, with one IPC message per datagram (as before TurnBatch) and with a
 * turn's datagrams in one message (as the cluster does now). The primary hands the worker bursts of
 * BENCH_BURSTS datagrams (a socket event delivers up to 32), the worker echoes each one.
 *
 *   npx tsx bench/cluster-relay.ts            (BENCH_BURSTS=1,8,32, BENCH_DATAGRAMS=40000 each)
 *
 * Prints round trips per second and the primary's CPU per datagram there and back.
 */
import cluster from 'node:cluster';
import { type RelayedDatagram } from '../src/platform/cluster/index.js';
import { TurnBatch } from '../src/sip/index.js';

type Mode = 'one per message' | 'one per turn';
const modes: Mode[] = ['one per message', 'one per turn'];
const bursts = (process.env.BENCH_BURSTS ?? '1,8,32').split(',').map(Number);
const total = Number(process.env.BENCH_DATAGRAMS ?? 40_000);

interface Echo {
  kind: 'one' | 'many' | 'ready';
  datagram?: RelayedDatagram;
  datagrams?: RelayedDatagram[];
}

if (cluster.isPrimary) {
  cluster.setupPrimary({ serialization: 'advanced' });
  const rows: string[] = [];
  for (const burst of bursts) {
    for (const mode of modes) rows.push(await measure(mode, burst));
  }
  process.stdout.write(
    `primary ⇄ worker over IPC ('advanced' serialization), 700-byte datagrams, ${total} per row\n` +
      `${'relay'.padEnd(16)}  ${'burst'.padStart(5)}  ${'round trips/s'.padStart(13)}  primary CPU µs per datagram\n` +
      rows.join('\n') +
      '\n',
  );
  process.exit(0);
} else {
  const echo = new TurnBatch<RelayedDatagram>((datagrams) => process.send!({ kind: 'many', datagrams } satisfies Echo));
  process.on('message', (message: Echo) => {
    if (message.kind === 'many') for (const datagram of message.datagrams!) echo.push(datagram);
    else process.send!(message);
  });
  // The worker's module loads after the primary sees it online: say when messages will be heard.
  process.send!({ kind: 'ready' } satisfies Echo);
}

async function measure(mode: Mode, burst: number): Promise<string> {
  const worker = cluster.fork();
  await new Promise((resolve) => worker.once('message', resolve));
  const datagram: RelayedDatagram = { data: Buffer.alloc(700, 0x41), address: '192.0.2.1', port: 5060 };
  const outbox = new TurnBatch<RelayedDatagram>((datagrams) => worker.send({ kind: 'many', datagrams } satisfies Echo));
  let sent = 0;
  let back = 0;
  const done = new Promise<void>((resolve) =>
    worker.on('message', (message: Echo) => {
      back += message.kind === 'many' ? message.datagrams!.length : 1;
      if (back >= total) resolve();
    }),
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pump = () => {
    if (sent >= total) return;
    // At most two bursts in flight, as a busy socket hands the primary one burst per event.
    if (sent - back < 2 * burst) {
      for (let i = 0; i < burst; i += 1, sent += 1) {
        if (mode === 'one per turn') outbox.push(datagram);
        else worker.send({ kind: 'one', datagram } satisfies Echo);
      }
    }
    setImmediate(pump);
  };
  pump();
  await done;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  worker.kill();
  return `${mode.padEnd(16)}  ${String(burst).padStart(5)}  ${(total / seconds).toFixed(0).padStart(13)}  ${((used.user + used.system) / total).toFixed(1)}`;
}
