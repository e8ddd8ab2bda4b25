import { mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector.js';

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

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * int8 (bigserial ids, fen amounts) becomes a JS number on both engines. Every amount we store stays
 * far below 2^53 fen; refusing a larger value is better than silently losing precision.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds the safe integer range`);
  return value;
}

export async function openDatabase(database: Config['database']): Promise<DatabaseHandle> {
  return database.kind === 'postgres' ? openPostgres(database.url, database.poolSize) : openPGlite(database.dataDir);
}

/** An embedded PostgreSQL; `dataDir` null keeps everything in memory (tests). */
export async function openPGlite(dataDir: string | null): Promise<DatabaseHandle> {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(`${dataDir}.lock`);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir ?? undefined, {
      parsers: { [INT8_OID]: parseInt8, [NUMERIC_OID]: (text: string) => text },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
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
        unlock();
      }
    },
  };
}

export async function openPostgres(url: string, poolSize = 10, options: { searchPath?: string } = {}): Promise<DatabaseHandle> {
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === INT8_OID
        ? parseInt8
        : oid === NUMERIC_OID
          ? (text: string) => text
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
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
      try {
        const { rows } = await client.query<{ acquired: boolean }>('select pg_try_advisory_lock($1) as acquired', [key]);
        if (!rows[0]?.acquired) return { acquired: false };
        try {
          return { acquired: true, value: await work() };
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** A stable signed 64-bit key for a lock name, as a decimal string (pg's bigint parameter form). */
function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
