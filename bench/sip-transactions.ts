/**
 * Issue #17: what the transaction layer holds and costs while non-INVITE transactions sit in
 * Completed (RFC 3261 §17.2.2). Over UDP each one keeps answering retransmissions of its request for
 * Timer J, 64·T1 = 32 s, so a registrar taking 3,000 REGISTER/s has about 100,000 of them alive at
 * any moment, and what each keeps decides the size of the heap and the work of the garbage
 * collector.
 *
 *   npm run bench:transactions     (BENCH_REQUESTS=120000 at BENCH_RATE=4000/s)
 *
 * The service's own TransportLayer and TransactionLayer listen on loopback UDP; a child process
 * sends REGISTERs, each with its own branch, Call-ID and tags, at a fixed rate, and the user above
 * the layer answers each with a 200 at once. All of it lasts less than Timer J, so every transaction
 * is still held at the end. Prints this process's CPU per request (receiving, parsing, the
 * transaction, the response and its send), the time V8 spent collecting garbage, and the heap held
 * per completed transaction (after a full collection, against the heap before the first request).
 *
 * BENCH_BUILD=<dir> runs another build of the layers (a `dist/server` copied from an earlier
 * commit), for before and after in one sitting.
 */
import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type * as ResponseModule from '../src/sip/message/response.js';
import type * as TransactionModule from '../src/sip/transaction/transaction-layer.js';
import type * as TransportModule from '../src/sip/transport/transport-layer.js';

const requests = Number(process.env.BENCH_REQUESTS ?? 120_000);
const rate = Number(process.env.BENCH_RATE ?? 4_000);

if (process.argv[2] === 'send') await sendRequests(Number(process.argv[3]));
else await measure();

async function measure(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const build = process.env.BENCH_BUILD ? path.resolve(process.env.BENCH_BUILD) : path.join(here, '../src');
  const extension = process.env.BENCH_BUILD ? '.js' : '.ts';
  const load = (file: string) => import(pathToFileURL(path.join(build, file + extension)).href);
  const { TransportLayer } = (await load('sip/transport/transport-layer')) as typeof TransportModule;
  const { TransactionLayer } = (await load('sip/transaction/transaction-layer')) as typeof TransactionModule;
  const { createResponse } = (await load('sip/message/response')) as typeof ResponseModule;

  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });

  const transport = new TransportLayer();
  const layer = new TransactionLayer(transport);
  let answered = 0;
  layer.setUser({
    onRequest: (transaction) => {
      transaction.respond(createResponse(transaction.request, 200, { toTag: `t${answered}` }));
      answered += 1;
    },
    onAck: () => undefined,
    onStrayResponse: () => undefined,
    onFlowClosed: () => undefined,
  });
  const { port } = await transport.listenUdp('127.0.0.1', 0);

  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  gcMs = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const sender = fork(fileURLToPath(import.meta.url), ['send', String(port)], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve, reject) => {
    sender.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the sender exited with ${code}`))));
  });
  // The last datagrams may still be in the socket's queue.
  while (answered < requests && performance.now() - startedAt < 120_000) await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - startedAt) / 1000;
  const collectorMs = gcMs;
  collect();
  const held = process.memoryUsage().heapUsed - heapBefore;
  const live = layer.serverTransactionCount;

  console.log(
    `bench:transactions, ${process.env.BENCH_BUILD ?? 'src/'}: ${requests} REGISTERs at ${rate}/s, answered ${answered} in ${seconds.toFixed(1)} s`,
  );
  console.log(`  CPU per request                   ${((cpu.user + cpu.system) / answered).toFixed(1)} µs`);
  console.log(
    `  garbage collection                ${collectorMs.toFixed(0)} ms (${((1000 * collectorMs) / answered).toFixed(1)} µs per request)`,
  );
  console.log(`  transactions held at the end      ${live}`);
  console.log(
    `  heap held per transaction         ${live > 0 ? Math.round(held / live) : '-'} bytes (${(held / 1e6).toFixed(0)} MB in all)`,
  );
  await transport.close();
  process.exit(0);
}

/** The child: `requests` REGISTERs at `rate` per second to the layer's port, then exits. */
async function sendRequests(port: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const ownPort = socket.address().port;
  const register = (i: number) => {
    const user = 1000 + (i % 5000);
    return Buffer.from(
      [
        'REGISTER sip:vp.test SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${ownPort};branch=z9hG4bK-${i}-${Math.random().toString(36).slice(2, 10)};rport`,
        'Max-Forwards: 70',
        `From: <sip:${user}@vp.test>;tag=${i.toString(36)}f`,
        `To: <sip:${user}@vp.test>`,
        `Call-ID: ${i.toString(36)}-${Math.random().toString(36).slice(2)}@127.0.0.1`,
        `CSeq: ${i + 1} REGISTER`,
        `Contact: <sip:${user}@127.0.0.1:${ownPort};transport=udp>;expires=3600`,
        'Expires: 3600',
        'User-Agent: bench',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  };
  socket.on('message', () => undefined);
  const startedAt = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(requests, Math.floor(((performance.now() - startedAt) * rate) / 1000));
      while (sent < due) socket.send(register(sent++), port, '127.0.0.1');
      if (sent >= requests) {
        clearInterval(tick);
        setTimeout(resolve, 200);
      }
    }, 2);
  });
  socket.close();
}
