import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The CLI as a newcomer runs it, started the way `cliEntry` says. */
export function runCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...cliEntry(), ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

let entry: string[] | undefined;

/**
 * Node's arguments that start the CLI: the built JavaScript that `npm start` runs when dist/server
 * is newer than every source file (`npm ci` builds it, so CI always has it), otherwise the
 * TypeScript sources through tsx, so a test after an edit runs the edit without a build step. Loading
 * the sources through tsx costs each process about two seconds of CPU more, and the suite starts
 * servers, their SIP workers and CLI commands a few hundred times.
 */
export function cliEntry(): string[] {
  entry ??= builtCliIsCurrent() ? [builtCli] : ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts')];
  return entry;
}

/** The CLI as `npm run build:server` leaves it. */
export const builtCli = path.join(repoRoot, 'dist/server/cli/main.js');

/** The build exists and no file in `src/` changed after it. */
export function builtCliIsCurrent(): boolean {
  return existsSync(builtCli) && statSync(builtCli).mtimeMs >= newestModification(path.join(repoRoot, 'src'));
}

/** The latest modification time of any file under `dir`. */
export function newestModification(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function collectOutput(child: ChildProcess): { text: () => string } {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text };
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * Ports handed out from below the kernel's ephemeral range (32768–60999 on Linux) and below the
 * ranges rtpengine and coturn relay media on in tests (30000 and up). A port from `listen(0)` was
 * free only when asked: between that and the moment a service binds it, any outgoing connection on
 * the machine can take it as its local port, and one did (EADDRINUSE in a browser test whose service
 * binds seconds after choosing). Nothing takes a port from this range unless asked for it. Each test
 * worker (`VITEST_POOL_ID`) takes its own block, in turn, so two files running at once never choose
 * the same port.
 */
const PORTS_FROM = 10_000;
const PORTS_PER_WORKER = 2_000;
const WORKER_BLOCKS = 10;
const workerBlock = (Number(process.env.VITEST_POOL_ID ?? '1') - 1) % WORKER_BLOCKS;
let portOffset = Math.floor(Math.random() * PORTS_PER_WORKER);

/** A port on `host` that no one listens on over TCP or UDP now, which only this test worker will choose. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return freePortRange(1, host);
}

/**
 * The first of `count` consecutive ports free on `host` (as `freePort`): for a program that takes
 * ports of its own from a range (baresip's RTP ports). Ranges from one worker never overlap.
 */
export async function freePortRange(count: number, host = '127.0.0.1'): Promise<number> {
  for (let tries = 0; tries < PORTS_PER_WORKER; tries += 1) {
    if (portOffset + count > PORTS_PER_WORKER) portOffset = 0;
    const first = PORTS_FROM + workerBlock * PORTS_PER_WORKER + portOffset;
    portOffset += count;
    let free = true;
    for (let port = first; free && port < first + count; port += 1)
      free = (await canListen('tcp', host, port)) && (await canListen('udp', host, port));
    if (free) return first;
  }
  throw new Error(`no ${count} free ports on ${host} in this worker's block`);
}

function canListen(protocol: 'tcp' | 'udp', host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'tcp') {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => server.close(() => resolve(true)));
    } else {
      const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    }
  });
}

/** Polls until the URL answers 200, or gives up after `limitMs`; returns the milliseconds it took. */
export async function waitForOk(url: string, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    try {
      if ((await fetch(url)).status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${limitMs} ms`);
}

/**
 * A command run on the given CPUs only: taskset(1) sets the affinity and then executes the command
 * in its own process, so the pid, the signals and the exit code are the command's. Threads and
 * processes it starts inherit the affinity.
 */
export function onCpus(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  if (cpus === undefined) return [command, args];
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(cpus)) throw new Error(`not a CPU list for taskset: ${cpus}`);
  return ['taskset', ['--cpu-list', cpus, command, ...args]];
}
