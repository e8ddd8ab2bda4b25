import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.js';

const run = promisify(execFile);

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) if (existsSync(path.join(root, version, 'bin/pg_ctl'))) return path.join(root, version, 'bin');
  return null;
}

const bin = binDir();

/** A backend may exit between listing /proc and the signal (a client disconnected): that is not an error. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
export const privatePostgresAvailable = bin !== null;

/**
 * A PostgreSQL server of the test's own, on a free loopback port in a temporary directory, that the
 * test may stop, start, freeze (SIGSTOP) and thaw. initdb refuses to run as root, so as root the
 * server runs as the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<PrivatePostgres> {
    if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
    const dir = mkdtempSync(path.join(tmpdir(), 'vp-pg-'));
    const server = new PrivatePostgres(dir, await freePort());
    if (userInfo().uid === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await server.#pg('initdb', ['-D', server.#data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    return server;
  }

  get #data(): string {
    return path.join(this.dir, 'data');
  }

  async #pg(tool: string, args: string[]): Promise<void> {
    const command = path.join(bin!, tool);
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: this.dir });
    else await run(command, args, { cwd: this.dir });
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=40`;
    await this.#pg('pg_ctl', ['-D', this.#data, '-l', path.join(this.dir, 'log'), '-o', options, '-w', 'start']);
  }

  /** Starts it unless it runs already (tests that need it up do not depend on an earlier test). */
  async ensureStarted(): Promise<void> {
    if (!existsSync(path.join(this.#data, 'postmaster.pid'))) await this.start();
  }

  /** A fast shutdown: clients are disconnected (57P01), new connections are refused. */
  async stop(): Promise<void> {
    await this.#pg('pg_ctl', ['-D', this.#data, '-m', 'fast', '-w', 'stop']);
  }

  /** The postmaster and every server process it started. */
  #pids(): number[] {
    const postmaster = Number(readFileSync(path.join(this.#data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [postmaster, ...children];
  }

  /** Every server process stops where it is: connections stay open and nothing answers. */
  freeze(): void {
    // The postmaster first: while it runs it can fork a backend (a pool opening a connection) after
    // the list of its children is read, and that one would go on answering. Stopped, it forks none.
    signal(this.#pids()[0]!, 'SIGSTOP');
    for (const pid of this.#pids().slice(1)) signal(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.#pids()) signal(pid, 'SIGCONT');
  }

  async destroy(): Promise<void> {
    if (existsSync(path.join(this.#data, 'postmaster.pid'))) {
      this.thaw();
      await this.#pg('pg_ctl', ['-D', this.#data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
