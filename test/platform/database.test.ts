import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { openPostgres, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrations } from '../../src/migrations.js';
import { available, postgresUrl } from '../support/engines.js';

describe.skipIf(!available.postgres)('a service sharing a PostgreSQL server with others in their own schemas', () => {
  const mine = 'test_mine_' + randomBytes(4).toString('hex');
  let admin: pg.Client;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create schema ${mine}`);
    handle = await openPostgres(postgresUrl, 3, { searchPath: mine });
  });
  afterAll(async () => {
    await handle?.close();
    await admin.query(`drop schema if exists ${mine} cascade`);
    await admin.end();
  });

  it('migrates while other schemas with serial columns are created and dropped around it', async () => {
    // Kysely's own introspector scans every schema and fails with "schema … does not exist" when
    // one disappears during the scan; ours must only look at the schema it works in.
    let churning = true;
    const churn = (async () => {
      const other = new pg.Client({ connectionString: postgresUrl });
      await other.connect();
      try {
        for (let i = 0; churning; i += 1) {
          const name = `test_churn_${randomBytes(4).toString('hex')}`;
          await other.query(`create schema ${name}; create table ${name}.t (id serial primary key, a int, b int, c int)`);
          await other.query(`drop schema ${name} cascade`);
        }
      } finally {
        await other.end();
      }
    })();
    try {
      const results = await migrateToLatest(handle.db, migrations);
      expect(results.length).toBe(Object.keys(migrations).length);
      for (let i = 0; i < 20; i += 1) {
        expect(await migrateToLatest(handle.db, migrations)).toEqual([]);
      }
    } finally {
      churning = false;
      await churn;
    }
  });

  it('sees only its own tables when introspecting', async () => {
    const tables = await handle.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([mine]));
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['kysely_migration', 'audit_log']));
  });
});
