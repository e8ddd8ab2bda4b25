import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrations } from '../../src/migrations.js';
import { openPGlite, openPostgres, type DatabaseHandle, type Engine } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

/**
 * Database tests run on both engines: the embedded PGlite (always) and the PostgreSQL server named by
 * TEST_DATABASE_URL (default: this machine's 127.0.0.1:5432/test). Under CI=true an unreachable
 * server fails the run; on a developer machine without one, the PostgreSQL cases are reported as
 * skipped by name.
 */
export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (error) {
      if (process.env.CI === 'true') throw new Error(`CI=true requires PostgreSQL at ${postgresUrl}: ${(error as Error).message}`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export const engines: Engine[] = ['pglite', 'postgres'];

/**
 * A fresh database for one test file: a PGlite of its own, or a private schema on the PostgreSQL
 * server (dropped on close) so parallel test files never see each other's rows. Empty (an in-memory
 * PGlite) unless `migrated` is asked for; then it holds every migration, as a service's first start
 * leaves it (on PGlite a file-backed copy of the run's template when the global setup made one).
 */
export async function openTestDatabase(engine: Engine, options: { migrated?: boolean } = {}): Promise<DatabaseHandle> {
  if (engine === 'pglite') {
    const template = process.env[PGLITE_TEMPLATE_ENV];
    if (options.migrated && template && existsSync(template)) return openPGliteCopy(template);
    const handle = await openPGlite(null);
    if (options.migrated) await migrateToLatest(handle.db, migrations);
    return handle;
  }
  const schema = 'test_' + randomBytes(6).toString('hex');
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await openPostgres(postgresUrl, 5, { searchPath: schema });
  if (options.migrated) await migrateToLatest(handle.db, migrations);
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/**
 * Names the migrated PGlite data directory that the test run's global setup leaves for every test
 * file. Creating a PGlite database runs initdb inside WebAssembly, and migrating it runs every
 * migration; together they cost several seconds per service (over a minute each when the 2-core CI
 * machine is busy), while copying the finished directory costs a fraction of a second.
 */
export const PGLITE_TEMPLATE_ENV = 'VIDEOPHONE_TEST_PGLITE_TEMPLATE';

/** Creates the migrated template directory at `dataDir` (global setup, once per run). */
export async function createPGliteTemplate(dataDir: string): Promise<void> {
  const handle = await openPGlite(dataDir);
  try {
    await migrateToLatest(handle.db, migrations);
  } finally {
    await handle.close();
  }
}

/**
 * PGlite on a data directory reads and writes page by page through the file system: on Linux keep
 * the copies in shared memory (tmpfs), not on a disk with a journal. Queries are still somewhat
 * slower than in memory (the sign-in tests' PGlite cases took about 30 % longer at a load of 20),
 * far less than the start they save.
 */
export function scratchDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** A private copy of the template, file-backed, removed again on close. */
async function openPGliteCopy(template: string): Promise<DatabaseHandle> {
  const home = mkdtempSync(path.join(scratchDir(), 'vp-test-pglite-'));
  const dataDir = path.join(home, 'data');
  cpSync(template, dataDir, { recursive: true });
  let handle: DatabaseHandle;
  try {
    handle = await openPGlite(dataDir);
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  return {
    ...handle,
    async close() {
      try {
        await handle.close();
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

/** Resolves before collection: `describe.skipIf(!available.postgres)` needs a value, not a promise. */
export const available: Record<Engine, boolean> = { pglite: true, postgres: await postgresReachable() };
