/**
 * SIP capacity on loopback, ours against Kamailio in the same run: `npm run bench:sip` (issue #17).
 *
 * Servers, one at a time so that none competes with another for the two cores:
 *   - ours on the embedded database, started as `npm start` starts it in production: the built
 *     JavaScript (`npm run build:server` first; BENCH_SOURCE=1 runs src/ through tsx instead), PGlite
 *     in a temporary DATA_DIR, numbers provisioned with `videophone sip provision --csv`;
 *   - ours on PostgreSQL when DATABASE_URL is set: a database of its own is created on that server
 *     for the run and dropped after it; REDIS_URL and SIP_WORKERS, when set, are passed to this mode
 *     only (the embedded default is one process and ignores Redis). The REDIS_URL database must be
 *     empty (the run refuses one that is not) and is emptied at the end (claimRedisDatabase);
 *   - Kamailio 5.6 (bench/kamailio.ts, startSipKamailio: BENCH_KAMAILIO_CHILDREN workers, 8 by
 *     default), configured to do the same work against the same users and passwords.
 * Transports: UDP (sipp -t u1, one socket) and TCP with a connection per client (sipp -t tn; the
 * callee keeps one registered connection, -t t1). For each server and transport, sipp drives rising
 * rates, one step of BENCH_SECONDS_PER_STEP seconds per rate:
 *   - authenticated REGISTER (register.xml: REGISTER → 401 → REGISTER → 200), 10,000 phones;
 *   - call setups through the proxy (uac-call.xml: INVITE → 407 → INVITE → 180 → 200 → ACK → BYE),
 *     10,000 callers, answered by a sipp callee registered from its own socket or connection
 *     (uas-register.xml with uas-answer.xml for the calls), after 10 s of calls at 100/s that are
 *     not measured (the call path warmed up as the REGISTER warm-up warms registration); the
 *     callee's bindings are removed after each transport (unregister-all.xml);
 *   - then calls at one fixed rate, BENCH_FIXED_CALL_RATE (500/s), where the issue's aim is a p99
 *     INVITE → 180 within 2× Kamailio's.
 * The clients send no BYE for a call they abort (sipp sends one by default, even for a REGISTER
 * answered 503: a second request per failure that no real client sends, answered 481 and logged).
 * A sweep stops at the first rate with ≥ 0.1 % failed calls, or where the server no longer keeps up
 * (less than 90 % of the offered rate completes); when the first rate already fails, it halves the
 * rate until one passes. Response times come from sipp's -trace_rtt: REGISTER with credentials → 200
 * and INVITE with credentials → 180. CPU time per step comes from /proc for the server's process and
 * all its descendants (Kamailio's workers, our SIP_WORKERS), not sipp's and not a PostgreSQL server's.
 *
 * Environment: BENCH_SERVERS (ours,kamailio), BENCH_TRANSPORTS (udp,tcp), BENCH_MODES (embedded,
 * plus postgres when DATABASE_URL is set), BENCH_SECONDS_PER_STEP (5), BENCH_MAX_RATE (16000),
 * BENCH_RATES (e.g. `50,100,200` instead of the doubling steps), BENCH_ONLY=register|calls (one sweep),
 * BENCH_CALL_HOLD_MS (1000), BENCH_FIXED_CALL_RATE (500), BENCH_KAMAILIO_CHILDREN (8), BENCH_CPU_PROF=1
 * (V8 CPU profile of our service, kept in the work directory with the measured steps' windows, and
 * summarised over those windows only: start-up, migrations and warm-up left out; see
 * bench/cpu-profile-summary.ts), BENCH_SOURCE=1 (ours from src/ through tsx), BENCH_BUILD=<dir> (ours from another
 * build, e.g. a copy of an earlier commit's dist/server kept inside the repository, for before/after), BENCH_TRACE=1 (sipp -trace_msg for
 * every message: slow, to find out why calls fail), BENCH_HEAP_PROF=1 (V8 sampling heap profile of our service, one
 * sample per 32 KiB allocated, for its whole life, in the work directory), BENCH_KEEP=1 (keep the work directory),
 * BENCH_SERVER_CPUS and BENCH_SIPP_CPUS (taskset CPU lists, e.g. 0 and 1: the server and sipp each on their own cores),
 * BENCH_CALLS_OPEN_LOOP=1 (calls started at the rate whatever happens to the earlier ones, as independent
 * clients start them; by default sipp keeps at most rate × (hold + 1 s) calls open, which holds the load
 * back once the server falls behind), SIP_OVERLOAD_CONTROL (false unless set: capacity is measured
 * without it), DATABASE_URL, REDIS_URL, SIP_WORKERS (see above).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  builtCli,
  builtCliIsCurrent,
  collectOutput,
  exited,
  freePort,
  onCpus,
  repoRoot,
  runCli,
  waitForOk,
} from '../test/support/process.js';
import {
  describeRun,
  percentile,
  runSipp as runSippAnywhere,
  SIPP_EXIT,
  sippInstalled,
  sippPath,
  startSipp as startSippAnywhere,
  type SippOptions,
  type SippProcess,
  type SippResult,
  type SippTransport,
} from '../test/support/sipp.js';
import { formatSummary, summarizeProfile, type ProfileWindow } from './cpu-profile-summary.js';
import { startSipKamailio } from './kamailio.js';

/** Read before anything starts: the embedded mode must not see them, the PostgreSQL mode gets them. */
const infrastructure = takeInfrastructureEnvironment();

const secondsPerStep = positiveNumber('BENCH_SECONDS_PER_STEP', 5);
const maxRate = positiveNumber('BENCH_MAX_RATE', 16_000);
const callHoldMs = positiveNumber('BENCH_CALL_HOLD_MS', 1_000);
const fixedCallRate = positiveNumber('BENCH_FIXED_CALL_RATE', 500);
const kamailioChildren = positiveNumber('BENCH_KAMAILIO_CHILDREN', 8);
const only = process.env.BENCH_ONLY ?? '';
const openLoopCalls = process.env.BENCH_CALLS_OPEN_LOOP === '1';
const cpuProfile = process.env.BENCH_CPU_PROF === '1';
const traceMessages = process.env.BENCH_TRACE === '1';
const fromSource = process.env.BENCH_SOURCE === '1';
/** Another build of ours (a copy of dist/server from an earlier commit, inside the repository so it finds node_modules). */
const otherBuild = process.env.BENCH_BUILD;
const heapProfile = process.env.BENCH_HEAP_PROF === '1';
/**
 * CPU lists for taskset(1): the server under test (ours with its threads and workers, or Kamailio
 * with its children) and sipp, so that the load generator does not take the server's cores. Unset:
 * every process may run anywhere, as in every figure in the README before 2026-12-07.
 */
const serverCpus = process.env.BENCH_SERVER_CPUS || undefined;
const sippCpus = process.env.BENCH_SIPP_CPUS || undefined;
const runSipp = (options: SippOptions) => runSippAnywhere({ ...options, ...(sippCpus ? { cpus: sippCpus } : {}) });
const startSipp = (options: SippOptions) => startSippAnywhere({ ...options, ...(sippCpus ? { cpus: sippCpus } : {}) });
const keepWorkDir = process.env.BENCH_KEEP === '1' || cpuProfile || heapProfile || traceMessages;
const servers = listOf('BENCH_SERVERS', 'ours,kamailio', ['ours', 'kamailio'] as const);
const transports = listOf('BENCH_TRANSPORTS', 'udp,tcp', ['udp', 'tcp'] as const);
const modes = listOf('BENCH_MODES', infrastructure.databaseUrl ? 'embedded,postgres' : 'embedded', ['embedded', 'postgres'] as const);

const FAILURE_LIMIT = 0.001;
const KEEP_UP_RATIO = 0.9;
const LOWEST_PROBE_RATE = 10;
/** REGISTER/s of the warm-up before measuring. */
const WARM_UP_RATE = 500;
/** Call setups/s, and for how long, of the warm-up before the call steps (well under every server's capacity). */
const WARM_UP_CALL_RATE = 100;
const WARM_UP_CALL_SECONDS = 10;
const DOMAIN = 'vp.test';
const REGISTERING_PHONES = 10_000;
const CALLERS = 10_000;
/**
 * Open TCP connections allowed, the same for both servers: a connection per client at thousands of
 * operations a second, under the open-file limit (20,000 on the development machine) that sipp and
 * each server live with.
 */
const MAX_CONNECTIONS = 16_000;
const SIPP_MAX_SOCKETS = 18_000;

type Kind = 'REGISTER' | 'call setup';
type Transport = (typeof transports)[number];

interface Step {
  /** `ours embedded UDP`, `Kamailio TCP`: which server, mode and transport. */
  run: string;
  kind: Kind;
  /** A step of a sweep, or the one step at the fixed call rate. */
  phase: 'sweep' | 'fixed';
  offered: number;
  created: number;
  failed: number;
  /** Completed measurements (200 to REGISTER, 180 to INVITE) per second while the step ran. */
  achieved: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The server's CPU time over the step: share of one core, and per attempt. */
  cpuPercent: number;
  cpuMsPerAttempt: number;
  /** The same, in the processes' main threads alone (see TreeCpu). */
  mainThreadCpuMsPerAttempt: number;
  /** `timed out`: sipp was stopped before it placed every call (the server far behind the rate). */
  verdict: 'ok' | 'failures' | 'cannot keep up' | 'timed out' | 'sipp error';
}

interface Numbers {
  phones: string;
  callers: string;
  callee: string;
  calleeNumber: string;
  /** Every provisioned account, for Kamailio's subscriber table. */
  users: Array<{ username: string; password: string }>;
}

interface Server {
  name: 'ours' | 'Kamailio';
  mode: string;
  sipPort: number;
  /** The server's main process; workers are its descendants. */
  pid: number;
  numbers: Numbers;
  stop: () => Promise<void>;
  /** Where `--cpu-prof` writes our service's profile (BENCH_CPU_PROF=1). */
  profileDir?: string;
  /** The measured steps on the monotonic clock, to summarise the profile over them only. */
  windows: ProfileWindow[];
}

function takeInfrastructureEnvironment() {
  const taken = {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    sipWorkers: process.env.SIP_WORKERS,
  };
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  delete process.env.SIP_WORKERS;
  return taken;
}

function positiveNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function listOf<T extends string>(name: string, fallback: string, allowed: readonly T[]): T[] {
  const items = (process.env[name] ?? fallback).split(',').map((item) => item.trim().toLowerCase());
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`${name}: ${item} is not one of ${allowed.join(', ')}`);
  return items as T[];
}

/** 250, 500, 1000, … up to BENCH_MAX_RATE, or the rates listed in BENCH_RATES. */
function rateSteps(): number[] {
  if (process.env.BENCH_RATES) return process.env.BENCH_RATES.split(',').map((rate) => positiveRate(rate.trim()));
  const rates: number[] = [];
  for (let rate = 250; rate <= maxRate; rate *= 2) rates.push(rate);
  return rates.length > 0 ? rates : [Math.floor(maxRate)];
}

function positiveRate(text: string): number {
  const rate = Number(text);
  if (!Number.isInteger(rate) || rate <= 0) throw new Error(`BENCH_RATES: ${text} is not a whole positive rate`);
  return rate;
}

async function main(): Promise<void> {
  if (!['', 'register', 'calls'].includes(only)) throw new Error('BENCH_ONLY must be register or calls');
  if (!sippInstalled) throw new Error(`sipp not found at ${sippPath}: apt-get install sip-tester`);
  if (modes.includes('postgres') && !infrastructure.databaseUrl) throw new Error('BENCH_MODES=postgres needs DATABASE_URL');
  // A build older than src/ is refused now rather than after the minutes of setup before our server starts.
  if (servers.includes('ours')) ourEntryPoint();
  const redis = modes.includes('postgres') && infrastructure.redisUrl ? await claimRedisDatabase(infrastructure.redisUrl) : null;
  try {
    await runServers();
  } finally {
    await redis?.release();
  }
}

async function runServers(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'vp-sip-bench-'));
  const started = new Date();
  const loadBefore = loadAverage();
  log(`work directory ${work}; load average ${loadBefore}`);

  // The embedded database's numbers are Kamailio's users too: the same names and passwords.
  const embeddedDir = path.join(work, 'embedded');
  mkdirSync(embeddedDir);
  const embeddedNumbers = await provision(embeddedDir, { DATA_DIR: path.join(embeddedDir, 'data') });

  const plans: Array<() => Promise<Server>> = [];
  if (servers.includes('ours')) {
    if (modes.includes('embedded')) plans.push(() => startOurs('embedded', embeddedDir, embeddedNumbers, {}));
    if (modes.includes('postgres')) plans.push(() => startOursOnPostgres(work));
  }
  if (servers.includes('kamailio')) plans.push(() => startKamailio(embeddedNumbers));

  const steps: Step[] = [];
  for (const plan of plans) {
    const server = await plan();
    try {
      for (const transport of transports) steps.push(...(await benchmark(server, transport, work)));
    } finally {
      await server.stop();
    }
    if (server.profileDir) summarizeProfiles(server);
  }

  const loadAfter = loadAverage();
  printSteps(steps);
  printSummary(steps, { started, loadBefore, loadAfter });
  if (cpuProfile)
    log(
      `CPU profiles of our service: ${readdirSync(work, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.cpuprofile'))
        .join(', ')}`,
    );
  if (keepWorkDir) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/** Both sweeps and the fixed-rate calls against one server over one transport. */
async function benchmark(server: Server, transport: Transport, work: string): Promise<Step[]> {
  const run = `${server.name} ${server.mode} ${transport.toUpperCase()}`;
  const runDir = path.join(work, run.replace(/[^A-Za-z0-9]+/g, '-'));
  const target = `127.0.0.1:${server.sipPort}`;
  // A connection per client over TCP: every REGISTER and every call opens its own (sipp -t tn).
  const clientTransport: SippTransport = transport === 'udp' ? 'u1' : 'tn';
  const steps: Step[] = [];
  log(`${run}: server listening on ${target}`);

  const localPort = await freePort();
  const registerAll = (rate: number, phones: string, count: number, dir: string, over: SippTransport = clientTransport) =>
    runSipp({
      scenario: 'register.xml',
      target,
      transport: over,
      localPort,
      injectionFile: phones,
      authUri: DOMAIN,
      calls: count,
      rate,
      // Registrations outstanding beyond one second's worth mean the server has fallen behind.
      limit: Math.min(SIPP_MAX_SOCKETS - 100, Math.max(100, rate)),
      maxSockets: SIPP_MAX_SOCKETS,
      traceResponseTimes: true,
      noByeOnAbort: true,
      traceMessages,
      timeoutMs: ((count / rate) * 3 + 60) * 1000,
      dir,
    });
  const register = (rate: number, dir = stepDir(runDir, `register-${rate}`)) =>
    registerAll(rate, server.numbers.phones, Math.round(rate * secondsPerStep), dir);
  // Not measured: JIT compilation, caches and pools filling, Kamailio's workers' first requests.
  // Every phone and every caller registers once, so the steps measure what a running service mostly
  // sees, devices refreshing registrations and calling, not each number's first contact with it.
  // Over UDP whatever the transport measured: 20,000 warm-up connections (sipp -t tn) would leave the
  // servers holding or closing thousands of idle ones while the TCP steps run.
  for (const [which, phones, count] of [
    ['phones', server.numbers.phones, REGISTERING_PHONES],
    ['callers', server.numbers.callers, CALLERS],
  ] as const) {
    const warmUp = await registerAll(WARM_UP_RATE, phones, count, stepDir(runDir, `warm-up-${which}`), 'u1');
    if (warmUp.exitCode !== SIPP_EXIT.allSucceeded)
      log(
        `${run}: ${warmUp.stats?.failed ?? '?'} of ${warmUp.stats?.created ?? '?'} warm-up REGISTERs of the ${which} failed (sipp exit ${warmUp.exitCode})`,
      );
  }
  await untilIdle(server);

  if (only !== 'calls') {
    steps.push(...(await sweep(run, 'REGISTER', register, server)));
    await untilIdle(server);
  }

  if (only !== 'register') {
    const callee = await startCallee(server, transport, target, runDir);
    const call = async (rate: number, seconds = secondsPerStep, dir = stepDir(runDir, `calls-${rate}`)) =>
      runSipp({
        scenario: 'uac-call.xml',
        target,
        transport: clientTransport,
        localPort: await freePort(),
        injectionFile: server.numbers.callers,
        service: server.numbers.calleeNumber,
        authUri: `${server.numbers.calleeNumber}@${DOMAIN}`,
        calls: Math.round(rate * seconds),
        rate,
        pauseMs: callHoldMs,
        limit: openLoopCalls
          ? SIPP_MAX_SOCKETS - 100
          : Math.min(SIPP_MAX_SOCKETS - 100, Math.max(100, Math.ceil((rate * (callHoldMs + 1000)) / 1000))),
        maxSockets: SIPP_MAX_SOCKETS,
        traceResponseTimes: true,
        noByeOnAbort: true,
        traceMessages,
        timeoutMs: (seconds * 3 + 60) * 1000 + callHoldMs,
        dir,
      });
    try {
      // Not measured either: the call path's first calls. The REGISTER warm-up leaves the proxy's,
      // the dialogs' and the call records' code cold (V8 tiers a function up only once it is hot), and
      // a first step at 500/s then ran ours at full CPU for its first seconds, fell behind, and drowned
      // in sipp's retransmissions, while the same rate passed right after (2026-12-05, embedded UDP).
      const warmUp = await call(WARM_UP_CALL_RATE, WARM_UP_CALL_SECONDS, stepDir(runDir, 'warm-up-calls'));
      if (warmUp.exitCode !== SIPP_EXIT.allSucceeded)
        log(
          `${run}: ${warmUp.stats?.failed ?? '?'} of ${warmUp.stats?.created ?? '?'} warm-up calls failed (sipp exit ${warmUp.exitCode})`,
        );
      await untilIdle(server);
      steps.push(...(await sweep(run, 'call setup', call, server)));
      await untilIdle(server);
      steps.push(await measure(run, 'call setup', 'fixed', fixedCallRate, call, server));
    } finally {
      callee.kill();
      await callee.done;
      await removeCalleeBindings(server, transport, target, runDir);
    }
    await untilIdle(server);
  }
  return steps;
}

/** sipp as the callee's number, once, from a socket (UDP) or one connection (TCP) of its own. */
async function asCallee(server: Server, transport: Transport, target: string) {
  return {
    target,
    transport: (transport === 'udp' ? 'u1' : 't1') as SippTransport,
    localPort: await freePort(),
    injectionFile: server.numbers.callee,
    authUri: DOMAIN,
    calls: 1,
  };
}

/**
 * The killed callee never sends its own removal: without this, its UDP binding outlives it and the
 * next transport's calls are forked to its closed port too (retransmitted to for 32 s each).
 */
async function removeCalleeBindings(server: Server, transport: Transport, target: string, runDir: string): Promise<void> {
  const removal = await runSipp({
    ...(await asCallee(server, transport, target)),
    scenario: 'unregister-all.xml',
    timeoutMs: 15_000,
    dir: stepDir(runDir, 'callee-removal'),
  });
  if (removal.exitCode !== SIPP_EXIT.allSucceeded) throw new Error(`the callee's bindings were not removed\n${describeRun(removal)}`);
}

/**
 * The callee: registers from its own socket (UDP) or connection (TCP, kept open: the binding's flow,
 * RFC 5626) and answers every INVITE with uas-answer.xml. Ready once a single call gets through.
 */
async function startCallee(server: Server, transport: Transport, target: string, runDir: string): Promise<SippProcess> {
  const callee = startSipp({
    ...(await asCallee(server, transport, target)),
    scenario: 'uas-register.xml',
    outOfCallScenario: 'uas-answer.xml',
    // Stays registered for the whole run; killed at the end of it.
    pauseMs: 3_600_000,
    traceMessages,
    timeoutMs: 3_700_000,
    dir: stepDir(runDir, 'callee'),
  });
  let last: SippResult | undefined;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await runSipp({
      scenario: 'uac-call.xml',
      target,
      transport: transport === 'udp' ? 'u1' : 'tn',
      localPort: await freePort(),
      injectionFile: server.numbers.callers,
      service: server.numbers.calleeNumber,
      authUri: `${server.numbers.calleeNumber}@${DOMAIN}`,
      calls: 1,
      pauseMs: 10,
      maxSockets: SIPP_MAX_SOCKETS,
      timeoutMs: 15_000,
      dir: stepDir(runDir, 'callee-probe'),
    });
    if (last.exitCode === SIPP_EXIT.allSucceeded) return callee;
  }
  callee.kill();
  throw new Error(
    `no call reached the callee through ${server.name} ${server.mode}\n${describeRun(last!)}\n${describeRun(await callee.done)}`,
  );
}

/** Rising rates until one fails; if the first already fails, halving rates until one passes. */
async function sweep(run: string, kind: Kind, sipp: (rate: number) => Promise<SippResult>, server: Server): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of rateSteps()) {
    const step = await measure(run, kind, 'sweep', rate, sipp, server);
    steps.push(step);
    if (step.verdict !== 'ok') break;
  }
  if (!process.env.BENCH_RATES && steps.length === 1 && steps[0]!.verdict !== 'ok') {
    for (let rate = Math.floor(steps[0]!.offered / 2); rate >= LOWEST_PROBE_RATE; rate = Math.floor(rate / 2)) {
      // Transactions of the failed step are still retransmitting (Timer B runs 32 s).
      await untilIdle(server);
      const step = await measure(run, kind, 'sweep', rate, sipp, server);
      steps.push(step);
      if (step.verdict === 'ok') break;
    }
  }
  return steps;
}

async function measure(
  run: string,
  kind: Kind,
  phase: Step['phase'],
  rate: number,
  sipp: (rate: number) => Promise<SippResult>,
  server: Server,
): Promise<Step> {
  const cpuBefore = treeCpu(server.pid);
  const started = Date.now();
  const startMicros = monotonicMicros();
  const result = await sipp(rate);
  server.windows.push({ label: `${run}, ${kind} ${phase} at ${rate}/s`, startMicros, endMicros: monotonicMicros() });
  const cpuAfter = treeCpu(server.pid);
  const cpu = { total: cpuAfter.total - cpuBefore.total, mainThreads: cpuAfter.mainThreads - cpuBefore.mainThreads };
  const step = summarize(run, kind, phase, rate, result, cpu, (Date.now() - started) / 1000);
  printStep(step);
  return step;
}

/** Numbers for registering phones, callers and one callee, through the CLI as an operator would. */
async function provision(dir: string, env: Record<string, string>): Promise<Numbers> {
  const first = 100_000;
  const last = first + REGISTERING_PHONES + CALLERS;
  const csv = path.join(dir, 'numbers.csv');
  const cli = runCli(['sip', 'provision', '--from', String(first), '--to', String(last), '--csv', csv], env);
  const output = collectOutput(cli);
  if ((await exited(cli)) !== 0) throw new Error(`provisioning failed:\n${output.text()}`);
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  const write = (name: string, rows: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    return file;
  };
  const calleeLine = lines.at(-1)!;
  const users = lines.map((line) => {
    // number;domain;[authentication username=N password=P]
    const match = /\[authentication username=(\S+) password=(\S+)\]/.exec(line);
    if (!match) throw new Error(`unexpected line in ${csv}: ${line}`);
    return { username: match[1]!, password: match[2]! };
  });
  return {
    phones: write('phones.csv', lines.slice(0, REGISTERING_PHONES)),
    callers: write('callers.csv', lines.slice(REGISTERING_PHONES, REGISTERING_PHONES + CALLERS)),
    callee: write('callee.csv', [calleeLine]),
    calleeNumber: calleeLine.split(';')[0]!,
    users,
  };
}

/**
 * Ours on a database of its own on the DATABASE_URL server (created here, dropped at the end), with
 * REDIS_URL and SIP_WORKERS when they are set.
 */
async function startOursOnPostgres(work: string): Promise<Server> {
  const dir = path.join(work, 'postgres');
  mkdirSync(dir);
  const database = await createDatabase(infrastructure.databaseUrl!);
  try {
    const env: Record<string, string> = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: database.url };
    if (infrastructure.redisUrl) env.REDIS_URL = infrastructure.redisUrl;
    if (infrastructure.sipWorkers) env.SIP_WORKERS = infrastructure.sipWorkers;
    const numbers = await provision(dir, env);
    let mode = 'PostgreSQL';
    if (infrastructure.redisUrl) mode += ' + Redis';
    if (infrastructure.sipWorkers) mode += `, SIP_WORKERS=${infrastructure.sipWorkers}`;
    const server = await startOurs(mode, dir, numbers, env);
    return {
      ...server,
      async stop() {
        await server.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * The REDIS_URL database must be empty when the run starts, and is emptied when it ends. The service
 * keeps its bindings there (each run registers 20,000 phones and a callee from a new port) and
 * every worker loads them all when it starts: a previous run's would be forked to (its callee's
 * port is closed) and loaded, and the figures would measure them. A run that crashed leaves its keys
 * behind, so a database that is not empty is refused rather than emptied: it may not be the bench's.
 */
async function claimRedisDatabase(url: string): Promise<{ release: () => Promise<void> }> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const keys = await redis.dbsize();
  if (keys > 0) {
    redis.disconnect();
    const database = new URL(url).pathname.slice(1) || '0';
    throw new Error(
      `REDIS_URL: database ${database} holds ${keys} keys. The bench needs an empty one, and empties it at the end. ` +
        `Pick an unused database number, or empty this one if it is only a bench's leftovers: redis-cli -n ${database} flushdb`,
    );
  }
  return {
    async release() {
      await redis.flushdb();
      redis.disconnect();
    },
  };
}

async function createDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vp_sip_bench_${process.pid}_${Date.now()}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  return { url: own.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function startOurs(mode: string, dir: string, numbers: Numbers, env: Record<string, string>): Promise<Server> {
  const httpPort = await freePort();
  const sipPort = await freePort();
  const child: ChildProcess = spawn(
    ...onCpus(serverCpus, process.execPath, [
      ...(heapProfile ? ['--heap-prof', '--heap-prof-interval', '32768', '--heap-prof-dir', dir] : []),
      ...(cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', dir] : []),
      ...ourEntryPoint(),
      'serve',
    ]),
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATA_DIR: path.join(dir, 'data'),
        // Capacity is measured without the overload control, which refuses work past it; set
        // SIP_OVERLOAD_CONTROL=true to see what it does there.
        SIP_OVERLOAD_CONTROL: process.env.SIP_OVERLOAD_CONTROL ?? 'false',
        HOST: '127.0.0.1',
        PORT: String(httpPort),
        SIP_HOST: '127.0.0.1',
        SIP_PORT: String(sipPort),
        SIP_ADVERTISED_ADDRESS: '127.0.0.1',
        // sipp drives thousands of requests a second from this one address. The per-source limit is
        // raised above anything sipp can send rather than switched off, so its bookkeeping (and the
        // bans, the unknown-name cache, the caps) still run on every message being measured.
        SIP_RATE_LIMIT_PER_SECOND: '1000000',
        SIP_RATE_LIMIT_BURST: '1000000',
        // sipp's Contact names the port it sends from, and over TCP each REGISTER has a connection and
        // a port of its own: every one adds a binding to its phone's number (3,600 s each), about a
        // dozen per number over a TCP sweep. Kamailio's configuration sets no max_contacts either.
        SIP_MAX_CONTACTS_PER_NUMBER: '100',
        // A connection per client over TCP, all from 127.0.0.1: the same cap as Kamailio's.
        SIP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
        SIP_MAX_CONNECTIONS_PER_SOURCE: String(MAX_CONNECTIONS),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = collectOutput(child);
  try {
    await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.text()}`);
  }
  return {
    name: 'ours',
    mode,
    sipPort,
    pid: child.pid!,
    numbers,
    profileDir: cpuProfile ? dir : undefined,
    windows: [],
    async stop() {
      child.kill('SIGTERM');
      const code = await exited(child);
      const text = output.text().trim();
      if (code !== 0 || text) log(`our service exited ${code}${text ? `; it said:\n${text.slice(-4000)}` : ''}`);
    },
  };
}

/**
 * The built JavaScript, as `npm start` runs it in production, or with BENCH_SOURCE=1 the TypeScript
 * through tsx (whose loader costs CPU on every module load and widens the profile's stacks).
 */
function ourEntryPoint(): string[] {
  if (fromSource) return ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts')];
  if (otherBuild) {
    const built = path.resolve(repoRoot, otherBuild, 'cli/main.js');
    if (!existsSync(built)) throw new Error(`BENCH_BUILD: ${built} is missing`);
    return [built];
  }
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: npm run build:server first (or BENCH_SOURCE=1)`);
  if (!builtCliIsCurrent()) throw new Error(`src/ changed after ${builtCli} was built: npm run build:server first (or BENCH_SOURCE=1)`);
  return [builtCli];
}

/** Each CPU profile of our service, over the measured steps only, next to its windows. */
function summarizeProfiles(server: Server): void {
  const windowsFile = path.join(server.profileDir!, 'measured-windows.json');
  writeFileSync(windowsFile, JSON.stringify(server.windows, null, 1));
  for (const file of readdirSync(server.profileDir!).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(server.profileDir!, file), 'utf8'));
    log(
      `CPU profile ${path.join(server.profileDir!, file)}, over the ${server.windows.length} measured steps ` +
        `(npx tsx bench/cpu-profile-summary.ts <profile> ${windowsFile} to read it again):\n` +
        formatSummary(summarizeProfile(profile, server.windows, 25)),
    );
  }
}

/** CLOCK_MONOTONIC in microseconds: the clock of V8's profile timestamps on Linux. */
function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function startKamailio(numbers: Numbers): Promise<Server> {
  const kamailio = await startSipKamailio({
    domain: DOMAIN,
    users: numbers.users,
    children: kamailioChildren,
    maxConnections: MAX_CONNECTIONS,
    keep: keepWorkDir,
    ...(serverCpus ? { cpus: serverCpus } : {}),
  });
  log(`Kamailio's configuration: ${kamailio.configFile}`);
  return {
    name: 'Kamailio',
    mode: `${kamailioChildren} workers`,
    sipPort: kamailio.sipPort,
    pid: kamailio.pid,
    numbers,
    windows: [],
    async stop() {
      await kamailio.stop();
      const errors = kamailio
        .log()
        .split('\n')
        .filter((line) => /ERROR|CRITICAL/.test(line) && !/receive_fd\(\): EOF/.test(line));
      if (errors.length > 0) log(`Kamailio logged ${errors.length} errors; the last:\n${errors.slice(-20).join('\n')}`);
    },
  };
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds of a process tree: in all, and in the main threads of its processes alone. */
interface TreeCpu {
  total: number;
  /**
   * The processes' main threads only (thread id = process id): for our service the JavaScript event
   * loop, which is its bottleneck, without the embedded database's thread, V8's GC helpers and
   * libuv's pool. Kamailio's processes have one thread each, so for Kamailio it equals `total`.
   */
  mainThreads: number;
}

/**
 * User plus system CPU seconds of a process and all its live descendants (Kamailio's workers, our
 * SIP_WORKERS), or NaN where /proc is not available. proc(5): ppid, utime and stime are fields 4,
 * 14 and 15 of /proc/<pid>/stat (the whole process) and of /proc/<pid>/task/<pid>/stat (its main
 * thread), the times in clock ticks.
 */
function treeCpu(root: number): TreeCpu {
  if (!existsSync(`/proc/${root}/stat`)) return { total: Number.NaN, mainThreads: Number.NaN };
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(`/proc/${entry}/stat`);
    if (!fields) continue; // exited while we listed /proc
    const pid = Number(entry);
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  let total = 0;
  let mainThreads = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    total += ticks.get(pid) ?? 0;
    const main = statFields(`/proc/${pid}/task/${pid}/stat`);
    if (main) mainThreads += Number(main[11]) + Number(main[12]);
    pending.push(...(children.get(pid) ?? []));
  }
  return { total: total / clockTicks, mainThreads: mainThreads / clockTicks };
}

function treeCpuSeconds(root: number): number {
  return treeCpu(root).total;
}

/** The fields of a proc(5) stat file after the command name, or null if it is gone. */
function statFields(file: string): string[] | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
  return text.slice(text.lastIndexOf(') ') + 2).split(' ');
}

/**
 * Waits until the server uses under 5 % of a core for two seconds (Timer B is 32 s) and the
 * machine's TCP sockets in TIME_WAIT are down to MAX_TIME_WAIT (they last 60 s), at most 70 s.
 * With sipp's connection per client, a REGISTER sweep leaves tens of thousands of them on loopback,
 * and the call steps after it could then not open connections fast enough: on 2026-12-05 ours
 * reached 257 calls/s of 500 at 34 % CPU with 23,500 in TIME_WAIT, and 498/s (p99 20 ms) with none
 * left from earlier steps. Kamailio was held back the same way.
 */
async function untilIdle(server: Server): Promise<void> {
  const started = Date.now();
  let quiet = 0;
  while ((quiet < 2 || timeWaitSockets() > MAX_TIME_WAIT) && Date.now() - started < 70_000) {
    const before = treeCpuSeconds(server.pid);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const used = treeCpuSeconds(server.pid) - before;
    quiet = Number.isNaN(used) || used < 0.05 ? quiet + 1 : 0;
  }
}

const MAX_TIME_WAIT = 2_000;
const TCP_TIME_WAIT = '06';

/** TCP sockets in TIME_WAIT on this machine (/proc/net/tcp and tcp6: the `st` column, 06). */
function timeWaitSockets(): number {
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      if (line.trim().split(/\s+/)[3] === TCP_TIME_WAIT) count += 1;
    }
  }
  return count;
}

function loadAverage(): string {
  return existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '-';
}

function summarize(
  run: string,
  kind: Kind,
  phase: Step['phase'],
  offered: number,
  result: SippResult,
  cpu: TreeCpu,
  wallSeconds: number,
): Step {
  const samples = result.responseTimes().get(1) ?? [];
  const stats = result.stats;
  const created = stats?.created ?? 0;
  const failed = stats?.failed ?? 0;
  const achieved = completionRate(result);
  let verdict: Step['verdict'] = 'ok';
  if (stats && result.exitCode === null) verdict = 'timed out';
  else if (!stats || (result.exitCode !== SIPP_EXIT.allSucceeded && result.exitCode !== SIPP_EXIT.someFailed)) verdict = 'sipp error';
  else if (created === 0 || failed / created >= FAILURE_LIMIT) verdict = 'failures';
  else if (achieved < KEEP_UP_RATIO * offered) verdict = 'cannot keep up';
  if (verdict === 'sipp error') log(describeRun(result));
  return {
    run,
    kind,
    phase,
    offered,
    created,
    failed,
    achieved,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
    cpuPercent: (100 * cpu.total) / wallSeconds,
    cpuMsPerAttempt: created ? (1000 * cpu.total) / created : Number.NaN,
    mainThreadCpuMsPerAttempt: created ? (1000 * cpu.mainThreads) / created : Number.NaN,
    verdict,
  };
}

/** Measured completions per second: response-time samples over the span of their timestamps. */
function completionRate(result: SippResult): number {
  const stamps: number[] = [];
  for (const file of readdirSync(result.dir).filter((name) => name.endsWith('_rtt.csv'))) {
    for (const line of readFileSync(path.join(result.dir, file), 'utf8').split('\n')) {
      const [date, ms, rtd] = line.split(';');
      if (rtd?.trim() === '1' && ms && /^[\d.]+$/.test(date ?? '')) stamps.push(Number(date));
    }
  }
  if (stamps.length < 2) return 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const stamp of stamps) {
    first = Math.min(first, stamp);
    last = Math.max(last, stamp);
  }
  return last > first ? ((stamps.length - 1) * 1000) / (last - first) : 0;
}

/** A directory of its own for each sipp run (a rate listed twice in BENCH_RATES gets `-2`). */
function stepDir(parent: string, name: string): string {
  let dir = path.join(parent, name);
  for (let n = 2; existsSync(dir); n += 1) dir = path.join(parent, `${name}-${n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Milliseconds: one decimal below 10 (Kamailio answers within a millisecond), whole above. */
function ms(value: number): string {
  if (Number.isNaN(value)) return '-';
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

function table(columns: string[], rows: string[][], leftColumns = 1): string {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((r) => r[i]!.length)));
  const text = (cells: string[]) =>
    cells
      .map((cell, i) => (i < leftColumns || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [text(columns), text(widths.map((w) => '-'.repeat(w))), ...rows.map(text)].join('\n');
}

function printStep(step: Step): void {
  log(
    `${step.run}, ${step.kind}${step.phase === 'fixed' ? ' (fixed rate)' : ''} at ${step.offered}/s: achieved ${step.achieved.toFixed(0)}/s, ` +
      `${step.failed}/${step.created} failed, p50/p95/p99 ${ms(step.p50)}/${ms(step.p95)}/${ms(step.p99)} ms, ` +
      `server CPU ${step.cpuPercent.toFixed(0)} % (${step.cpuMsPerAttempt.toFixed(3)} ms per attempt, ` +
      `${step.mainThreadCpuMsPerAttempt.toFixed(3)} in main threads): ${step.verdict}`,
  );
}

/** Every step, as the sweeps ran them. */
function printSteps(steps: Step[]): void {
  const columns = [
    'server',
    'what',
    'offered/s',
    'achieved/s',
    'attempts',
    'failed',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'CPU %',
    'CPU ms/op',
    'main thread ms/op',
    'verdict',
  ];
  const rows = steps.map((step) => [
    step.run,
    step.kind + (step.phase === 'fixed' ? ' (fixed)' : ''),
    String(step.offered),
    step.achieved.toFixed(0),
    String(step.created),
    String(step.failed),
    ms(step.p50),
    ms(step.p95),
    ms(step.p99),
    ms(step.max),
    Number.isNaN(step.cpuPercent) ? '-' : step.cpuPercent.toFixed(0),
    Number.isNaN(step.cpuMsPerAttempt) ? '-' : step.cpuMsPerAttempt.toFixed(3),
    Number.isNaN(step.mainThreadCpuMsPerAttempt) ? '-' : step.mainThreadCpuMsPerAttempt.toFixed(3),
    step.verdict,
  ]);
  process.stdout.write(`\nEvery step:\n${table(columns, rows, 2)}\n`);
}

interface Figures {
  register?: Step;
  calls?: Step;
  fixed?: Step;
}

/** Per run: the highest passing step of each sweep, and the fixed-rate step. */
function figuresOf(steps: Step[], run: string): Figures {
  const best = (kind: Kind) =>
    steps
      .filter((s) => s.run === run && s.kind === kind && s.phase === 'sweep' && s.verdict === 'ok')
      .reduce<Step | undefined>((top, s) => (!top || s.achieved > top.achieved ? s : top), undefined);
  return {
    register: best('REGISTER'),
    calls: best('call setup'),
    fixed: steps.find((s) => s.run === run && s.phase === 'fixed'),
  };
}

const summaryColumns = [
  'server',
  'REGISTER/s',
  'REG→200 p50/p99 ms',
  'CPU ms/REGISTER',
  'calls/s',
  'INV→180 p50/p99 ms',
  'CPU ms/call',
  `INV→180 p99 at ${fixedCallRate} calls/s`,
];

function figureCells(f: Figures): string[] {
  const fixed = f.fixed ? `${ms(f.fixed.p99)}${f.fixed.verdict === 'ok' ? '' : ` (${f.fixed.verdict})`}` : '-';
  return [
    f.register ? f.register.achieved.toFixed(0) : '-',
    f.register ? `${ms(f.register.p50)} / ${ms(f.register.p99)}` : '-',
    f.register ? f.register.cpuMsPerAttempt.toFixed(3) : '-',
    f.calls ? f.calls.achieved.toFixed(0) : '-',
    f.calls ? `${ms(f.calls.p50)} / ${ms(f.calls.p99)}` : '-',
    f.calls ? f.calls.cpuMsPerAttempt.toFixed(3) : '-',
    fixed,
  ];
}

/** ours ÷ Kamailio for each figure: above 1 is better for rates, worse for times and CPU. */
function ratioCells(ours: Figures, theirs: Figures): string[] {
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) || b === 0 ? '-' : `${(a / b).toFixed(2)}×`;
  return [
    ratio(ours.register?.achieved, theirs.register?.achieved),
    `${ratio(ours.register?.p50, theirs.register?.p50)} / ${ratio(ours.register?.p99, theirs.register?.p99)}`,
    ratio(ours.register?.cpuMsPerAttempt, theirs.register?.cpuMsPerAttempt),
    ratio(ours.calls?.achieved, theirs.calls?.achieved),
    `${ratio(ours.calls?.p50, theirs.calls?.p50)} / ${ratio(ours.calls?.p99, theirs.calls?.p99)}`,
    ratio(ours.calls?.cpuMsPerAttempt, theirs.calls?.cpuMsPerAttempt),
    ratio(ours.fixed?.p99, theirs.fixed?.p99),
  ];
}

/** One table: per server, mode and transport, with the ratio ours/Kamailio under each of ours. */
function printSummary(steps: Step[], run: { started: Date; loadBefore: string; loadAfter: string }): void {
  const runs = [...new Set(steps.map((s) => s.run))];
  const rows: string[][] = [];
  for (const transport of transports) {
    const label = transport.toUpperCase();
    const kamailio = runs.find((r) => r.startsWith('Kamailio') && r.endsWith(label));
    for (const name of runs.filter((r) => r.endsWith(label))) {
      rows.push([name, ...figureCells(figuresOf(steps, name))]);
      if (kamailio && name !== kamailio && name.startsWith('ours'))
        rows.push([`  ratio ours/Kamailio`, ...ratioCells(figuresOf(steps, name), figuresOf(steps, kamailio))]);
    }
  }
  process.stdout.write(`\n${table(summaryColumns, rows)}\n\n`);
  process.stdout.write(
    [
      `${run.started.toISOString()}, commit ${gitCommit()}${otherBuild ? ` (ours from BENCH_BUILD=${otherBuild})` : fromSource ? ' (ours from src/ through tsx)' : ''}; load average (1, 5, 15 min) ${run.loadBefore} before, ${run.loadAfter} after.`,
      `sipp on 127.0.0.1, ${secondsPerStep} s per step, calls held ${callHoldMs} ms. UDP: one socket; TCP: a connection per client (sipp -t tn).`,
      'Rates: the highest with < 0.1 % failures where ≥ 90 % of the offered rate completed; times and CPU at that rate.',
      'Response times: REGISTER with credentials → 200, INVITE with credentials → 180. CPU: the server process and its',
      "descendants (not sipp, not a PostgreSQL server). Ratios are ours ÷ Kamailio's: above 1 is better for rates, worse for the rest.",
    ].join('\n') + '\n',
  );
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

function log(text: string): void {
  process.stderr.write(`[bench:sip] ${text}\n`);
}

await main();
