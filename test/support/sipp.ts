import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onCpus, repoRoot } from './process.js';

/**
 * SIPp (Debian/Ubuntu package `sip-tester`) driving the scenarios in bench/sipp/ against a running
 * service. Each run works in its own directory: sipp writes its statistics, traces and response
 * times next to the scenario, so the scenarios are copied there and read back after it exits.
 */
export const sippPath = process.env.SIPP_PATH ?? '/usr/bin/sipp';
export const sippInstalled = existsSync(sippPath);
export const scenarioDir = path.join(repoRoot, 'bench/sipp');

/** sipp's transport modes: UDP on one socket, TCP on one connection, TCP on a connection per call. */
export type SippTransport = 'u1' | 't1' | 'tn';

export interface SippOptions {
  /** A file name in bench/sipp/, e.g. `uac-call.xml`. */
  scenario: string;
  /** Incoming requests that match no call of `scenario` run this one (`-oocsf`), e.g. a callee's answer. */
  outOfCallScenario?: string;
  /** `host:port` of the service; needed by scenarios that start by sending. */
  target?: string;
  transport: SippTransport;
  localPort: number;
  /** An injection file (`-inf`), as `videophone sip provision --csv` writes it. */
  injectionFile?: string;
  /** `[service]` in the scenarios: the number called. */
  service?: string;
  /**
   * The digest `uri` (`-auth_uri`), which must name the Request-URI (RFC 7616 §3.4.6); sipp's
   * default is the remote address. `vp.test` for REGISTER, `<callee>@vp.test` for INVITE.
   */
  authUri?: string;
  /** Calls to place (`-m`); sipp exits after them. Omitted: it runs until stopped. */
  calls?: number;
  /** Calls started per second (`-r`) and the most open at once (`-l`). */
  rate?: number;
  limit?: number;
  /**
   * Most sockets open at once (`-max_socket`); sipp refuses to start when its default (50,000) is
   * above the open-file limit, which matters with a connection per call (`tn`).
   */
  maxSockets?: number;
  /** `<pause/>` length (`-d`): how long a call is held, or how long a callee stays registered. */
  pauseMs?: number;
  /** Write every message sent and received to messages.log (`-trace_msg`); costly under load. */
  traceMessages?: boolean;
  /** Write each response time to an `_rtt.csv` file (`-trace_rtt`). */
  traceResponseTimes?: boolean;
  /**
   * sipp's default is to send a BYE for every call it aborts, even one that never had a dialog (a
   * REGISTER answered 503, an INVITE refused): `-default_behaviors all,-bye` turns that off, as a
   * real client sends none. The call still counts as failed.
   */
  noByeOnAbort?: boolean;
  /**
   * The CPUs sipp may run on, as taskset(1) lists them (`1`, `0-1`): a bench keeps the load
   * generator off the cores of the server it measures. Unset: any.
   */
  cpus?: string;
  /** Killed (and reported with exit code null) if still running after this long. */
  timeoutMs: number;
  /** Working directory, one per run; a fresh temporary one by default. */
  dir?: string;
}

export interface SippStats {
  created: number;
  successful: number;
  failed: number;
  /** From sipp's start to its last statistics row. */
  elapsedSeconds: number;
  /** The last row of the statistics file, by column name (e.g. `FailedMaxUDPRetrans(C)`). */
  counters: Record<string, string>;
}

export interface SippResult {
  exitCode: number | null;
  dir: string;
  /** Everything sipp printed: the final screens, warnings and errors. */
  output: string;
  /** Null when sipp died before writing statistics. */
  stats: SippStats | null;
  /** The messages log (with `traceMessages`) and the unexpected-message log, for failure reports. */
  messages: () => string;
  errors: () => string;
  /** Response times in milliseconds, by rtd number (with `traceResponseTimes`). */
  responseTimes: () => Map<number, number[]>;
}

export interface SippProcess {
  pid: number | undefined;
  done: Promise<SippResult>;
  /** Stops it at once (SIGKILL); `done` still resolves with whatever it wrote. */
  kill: () => void;
}

/** sipp's exit codes (sipp(1)): 0 every call succeeded, 1 at least one failed. */
export const SIPP_EXIT = { allSucceeded: 0, someFailed: 1, internalCommand: 97, noCallsProcessed: 99 } as const;

export function startSipp(options: SippOptions): SippProcess {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'vp-sipp-'));
  for (const scenario of [options.scenario, options.outOfCallScenario]) {
    if (scenario && !existsSync(path.join(dir, scenario))) copyFileSync(path.join(scenarioDir, scenario), path.join(dir, scenario));
  }
  const args = [
    ...(options.target ? [options.target] : []),
    '-sf',
    options.scenario,
    ...(options.outOfCallScenario ? ['-oocsf', options.outOfCallScenario] : []),
    '-t',
    options.transport,
    '-i',
    '127.0.0.1',
    '-p',
    String(options.localPort),
    ...(options.injectionFile ? ['-inf', options.injectionFile] : []),
    ...(options.service ? ['-s', options.service] : []),
    ...(options.authUri ? ['-auth_uri', options.authUri] : []),
    ...(options.calls !== undefined ? ['-m', String(options.calls)] : []),
    ...(options.rate !== undefined ? ['-r', String(options.rate)] : []),
    ...(options.limit !== undefined ? ['-l', String(options.limit)] : []),
    ...(options.pauseMs !== undefined ? ['-d', String(options.pauseMs)] : []),
    ...(options.maxSockets !== undefined ? ['-max_socket', String(options.maxSockets)] : []),
    '-nostdin',
    '-trace_stat',
    '-stf',
    'stats.csv',
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    'errors.log',
    ...(options.traceMessages ? ['-trace_msg', '-message_file', 'messages.log'] : []),
    ...(options.traceResponseTimes ? ['-trace_rtt', '-rtt_freq', '1'] : []),
    ...(options.noByeOnAbort ? ['-default_behaviors', 'all,-bye'] : []),
  ];
  const [command, commandArgs] = onCpus(options.cpus, sippPath, args);
  const child = spawn(command, commandArgs, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // The screen is redrawn every second; the last few screens are all a failure report needs.
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-64_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const done = new Promise<SippResult>((resolve) => {
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      resolve(sippResult(dir, exitCode, output));
    };
    child.once('error', (error) => {
      output += `\ncould not run ${sippPath}: ${error.message}`;
      finish(null);
    });
    child.once('close', (code, signal) => finish(signal ? null : code));
  });
  return { pid: child.pid, done, kill: () => child.kill('SIGKILL') };
}

export function runSipp(options: SippOptions): Promise<SippResult> {
  return startSipp(options).done;
}

function sippResult(dir: string, exitCode: number | null, output: string): SippResult {
  const read = (name: string) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : '');
  const statsText = read('stats.csv');
  return {
    exitCode,
    dir,
    output,
    stats: statsText ? parseSippStats(statsText) : null,
    messages: () => read('messages.log'),
    errors: () => read('errors.log'),
    responseTimes: () => {
      const times = new Map<number, number[]>();
      for (const file of readdirSync(dir).filter((name) => name.endsWith('_rtt.csv'))) {
        for (const [rtd, ms] of parseResponseTimes(read(file))) {
          const list = times.get(rtd) ?? [];
          for (const value of ms) list.push(value);
          times.set(rtd, list);
        }
      }
      return times;
    },
  };
}

/** The `-trace_stat` file: a header row of counter names, then one `;`-separated row per dump. */
export function parseSippStats(text: string): SippStats | null {
  const rows = text.split('\n').filter((line) => line.trim() !== '');
  const header = rows[0]?.split(';');
  const first = rows[1]?.split(';');
  const last = rows.at(-1)?.split(';');
  if (!header || !first || !last || rows.length < 2) return null;
  const counters: Record<string, string> = {};
  header.forEach((name, index) => {
    if (name) counters[name] = last[index] ?? '';
  });
  const number = (name: string) => Number(counters[name] ?? Number.NaN);
  // Times are "date<TAB>time<TAB>epoch-seconds".
  const epoch = (cell: string | undefined) => Number(cell?.split('\t')[2] ?? Number.NaN);
  return {
    created: number('TotalCallCreated'),
    successful: number('SuccessfulCall(C)'),
    failed: number('FailedCall(C)'),
    elapsedSeconds: epoch(last[header.indexOf('CurrentTime')]) - epoch(first[header.indexOf('StartTime')]),
    counters,
  };
}

/** The `-trace_rtt` file: `Date_ms;response_time_ms;rtd_no` rows. */
export function parseResponseTimes(text: string): Map<number, number[]> {
  const times = new Map<number, number[]>();
  for (const line of text.split('\n')) {
    const [date, ms, rtd] = line.split(';');
    if (!date || !ms || !rtd || !/^[\d.]+$/.test(ms)) continue;
    const list = times.get(Number(rtd)) ?? [];
    list.push(Number(ms));
    times.set(Number(rtd), list);
  }
  return times;
}

/** Nearest-rank percentile of milliseconds; NaN for no samples. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * An injection file in the format `videophone sip provision --csv` writes: `SEQUENTIAL`, then
 * `number;domain;[authentication username=N password=pwN]` (field0, field1, field2).
 */
export function writeInjectionFile(file: string, numbers: string[], domain: string): string {
  const lines = ['SEQUENTIAL', ...numbers.map((n) => `${n};${domain};[authentication username=${n} password=pw${n}]`)];
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** What a failing assertion shows: the exit code, the end of the screen and the unexpected messages. */
export function describeRun(result: SippResult): string {
  return [
    `sipp in ${result.dir} exited ${result.exitCode}`,
    result.output.slice(-3000),
    result.errors().slice(-3000),
    result.messages().slice(-4000),
  ].join('\n');
}
