import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Kysely, PGliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.js';
import { lockDataDir } from './data-dir-lock.js';
import { DatabaseUnavailableError } from './database-unavailable.js';
import { PGliteThread } from './pglite-thread.js';
import { INT8_OID, NUMERIC_OID, parseInt8, parseNumeric } from './type-parsers.js';
import type { Database } from './schema.js';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector.js';

export { DatabaseUnavailableError } from './database-unavailable.js';

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /**
   * Runs `work` only if no other holder (in any process on any node) holds the lock named `name`.
   * Returns `{ acquired: false }` at once when it is held elsewhere.
   */
  withAdvisoryLock<T>(name: string, work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(database: Config['database']): Promise<DatabaseHandle> {
  return database.kind === 'postgres'
    ? openPostgres(database.url, database.poolSize, {
        connectTimeoutMs: database.connectTimeoutMs,
        queryTimeoutMs: database.queryTimeoutMs,
      })
    : openPGlite(database.dataDir);
}

/** Socket errors that mean the server cannot be reached or went away. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
/**
 * SQLSTATEs of a server that is going away or full: class 08 (connection exception), 57P01–57P03
 * (admin/crash shutdown, cannot connect now), 53300 (too many connections), 57014 (statement timeout).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
/** What pg and pg-pool say when a connection ends or a timeout fires (they set no code). */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /query read timeout/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /connection timeout/i,
  /client was closed/i,
  /cannot use a pool after calling end/i,
];

/**
 * True when `error` says the database could not be reached or answered too late, as opposed to a
 * query that the database refused (constraint, syntax): callers degrade (503, journal, back off)
 * instead of failing as for a bug. Looks through `cause` chains and AggregateErrors.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

export interface PostgresOptions {
  searchPath?: string;
  /** How long opening a connection (or waiting for a free one in the pool) may take; 0 waits forever. */
  connectTimeoutMs?: number;
  /** How long a query may wait for its answer before it fails and its connection is dropped; 0 waits forever. */
  queryTimeoutMs?: number;
}

/**
 * pg's `query_timeout` fails the query but leaves it on the wire: the connection would go back to
 * the pool still waiting for that answer, and every later query on it would wait behind it. So a
 * timed-out connection is destroyed; the pool drops it on release and opens a fresh one.
 */
class TimeBoundClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection that dies while checked out (a job holding its lock connection, a transaction
    // between statements) emits 'error' with no pool listener attached; unheard, that would end the
    // process. Its next query reports the failure instead.
    this.on('error', () => undefined);
  }

  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof Error && /query read timeout/i.test(error.message)) {
          (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        }
      });
    }
    return result as never;
  }
}

/**
 * An embedded PostgreSQL on a thread of its own (see pglite-thread.ts); `dataDir` null keeps
 * everything in memory (tests).
 */
export async function openPGlite(dataDir: string | null): Promise<DatabaseHandle> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(`${dataDir}.lock`);
  }
  let pglite: PGliteThread;
  try {
    pglite = await PGliteThread.open(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: pglite.asPGlite() }) });
  // One process owns an embedded database, so an in-process lock is the advisory lock.
  const held = new Set<string>();
  return {
    db,
    engine: 'pglite',
    async withAdvisoryLock(name, work) {
      if (held.has(name)) return { acquired: false };
      held.add(name);
      try {
        return { acquired: true, value: await work() };
      } finally {
        held.delete(name);
      }
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      try {
        await db.destroy();
      } finally {
        // Kysely closes PGlite only if it ever ran a statement; the thread goes either way.
        await pglite.close().finally(unlock);
      }
    },
  };
}

export async function openPostgres(url: string, poolSize = 10, options: PostgresOptions = {}): Promise<DatabaseHandle> {
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === INT8_OID
        ? parseInt8
        : oid === NUMERIC_OID
          ? parseNumeric
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    Client: TimeBoundClient,
    // A frozen or unreachable server turns into errors after these, never into a hang.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    keepAlive: true,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    async withAdvisoryLock(name, work) {
      // Session-level lock on one dedicated connection; the work itself uses the pool.
      const client = await pool.connect();
      // Advisory locks are per database, not per schema: services sharing a server in separate
      // schemas (each test file has one) must not take each other's job locks.
      const key = advisoryKey(options.searchPath ? `${options.searchPath}:${name}` : name);
      // A connection that failed is destroyed on release: its session (and so the lock) ends with it.
      let broken: Error | undefined;
      try {
        let acquired: boolean;
        try {
          const { rows } = await client.query<{ acquired: boolean }>('select pg_try_advisory_lock($1) as acquired', [key]);
          acquired = rows[0]?.acquired === true;
        } catch (error) {
          broken = asError(error);
          throw error;
        }
        if (!acquired) return { acquired: false };
        try {
          return { acquired: true, value: await work() };
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]).catch((error: unknown) => {
            broken = asError(error);
          });
        }
      } finally {
        client.release(broken);
      }
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A stable signed 64-bit key for a lock name, as a decimal string (pg's bigint parameter form). */
function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
