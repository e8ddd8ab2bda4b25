/**
 * The embedded database on a thread of its own. PGlite is PostgreSQL compiled to WebAssembly: every
 * statement runs on the thread that called it, and while it runs nothing else does. On the service's
 * own thread that meant SIP waited for every call-record batch and for every report a member of staff
 * opened, and the database's CPU was taken from the one core the service's JavaScript has. Here it
 * runs in a worker thread, and the service's thread only sends statements and reads their rows.
 *
 * `PGliteThread` offers what Kysely's PGlite driver uses of a PGlite instance (`query`, `transaction`,
 * `close`, `ready`, `closed`, `waitReady`), so the driver and every query above it are unchanged.
 * Statements run in the order they are sent; a transaction holds the database until it ends, and
 * statements sent outside it meanwhile wait for it, as they do in PGlite itself.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { DatabaseUnavailableError } from './database-unavailable.js';
import { deserializeError, type HostReply, type HostRequest, type OpenRequest, type QueryOutcome } from './pglite-thread-protocol.js';

type Pending = { resolve: (outcome: QueryOutcome | null) => void; reject: (error: Error) => void };

/** The slice of a PGlite transaction Kysely's driver uses. */
export interface ThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: unknown): Promise<{ rows: T[]; affectedRows?: number }>;
}

export class PGliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #nextTransaction = 1;
  #closed = false;
  /** Why the thread is gone, once it is: every later statement fails with it. */
  #gone: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Opens PGlite on `dataDir` (null: in memory) on a new thread; rejects with PGlite's own error. */
  static async open(dataDir: string | null): Promise<PGliteThread> {
    const worker = startHost({ dataDir });
    const thread = new PGliteThread(worker);
    // Until it has opened, the thread's first word is whether it could; after that, replies.
    let opening = true;
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: HostReply) => {
        if (!opening) thread.#receive(message);
        else if (message.kind === 'opened') resolve();
        else if (message.kind === 'open-failed') reject(deserializeError(message.error));
      });
      worker.on('error', (error) => (opening ? reject(error) : thread.#lose(error)));
      worker.on('exit', (code) => {
        const error = new Error(`the embedded database's thread exited with code ${code}`);
        if (opening) reject(error);
        else thread.#lose(error);
      });
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    opening = false;
    worker.unref();
    return thread;
  }

  get ready(): boolean {
    return !this.#closed;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get waitReady(): Promise<void> {
    return Promise.resolve();
  }

  query<T>(sql: string, params: unknown[] = []): Promise<{ rows: T[]; affectedRows?: number }> {
    return this.#query<T>(sql, params, null);
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const transaction = this.#nextTransaction++;
    await this.#send({ kind: 'begin', id: this.#nextId++, transaction });
    let result: T;
    try {
      result = await work({ query: <R>(sql: string, params: unknown[] = []) => this.#query<R>(sql, params, transaction) });
    } catch (error) {
      await this.#send({ kind: 'end', id: this.#nextId++, transaction, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.#send({ kind: 'end', id: this.#nextId++, transaction, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#gone) await this.#send({ kind: 'close', id: this.#nextId++ });
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  async #query<T>(sql: string, params: unknown[], transaction: number | null): Promise<{ rows: T[]; affectedRows?: number }> {
    const outcome = await this.#send({ kind: 'query', id: this.#nextId++, sql, params, transaction });
    return { rows: (outcome?.rows ?? []) as T[], ...(outcome?.affectedRows === undefined ? {} : { affectedRows: outcome.affectedRows }) };
  }

  #send(request: HostRequest): Promise<QueryOutcome | null> {
    if (this.#gone) return Promise.reject(this.#gone);
    if (this.#closed) return Promise.reject(new Error('PGlite is closed'));
    return new Promise((resolve, reject) => {
      // The thread keeps the process alive only while it owes an answer, as a socket with a query
      // on it would: a command that returns without closing the database still exits.
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(request.id, { resolve, reject });
      this.#worker.postMessage(request);
    });
  }

  #receive(message: HostReply): void {
    if (message.kind !== 'done' && message.kind !== 'failed') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (message.kind === 'done') pending.resolve(message.outcome);
    else pending.reject(deserializeError(message.error));
  }

  /** The thread died (out of memory, a crash in PGlite): what waits and what comes fails, never hangs. */
  #lose(cause: Error): void {
    if (this.#gone || this.#closed) return;
    this.#gone = new DatabaseUnavailableError('The embedded database stopped', { cause });
    for (const pending of this.#pending.values()) pending.reject(this.#gone);
    this.#pending.clear();
  }

  /** For Kysely's PGlite driver, which is typed for the real thing. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}

/**
 * The built host next to this file; from source (tests, tsx) the TypeScript host, loaded through
 * tsx's loader registered inside the new thread (a worker thread does not inherit the loader its
 * parent was started with).
 */
function startHost(open: OpenRequest): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./pglite-thread-host.js', here), { workerData: open });
  // tsx's ESM entry (the package's `import` condition); its CommonJS one registers a loader that
  // cannot find its own files.
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const host = new URL('./pglite-thread-host.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(host)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: open });
}
