/**
 * Call setup time in the browser, our server against Kamailio in the same run: `npm run bench:call`.
 *
 * Two pages in Debian's Chromium (fake camera and microphone) run the softphone's own PhoneEngine
 * (JsSIP over WebSocket; web/src/bench/call-bench-page.ts) with credentials handed in, so both servers
 * are called by the same client. Ours is the whole service in a process of its own (bench/our-server.ts;
 * PGlite, or PostgreSQL with BENCH_ENGINE=postgres) with two active subscribers, each page holding
 * device credentials as the softphone does; the reference is Kamailio 5.6 (bench/kamailio.ts) on
 * loopback with two numbers and plain passwords. TURN is a coturn on loopback, offered in both modes: "direct" (iceTransportPolicy all) and
 * "relayed" (relay only). The callee answers as soon as its phone rings.
 *
 * Milestones, read in the pages on the machine's clock (every SIP frame is stamped as it leaves or
 * arrives at the page's WebSocket):
 *   - REGISTER: the first REGISTER leaves → its 200 arrives (the 401 round trip included); one per
 *     phone start, BENCH_CALLS starts;
 *   - INVITE across the proxy: the caller's first INVITE leaves → the INVITE reaches the callee (the
 *     407 round trip included);
 *   - dial → the first video frame presented at the callee (requestVideoFrameCallback);
 *   - answer → the first video frame presented at the caller.
 * Prints median and worst of BENCH_CALLS (10) calls per server and mode after one warm-up call, next to
 * the figures issue #18 measured before this work, then where the time of a call went (medians).
 * Environment: BENCH_CALLS, BENCH_ONLY=direct|relayed, BENCH_SERVERS=ours,kamailio, BENCH_ENGINE,
 * BENCH_CPU_PROF=1 (a CPU profile of our service in bench/out/), BENCH_PC_LOG=1 (peer-connection events).
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import type { Engine } from '../src/platform/db/database.js';
import { launchChromium } from '../test/support/browser.js';
import { startCoturn, type Coturn } from '../test/support/coturn.js';
import { repoRoot } from '../test/support/process.js';
import { newPartyContext } from '../test/support/softphone.js';
import { startKamailio, type Kamailio } from './kamailio.js';
import type { BenchPhoneConfig, SipFrame } from '../web/src/bench/bench-contract.js';

const calls = Number(process.env.BENCH_CALLS ?? 10);
const modes = (['direct', 'relayed'] as const).filter((mode) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === mode);
const servers = (process.env.BENCH_SERVERS ?? 'ours,kamailio').split(',') as ServerName[];
const engine = (process.env.BENCH_ENGINE ?? 'pglite') as Engine;

type ServerName = 'ours' | 'kamailio';
type Mode = (typeof modes)[number];

/** Issue #18, measured before this work (direct calls, median). */
const before = { register: 151, invite: 53, dialToCalleeFrame: 433, answerToCallerFrame: 204 };
const kamailioInIssue = { register: 76, invite: 34, dialToCalleeFrame: 396, answerToCallerFrame: 152 };

interface Party {
  number: string;
  username: string;
  password: string;
}

interface Target {
  name: ServerName;
  wsUri: string;
  domain: string;
  parties: [Party, Party];
}

interface CallTimes {
  dialToCalleeFrame: number;
  answerToCallerFrame: number;
  invite: number;
  // Where the time went (diagnostics).
  dialToInvite: number;
  challenge: number;
  authenticatedInviteToCallee: number;
  inviteToAnswer: number;
  answerTo200: number;
  okAcrossProxy: number;
  okToCallerFrame: number;
}

interface RegisterTimes {
  register: number;
  challenge: number;
  authenticatedRegister: number;
}

type Marks = { dialAt: number | null; answerAt: number | null; firstFrameAt: number | null };

/** Calls the page's `window.bench` (an expression in the page; arguments as JSON). */
function inPage<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.bench.${method}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`) as Promise<T>;
}

// ---------------------------------------------------------------------------------------------
// The page: built from web/src/bench with Vite into memory, served with a TURN credential endpoint.

async function buildPage(): Promise<string> {
  const output = (await build({
    configFile: false,
    root: path.join(repoRoot, 'web'),
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      rollupOptions: {
        input: path.join(repoRoot, 'web/src/bench/call-bench-page.ts'),
        output: { format: 'es', entryFileNames: 'page.js' },
      },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunk = (Array.isArray(output) ? output[0]! : output).output.find((file) => file.fileName === 'page.js');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the bench page did not build');
  return chunk.code;
}

async function servePage(code: string, coturn: Coturn): Promise<{ server: Server; origin: string }> {
  const html =
    '<!doctype html><html><body><video id="remote" autoplay playsinline muted></video><script type="module" src="/page.js"></script></body></html>';
  const server = createServer((request, response) => {
    if (request.url === '/page.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    if (request.url === '/turn-credentials') {
      // The TURN REST scheme, as GET /api/portal/turn-credentials answers it.
      const username = `${Math.floor(Date.now() / 1000) + 3600}:bench`;
      const credential = createHmac('sha1', coturn.secret).update(username).digest('base64');
      return void response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ urls: [coturn.url], username, credential, ttl: 3600 }));
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, origin: `http://127.0.0.1:${port}` };
}

// ---------------------------------------------------------------------------------------------
// The servers.

async function ourServer(coturn: Coturn, pageOrigin: string): Promise<{ target: Target; stop: () => Promise<void> }> {
  const child = fork(path.join(repoRoot, 'bench/our-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_ENGINE: engine,
      BENCH_TURN_URL: coturn.url,
      BENCH_TURN_SECRET: coturn.secret,
      BENCH_PAGE_ORIGIN: pageOrigin,
    },
  });
  const started = await new Promise<Omit<Target, 'name'>>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Omit<Target, 'name'>));
    child.once('exit', (code) => reject(new Error(`our server exited with ${code} before it was ready`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited;
  };
  return { target: { name: 'ours', ...started }, stop };
}

async function kamailioServer(): Promise<{ target: Target; kamailio: Kamailio }> {
  const parties: [Party, Party] = [
    { number: '86100001', username: '86100001', password: 'bench-caller-password' },
    { number: '86100002', username: '86100002', password: 'bench-callee-password' },
  ];
  const kamailio = await startKamailio({
    domain: 'kamailio.bench.test',
    users: Object.fromEntries(parties.map((party) => [party.username, party.password])),
  });
  return { target: { name: 'kamailio', wsUri: kamailio.wsUri, domain: kamailio.domain, parties }, kamailio };
}

// ---------------------------------------------------------------------------------------------
// Measuring.

async function openBenchPhone(
  browser: Browser,
  origin: string,
  config: BenchPhoneConfig,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await newPartyContext(browser);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (process.env.BENCH_CONSOLE || message.type() === 'warning') console.log(`  [${config.number}] ${message.type()}: ${message.text()}`);
  });
  await page.goto(origin);
  await page.waitForFunction(`'bench' in window`);
  await inPage(page, 'start', config);
  return { page, context };
}

async function framesOf(page: Page, filter: { callId?: string; socket?: number }): Promise<SipFrame[]> {
  const frames = (await page.evaluate('window.bench.frames')) as SipFrame[];
  return frames.filter(
    (frame) =>
      (filter.callId === undefined || frame.callId === filter.callId) && (filter.socket === undefined || frame.socket === filter.socket),
  );
}

function at(frames: SipFrame[], match: Partial<SipFrame>, nth = 0): number {
  const found = frames.filter((frame) => Object.entries(match).every(([key, value]) => frame[key as keyof SipFrame] === value))[nth];
  if (!found) throw new Error(`no SIP frame ${JSON.stringify(match)} #${nth}`);
  return found.at;
}

async function measureRegistrations(page: Page): Promise<RegisterTimes[]> {
  const results: RegisterTimes[] = [];
  for (let i = 0; i < calls; i += 1) {
    const socket = await inPage<number>(page, 'restart');
    const frames = await framesOf(page, { socket });
    const sent = at(frames, { out: true, method: 'REGISTER', status: null });
    const challenged = at(frames, { out: false, method: 'REGISTER', status: 401 });
    const resent = at(frames, { out: true, method: 'REGISTER', status: null }, 1);
    const ok = at(frames, { out: false, method: 'REGISTER', status: 200 });
    results.push({ register: ok - sent, challenge: challenged - sent, authenticatedRegister: ok - resent });
  }
  return results;
}

async function oneCall(caller: Page, callee: Page, calleeNumber: string): Promise<CallTimes | string> {
  await inPage(caller, 'arm');
  await inPage(callee, 'arm');
  await inPage(caller, 'dial', calleeNumber);
  const deadline = Date.now() + 15_000;
  let callerMarks: Marks;
  let calleeMarks: Marks;
  let failure: string | null = null;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    callerMarks = await inPage<Marks>(caller, 'marks');
    calleeMarks = await inPage<Marks>(callee, 'marks');
    if (callerMarks.firstFrameAt !== null && calleeMarks.firstFrameAt !== null) break;
    const idle = await inPage<boolean>(caller, 'idle');
    if (Date.now() > deadline || (idle && callerMarks.dialAt !== null && Date.now() - callerMarks.dialAt > 2_000)) {
      failure = `no video on both sides: caller ${JSON.stringify(callerMarks)} notice ${await inPage<string>(caller, 'notice')}`;
      break;
    }
  }
  const callId = await inPage<string | null>(caller, 'callId');
  if (process.env.BENCH_PC_LOG) {
    console.log('caller', (await caller.evaluate('window.bench.pcLog.splice(0)')) as string[]);
    console.log('callee', (await callee.evaluate('window.bench.pcLog.splice(0)')) as string[]);
  }
  await inPage(caller, 'hangUp');
  while (!(await inPage<boolean>(caller, 'idle')) || !(await inPage<boolean>(callee, 'idle'))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (failure !== null || callId === null) return failure ?? 'no call id';
  const out = await framesOf(caller, { callId });
  const into = await framesOf(callee, { callId });
  const inviteSent = at(out, { out: true, method: 'INVITE', status: null });
  const challenged = at(out, { out: false, method: 'INVITE', status: 407 });
  const resent = at(out, { out: true, method: 'INVITE', status: null }, 1);
  const inviteArrived = at(into, { out: false, method: 'INVITE', status: null });
  const okSent = at(into, { out: true, method: 'INVITE', status: 200 });
  const okArrived = at(out, { out: false, method: 'INVITE', status: 200 });
  return {
    dialToCalleeFrame: calleeMarks.firstFrameAt! - callerMarks.dialAt!,
    answerToCallerFrame: callerMarks.firstFrameAt! - calleeMarks.answerAt!,
    invite: inviteArrived - inviteSent,
    dialToInvite: inviteSent - callerMarks.dialAt!,
    challenge: challenged - inviteSent,
    authenticatedInviteToCallee: inviteArrived - resent,
    inviteToAnswer: calleeMarks.answerAt! - inviteArrived,
    answerTo200: okSent - calleeMarks.answerAt!,
    okAcrossProxy: okArrived - okSent,
    okToCallerFrame: callerMarks.firstFrameAt! - okArrived,
  };
}

interface Run {
  registers: RegisterTimes[];
  calls: CallTimes[];
  failures: string[];
}

async function measure(browser: Browser, origin: string, target: Target, mode: Mode): Promise<Run> {
  const [from, to] = target.parties;
  const phone = (party: Party, autoAnswer: boolean) =>
    openBenchPhone(browser, origin, {
      wsUri: target.wsUri,
      domain: target.domain,
      number: party.number,
      username: party.username,
      password: party.password,
      relayOnly: mode === 'relayed',
      autoAnswer,
    });
  const caller = await phone(from, false);
  const callee = await phone(to, true);
  try {
    const registers = await measureRegistrations(caller.page);
    await oneCall(caller.page, callee.page, to.number); // warm-up: codecs, first TURN allocation, JIT
    const results: CallTimes[] = [];
    const failures: string[] = [];
    for (let i = 0; i < calls; i += 1) {
      const result = await oneCall(caller.page, callee.page, to.number);
      if (typeof result === 'string') failures.push(result);
      else results.push(result);
    }
    return { registers, calls: results, failures };
  } finally {
    await caller.context.close();
    await callee.context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Printing.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ms = (value: number) => `${Math.round(value)}`;
const cell = (values: number[]) => (values.length === 0 ? 'n/a' : `${ms(median(values))} / ${ms(Math.max(...values))}`);

function printMode(mode: Mode, runs: Partial<Record<ServerName, Run>>): void {
  const rows: [string, keyof typeof before, (run: Run) => number[]][] = [
    ['REGISTER round trip (401 included)', 'register', (run) => run.registers.map((r) => r.register)],
    ['INVITE across the proxy (407 included)', 'invite', (run) => run.calls.map((c) => c.invite)],
    ['dial → first frame at the callee', 'dialToCalleeFrame', (run) => run.calls.map((c) => c.dialToCalleeFrame)],
    ['answer → first frame at the caller', 'answerToCallerFrame', (run) => run.calls.map((c) => c.answerToCallerFrame)],
  ];
  console.log(`\n${mode}: ${calls} calls per server after one warm-up (median / worst, ms)`);
  const header = ['milestone', 'ours before (issue #18)', ...servers.map((name) => (name === 'ours' ? 'ours now' : 'Kamailio now'))];
  const table = [
    header,
    ...rows.map(([label, key, values]) => [
      label,
      `${before[key]} (Kamailio ${kamailioInIssue[key]})`,
      ...servers.map((name) => (runs[name] ? cell(values(runs[name])) : 'n/a')),
    ]),
  ];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table) console.log('  ' + row.map((text, column) => text.padEnd(widths[column]!)).join('  '));
  console.log('  where the time went (medians):');
  const parts: [string, (run: Run) => number[]][] = [
    ['REGISTER → 401', (run) => run.registers.map((r) => r.challenge)],
    ['authenticated REGISTER → 200', (run) => run.registers.map((r) => r.authenticatedRegister)],
    ['dial → first INVITE sent (media, ICE gathering)', (run) => run.calls.map((c) => c.dialToInvite)],
    ['INVITE → 407', (run) => run.calls.map((c) => c.challenge)],
    ['authenticated INVITE → at the callee', (run) => run.calls.map((c) => c.authenticatedInviteToCallee)],
    ['INVITE at the callee → answered', (run) => run.calls.map((c) => c.inviteToAnswer)],
    ['answer → 200 sent (callee ICE gathering)', (run) => run.calls.map((c) => c.answerTo200)],
    ['200 across the proxy', (run) => run.calls.map((c) => c.okAcrossProxy)],
    ['200 at the caller → caller first frame', (run) => run.calls.map((c) => c.okToCallerFrame)],
  ];
  for (const [label, values] of parts) {
    console.log(
      `    ${label.padEnd(50)} ${servers.map((name) => `${name} ${runs[name] && values(runs[name]).length ? ms(median(values(runs[name]))) : 'n/a'}`.padEnd(16)).join('')}`,
    );
  }
  for (const name of servers) {
    const failures = runs[name]?.failures ?? [];
    if (failures.length > 0) console.log(`  ${name}: ${failures.length} of ${calls} calls failed; first: ${failures[0]}`);
  }
}

// ---------------------------------------------------------------------------------------------

const coturn = await startCoturn();
const page = await servePage(await buildPage(), coturn);
const started: { close: () => Promise<void> }[] = [];
const browser = await launchChromium();
try {
  const targets: Target[] = [];
  for (const name of servers) {
    if (name === 'ours') {
      const { target, stop } = await ourServer(coturn, page.origin);
      started.push({ close: stop });
      targets.push(target);
    } else {
      const { target, kamailio } = await kamailioServer();
      started.push({ close: () => kamailio.stop() });
      targets.push(target);
    }
  }
  console.log(`Call setup on this machine: loopback, Chromium fake media, ${engine} under our server; load ${loadAverage()}`);
  for (const mode of modes) {
    const runs: Partial<Record<ServerName, Run>> = {};
    for (const target of targets) runs[target.name] = await measure(browser, page.origin, target, mode);
    printMode(mode, runs);
  }
  console.log(`\nload afterwards ${loadAverage()}`);
} finally {
  await browser.close();
  for (const server of started) await server.close();
  page.server.close();
  await coturn.stop();
}

function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}
