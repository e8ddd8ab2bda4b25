import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { postgresReachable, postgresUrl } from './engines.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from './process.js';

/**
 * Several nodes of the service (issue #17): separate `videophone serve` processes on one PostgreSQL
 * database and one Redis, each listening on its own loopback address (all of 127.0.0.0/8 answers on
 * Linux without aliases), so Via, Record-Route and Path name a different host per node as they
 * would on separate machines.
 */
export const redisServer = '/usr/bin/redis-server';

/** A Redis of the test's own, on a free port, saving nothing: a restart brings it back empty. */
export class OwnRedis {
  child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      redisServer,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: 'ignore' },
    );
    const client = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    const started = Date.now();
    for (;;) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        if (Date.now() - started > 10_000) throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Gone at once, with everything it held. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    if (this.child) await exited(this.child);
  }
}

export interface ServiceNode {
  name: string;
  /** Its own loopback address: HTTP, WebSocket and SIP listen there, and it advertises it. */
  address: string;
  sipPort: number;
  httpPort: number;
  env: Record<string, string>;
  child: ChildProcess | null;
  output: { text: () => string } | null;
  /** SIP over WebSocket (RFC 7118), as a browser connects. */
  wsUrl: string;
}

export interface NodeClusterOptions {
  nodes: { name: string; address: string; jobs: boolean }[];
  /** Numbers provisioned with `videophone sip provision` (password `pw<number>`). */
  numbers: { from: string; to: string };
  domain: string;
  /** Set on every node. */
  env?: Record<string, string>;
}

/**
 * The nodes, their database and their Redis. `startNodeCluster` returns null when PostgreSQL or
 * redis-server is missing on a developer machine; under CI=true that is an error.
 */
export class NodeCluster {
  readonly #dirs: string[] = [];
  readonly nodes: ServiceNode[] = [];
  /** The cluster's database, for reading what the nodes recorded. */
  db!: pg.Pool;
  redis!: OwnRedis;
  /** Reads the test's Redis; while it is down it only retries. */
  probe!: Redis;
  readonly database = `vp_cluster_${randomBytes(4).toString('hex')}`;
  #admin: pg.Client | null = null;

  temporaryDir(prefix: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    this.#dirs.push(dir);
    return dir;
  }

  node(name: string): ServiceNode {
    const node = this.nodes.find((candidate) => candidate.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  async setUp(options: NodeClusterOptions): Promise<void> {
    this.redis = new OwnRedis(await freePort('127.0.0.1'), this.temporaryDir('vp-redis-'));
    await this.redis.start();
    this.probe = new Redis({ port: this.redis.port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    this.probe.on('error', () => undefined);
    this.#admin = new pg.Client({ connectionString: postgresUrl });
    await this.#admin.connect();
    await this.#admin.query(`create database ${this.database}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${this.database}`;
    this.db = new pg.Pool({ connectionString: url.toString(), max: 2, application_name: PROBE_APPLICATION });
    // The database is dropped at the end; a connection still closing then hears "terminating connection".
    this.db.on('error', () => undefined);
    const secret = randomBytes(24).toString('hex');
    const addresses = ['127.0.0.1', ...options.nodes.map((node) => node.address)].join(',');
    for (const { name, address, jobs } of options.nodes) {
      const httpPort = await freePort(address);
      const sipPort = await freePort(address);
      this.nodes.push({
        name,
        address,
        httpPort,
        sipPort,
        child: null,
        output: null,
        wsUrl: `ws://${address}:${httpPort}/sip`,
        env: {
          DATA_DIR: this.temporaryDir('vp-data-'),
          DATABASE_URL: url.toString(),
          REDIS_URL: this.redis.url,
          NODE_ID: name,
          // Nonces and flow tokens made by one node verify on every other.
          SIP_SECRET: secret,
          HOST: address,
          PORT: String(httpPort),
          SIP_HOST: address,
          SIP_PORT: String(sipPort),
          SIP_ADVERTISED_ADDRESS: address,
          SIP_DOMAIN: options.domain,
          SIP_RATE_LIMIT_EXEMPT: addresses,
          // Scheduled jobs (the stale-call job among them) run on one node, as an operator sets it up.
          JOBS_ENABLED: String(jobs),
          ...options.env,
        },
      });
    }
    // `sip provision` applies the migrations first, so the nodes can then start on a ready database.
    const provision = runCli(['sip', 'provision', '--from', options.numbers.from, '--to', options.numbers.to], this.nodes[0]!.env);
    const output = collectOutput(provision);
    const code = await exited(provision);
    if (code !== 0) throw new Error(`sip provision failed (${code}):\n${output.text()}`);
    for (const node of this.nodes) await this.start(node);
  }

  async start(node: ServiceNode): Promise<void> {
    node.child = runCli(['serve'], node.env);
    const output = collectOutput(node.child);
    node.output = output;
    await waitForOk(`http://${node.address}:${node.httpPort}/readyz`, 120_000).catch((error: Error) => {
      throw new Error(`${node.name}: ${error.message}\n${output.text()}`);
    });
  }

  /** kill -9: the node's connections close with it, and it writes nothing more. */
  async kill(node: ServiceNode): Promise<void> {
    if (!node.child || !running(node.child)) return;
    node.child.kill('SIGKILL');
    await exited(node.child);
  }

  /** What every node logged (warnings and errors), for a failing assertion's message. */
  logs(): string {
    return this.nodes.map((node) => `--- ${node.name} (${node.address})\n${node.output?.text().slice(-6_000) ?? ''}`).join('\n');
  }

  async close(): Promise<void> {
    for (const node of this.nodes) if (node.child && running(node.child)) await this.kill(node);
    this.probe?.disconnect();
    await this.redis?.kill();
    await this.db?.end().catch(() => undefined);
    if (this.#admin) {
      // pg's pool resolves end() before its connections are closed; dropping the database under one
      // that is still closing fails it with 57P01, unheard. Wait (briefly) until they are gone.
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const open = await this.#admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = $2',
          [this.database, PROBE_APPLICATION],
        );
        if (open.rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await this.#admin.query(`drop database if exists ${this.database} with (force)`).catch(() => undefined);
      await this.#admin.end();
    }
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** How this test's own connections name themselves to PostgreSQL. */
const PROBE_APPLICATION = 'videophone-test-probe';

/** A process killed by a signal keeps `exitCode` null: it has exited all the same. */
function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Whether this machine can run several nodes: PostgreSQL and redis-server. Under CI=true, missing is an error. */
export async function clusterAvailable(): Promise<boolean> {
  const ci = process.env.CI === 'true';
  if (!existsSync(redisServer)) {
    if (ci) throw new Error(`CI=true needs ${redisServer}: apt-get install redis-server`);
    return false;
  }
  return postgresReachable();
}
