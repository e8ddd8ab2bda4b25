/**
 * SIP capacity on loopback: `npm run bench:sip`.
 *
 * Starts the service as `videophone serve` does (embedded database in a temporary DATA_DIR, numbers
 * provisioned with `videophone sip provision --csv`), then drives sipp over UDP at rising rates,
 * one step of BENCH_SECONDS_PER_STEP seconds per rate:
 *   - authenticated REGISTER (register.xml: REGISTER → 401 → REGISTER → 200), 10,000 phones;
 *   - call setups through the proxy (uac-call.xml: INVITE → 407 → INVITE → 180 → 200 → ACK → BYE),
 *     10,000 callers, answered by a sipp callee (uas-answer.xml) registered from its own port.
 * A sweep stops at the first rate with ≥ 0.1 % failed calls, or where the service no longer keeps
 * up (less than 90 % of the offered rate completes); when the first rate already fails, it halves
 * the rate until one passes. Response times come from sipp's -trace_rtt (1 ms resolution):
 * REGISTER with credentials → 200, and INVITE with credentials → 180. The service's CPU time per
 * step comes from /proc (Linux).
 *
 * Environment: BENCH_SECONDS_PER_STEP (10), BENCH_MAX_RATE (16000), BENCH_RATES (e.g. `50,100,200`
 * instead of the doubling steps), BENCH_ONLY=register|calls (one sweep), BENCH_CALL_HOLD_MS (1000),
 * BENCH_CPU_PROF=1 (V8 CPU profile of the service, kept in the work directory), BENCH_TRACE=1
 * (sipp -trace_msg for every message: slow, to find out why calls fail), BENCH_KEEP=1 (keep the
 * work directory), DATABASE_URL (PostgreSQL instead of the embedded database; numbers are
 * provisioned into it).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectOutput, exited, freePort, repoRoot, runCli, waitForOk } from '../test/support/process.js';
import { describeRun, percentile, runSipp, SIPP_EXIT, sippInstalled, sippPath, startSipp, type SippResult } from '../test/support/sipp.js';

const secondsPerStep = positiveNumber('BENCH_SECONDS_PER_STEP', 10);
const maxRate = positiveNumber('BENCH_MAX_RATE', 16_000);
const callHoldMs = positiveNumber('BENCH_CALL_HOLD_MS', 1_000);
const only = process.env.BENCH_ONLY ?? '';
const cpuProfile = process.env.BENCH_CPU_PROF === '1';
const traceMessages = process.env.BENCH_TRACE === '1';
const keepWorkDir = process.env.BENCH_KEEP === '1' || cpuProfile || traceMessages;

const FAILURE_LIMIT = 0.001;
const KEEP_UP_RATIO = 0.9;
const LOWEST_PROBE_RATE = 10;
const DOMAIN = 'vp.test';
const REGISTERING_PHONES = 10_000;
const CALLERS = 10_000;

type Kind = 'REGISTER' | 'call setup';

interface Step {
  kind: Kind;
  offered: number;
  created: number;
  failed: number;
  /** Completed measurements (200 to REGISTER, 180 to INVITE) per second while the step ran. */
  achieved: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The service's CPU time over the step: share of one core, and per attempt. */
  cpuPercent: number;
  cpuMsPerAttempt: number;
  verdict: 'ok' | 'failures' | 'cannot keep up' | 'sipp error';
}

interface Server {
  sipPort: number;
  /** User plus system CPU seconds so far, or NaN where /proc is not available. */
  cpuSeconds: () => number;
  stop: () => Promise<void>;
}

function positiveNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
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
  const work = mkdtempSync(path.join(tmpdir(), 'vp-sip-bench-'));
  const dataDir = path.join(work, 'data');
  mkdirSync(dataDir);
  log(`work directory ${work}`);

  const numbers = await provision(work, dataDir);
  const server = await startServer(work, dataDir);
  const target = `127.0.0.1:${server.sipPort}`;
  const steps: Step[] = [];
  try {
    if (only !== 'calls') {
      const localPort = await freePort();
      const register = (rate: number) =>
        runSipp({
          scenario: 'register.xml',
          target,
          transport: 'u1',
          localPort,
          injectionFile: numbers.phones,
          authUri: DOMAIN,
          calls: Math.round(rate * secondsPerStep),
          rate,
          // Registrations outstanding beyond one second's worth mean the service has fallen behind.
          limit: Math.max(100, rate),
          traceResponseTimes: true,
          traceMessages,
          timeoutMs: (secondsPerStep * 3 + 60) * 1000,
          dir: stepDir(work, `register-${rate}`),
        });
      steps.push(...(await sweep('REGISTER', register, server)));
      await untilIdle(server);
    }

    if (only !== 'register') {
      const calleePort = await freePort();
      const registered = await runSipp({
        scenario: 'register.xml',
        target,
        transport: 'u1',
        localPort: calleePort,
        injectionFile: numbers.callee,
        authUri: DOMAIN,
        calls: 1,
        timeoutMs: 10_000,
        dir: stepDir(work, 'callee-register'),
      });
      if (registered.exitCode !== 0) throw new Error(`the callee could not register\n${describeRun(registered)}`);
      // Over UDP the binding's flow is this address and port, so the callee answers from the same port.
      const answering = startSipp({
        scenario: 'uas-answer.xml',
        transport: 'u1',
        localPort: calleePort,
        traceMessages,
        timeoutMs: 3_600_000,
        dir: stepDir(work, 'callee'),
      });
      const call = async (rate: number) =>
        runSipp({
          scenario: 'uac-call.xml',
          target,
          transport: 'u1',
          localPort: await freePort(),
          injectionFile: numbers.callers,
          service: numbers.calleeNumber,
          authUri: `${numbers.calleeNumber}@${DOMAIN}`,
          calls: Math.round(rate * secondsPerStep),
          rate,
          pauseMs: callHoldMs,
          limit: Math.max(100, Math.ceil((rate * (callHoldMs + 1000)) / 1000)),
          traceResponseTimes: true,
          traceMessages,
          timeoutMs: (secondsPerStep * 3 + 60) * 1000 + callHoldMs,
          dir: stepDir(work, `calls-${rate}`),
        });
      try {
        steps.push(...(await sweep('call setup', call, server)));
      } finally {
        answering.kill();
        await answering.done;
      }
    }
  } finally {
    await server.stop();
  }

  printSummary(steps);
  if (cpuProfile)
    log(
      `CPU profile of the service: ${readdirSync(work)
        .filter((f) => f.endsWith('.cpuprofile'))
        .join(', ')}`,
    );
  if (keepWorkDir) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/** Rising rates until one fails; if the first already fails, halving rates until one passes. */
async function sweep(kind: Kind, run: (rate: number) => Promise<SippResult>, server: Server): Promise<Step[]> {
  const steps: Step[] = [];
  const measure = async (rate: number) => {
    const cpuBefore = server.cpuSeconds();
    const started = Date.now();
    const result = await run(rate);
    const step = summarize(kind, rate, result, server.cpuSeconds() - cpuBefore, (Date.now() - started) / 1000);
    steps.push(step);
    printStep(step);
    return step;
  };
  for (const rate of rateSteps()) {
    if ((await measure(rate)).verdict !== 'ok') break;
  }
  if (!process.env.BENCH_RATES && steps.length === 1 && steps[0]!.verdict !== 'ok') {
    for (let rate = Math.floor(steps[0]!.offered / 2); rate >= LOWEST_PROBE_RATE; rate = Math.floor(rate / 2)) {
      // Transactions of the failed step are still retransmitting (Timer B runs 32 s).
      await untilIdle(server);
      if ((await measure(rate)).verdict === 'ok') break;
    }
  }
  return steps;
}

/** Numbers for registering phones, callers and one callee, through the CLI as an operator would. */
async function provision(work: string, dataDir: string) {
  const first = 100_000;
  const last = first + REGISTERING_PHONES + CALLERS;
  const csv = path.join(work, 'numbers.csv');
  const cli = runCli(['sip', 'provision', '--from', String(first), '--to', String(last), '--csv', csv], { DATA_DIR: dataDir });
  const output = collectOutput(cli);
  if ((await exited(cli)) !== 0) throw new Error(`provisioning failed:\n${output.text()}`);
  const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
  const write = (name: string, rows: string[]) => {
    const file = path.join(work, name);
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    return file;
  };
  const calleeLine = lines.at(-1)!;
  return {
    phones: write('phones.csv', lines.slice(0, REGISTERING_PHONES)),
    callers: write('callers.csv', lines.slice(REGISTERING_PHONES, REGISTERING_PHONES + CALLERS)),
    callee: write('callee.csv', [calleeLine]),
    calleeNumber: calleeLine.split(';')[0]!,
  };
}

async function startServer(work: string, dataDir: string): Promise<Server> {
  const httpPort = await freePort();
  const sipPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', work] : []), '--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), 'serve'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output = collectOutput(child);
  try {
    await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.text()}`);
  }
  log(`service listening: SIP ${sipPort}, HTTP ${httpPort}${cpuProfile ? ' (CPU profile on)' : ''}`);
  return {
    sipPort,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      child.kill('SIGTERM');
      const code = await exited(child);
      const text = output.text().trim();
      if (code !== 0 || text) log(`service exited ${code}${text ? `; it said:\n${text.slice(-4000)}` : ''}`);
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

/** proc(5): utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks. */
function processCpuSeconds(pid: number | undefined): number {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return Number.NaN;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Waits until the service uses under 5 % of a core for two seconds (at most 60 s). */
async function untilIdle(server: Server): Promise<void> {
  const started = Date.now();
  let quiet = 0;
  while (quiet < 2 && Date.now() - started < 60_000) {
    const before = server.cpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const used = server.cpuSeconds() - before;
    quiet = Number.isNaN(used) || used < 0.05 ? quiet + 1 : 0;
  }
}

function summarize(kind: Kind, offered: number, result: SippResult, cpuSeconds: number, wallSeconds: number): Step {
  const samples = result.responseTimes().get(1) ?? [];
  const stats = result.stats;
  const created = stats?.created ?? 0;
  const failed = stats?.failed ?? 0;
  const achieved = completionRate(result);
  let verdict: Step['verdict'] = 'ok';
  if (!stats || (result.exitCode !== SIPP_EXIT.allSucceeded && result.exitCode !== SIPP_EXIT.someFailed)) verdict = 'sipp error';
  else if (created === 0 || failed / created >= FAILURE_LIMIT) verdict = 'failures';
  else if (achieved < KEEP_UP_RATIO * offered) verdict = 'cannot keep up';
  if (verdict === 'sipp error') log(describeRun(result));
  return {
    kind,
    offered,
    created,
    failed,
    achieved,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
    cpuPercent: (100 * cpuSeconds) / wallSeconds,
    cpuMsPerAttempt: created ? (1000 * cpuSeconds) / created : Number.NaN,
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
function stepDir(work: string, name: string): string {
  let dir = path.join(work, name);
  for (let n = 2; existsSync(dir); n += 1) dir = path.join(work, `${name}-${n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const columns = [
  'what',
  'offered/s',
  'achieved/s',
  'attempts',
  'failed',
  'failed %',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'max ms',
  'CPU %',
  'CPU ms/op',
  'verdict',
];

function row(step: Step): string[] {
  const ms = (value: number) => (Number.isNaN(value) ? '-' : String(Math.round(value)));
  return [
    step.kind,
    String(step.offered),
    step.achieved.toFixed(0),
    String(step.created),
    String(step.failed),
    step.created ? ((100 * step.failed) / step.created).toFixed(2) : '-',
    ms(step.p50),
    ms(step.p95),
    ms(step.p99),
    ms(step.max),
    Number.isNaN(step.cpuPercent) ? '-' : step.cpuPercent.toFixed(0),
    Number.isNaN(step.cpuMsPerAttempt) ? '-' : step.cpuMsPerAttempt.toFixed(2),
    step.verdict,
  ];
}

function table(rows: string[][]): string {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((r) => r[i]!.length)));
  const text = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [text(columns), text(widths.map((w) => '-'.repeat(w))), ...rows.map(text)].join('\n');
}

function printStep(step: Step): void {
  const [, , achieved, attempts, failed, , p50, p95, p99, , cpu, cpuPerOp] = row(step);
  log(
    `${step.kind} at ${step.offered}/s: achieved ${achieved}/s, ${failed}/${attempts} failed, p50/p95/p99 ${p50}/${p95}/${p99} ms, ` +
      `service CPU ${cpu} % (${cpuPerOp} ms per attempt): ${step.verdict}`,
  );
}

function printSummary(steps: Step[]): void {
  const best = (kind: Kind) => steps.filter((s) => s.kind === kind && s.verdict === 'ok').reduce((top, s) => Math.max(top, s.achieved), 0);
  process.stdout.write(`\n${table(steps.map(row))}\n\n`);
  if (only !== 'calls') process.stdout.write(`Highest REGISTER/s with < 0.1 % failures:    ${best('REGISTER').toFixed(0)}\n`);
  if (only !== 'register') process.stdout.write(`Highest call setups/s with < 0.1 % failures: ${best('call setup').toFixed(0)}\n`);
  process.stdout.write(
    `(sipp over UDP on 127.0.0.1, ${secondsPerStep} s per step, calls held ${callHoldMs} ms; response times: ` +
      `REGISTER with credentials → 200, INVITE with credentials → 180; CPU: the service process, 100 % = one core)\n`,
  );
}

function log(text: string): void {
  process.stderr.write(`[bench:sip] ${text}\n`);
}

await main();
