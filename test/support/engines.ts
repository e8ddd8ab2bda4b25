import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPGlite, openPostgres, type DatabaseHandle, type Engine } from '../../src/platform/db/database.js';

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
 * A fresh, empty database for one test file: an in-memory PGlite, or a private schema on the
 * PostgreSQL server (dropped on close) so parallel test files never see each other's rows.
 */
export async function openTestDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === 'pglite') return openPGlite(null);
  const schema = 'test_' + randomBytes(6).toString('hex');
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await openPostgres(postgresUrl, 5, { searchPath: schema });
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

/** Resolves before collection: `describe.skipIf(!available.postgres)` needs a value, not a promise. */
export const available: Record<Engine, boolean> = { pglite: true, postgres: await postgresReachable() };
