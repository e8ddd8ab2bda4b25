import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, openPGlite, type DatabaseHandle } from '../../src/platform/db/database.js';
import { repoRoot } from '../support/process.js';

/** Counts turns of this thread's event loop until `work` settles. */
async function turnsWhile(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let settled = false;
  const spin = () => {
    if (settled) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    await work;
  } finally {
    settled = true;
  }
  return turns;
}

describe('the embedded database on its own thread', () => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openPGlite(null);
    await sql`create table things (id bigserial primary key, name text unique not null, at timestamptz, blob bytea, amount numeric(12,2))`.execute(
      database.db,
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it('leaves the service thread free while a long statement runs', async () => {
    // In-thread PGlite runs a statement as one synchronous stretch of WebAssembly: no turn of the
    // event loop (no SIP datagram, no HTTP request) until it ends.
    const long = sql`select count(*) as n from generate_series(1, 2000000)`.execute(database.db);
    expect(await turnsWhile(long)).toBeGreaterThan(20);
    expect((await long).rows).toEqual([{ n: 2_000_000 }]);
  });

  it('hands values back as the database stores them: int8 as a number, numeric as text, timestamps, bytes', async () => {
    const at = new Date('2026-12-05T08:00:00.123Z');
    const { rows } = await sql<{ id: number; at: Date; blob: Uint8Array; amount: string }>`
      insert into things (name, at, blob, amount) values (${'first'}, ${at}, ${Buffer.from([0, 1, 255])}, ${'12.50'})
      returning id, at, blob, amount`.execute(database.db);
    expect(rows[0]).toEqual({ id: 1, at, blob: new Uint8Array([0, 1, 255]), amount: '12.50' });
    await expect(sql`select 9007199254740993::int8 as too_big`.execute(database.db)).rejects.toThrow(/safe integer range/);
  });

  it('reports the database’s error with its SQLSTATE and constraint', async () => {
    await database.db
      .insertInto('things' as never)
      .values({ name: 'twice' } as never)
      .execute();
    const error = await database.db
      .insertInto('things' as never)
      .values({ name: 'twice' } as never)
      .execute()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'things_name_key' });
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('commits a transaction whole, rolls a failed one back whole, and makes others wait for it', async () => {
    await database.db.transaction().execute(async (trx) => {
      await sql`insert into things (name) values ('kept-1')`.execute(trx);
      await sql`insert into things (name) values ('kept-2')`.execute(trx);
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into things (name) values ('dropped')`.execute(trx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    // A statement sent while a transaction is open sees the database after it, never halfway.
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let inTransaction!: () => void;
    const begun = new Promise<void>((resolve) => (inTransaction = resolve));
    const transaction = database.db.transaction().execute(async (trx) => {
      await sql`insert into things (name) values ('late-1')`.execute(trx);
      inTransaction();
      await held;
      await sql`insert into things (name) values ('late-2')`.execute(trx);
    });
    await begun;
    const outside = sql<{ n: number }>`select count(*)::int as n from things where name like 'late-%'`.execute(database.db);
    releaseTransaction();
    await transaction;
    expect((await outside).rows).toEqual([{ n: 2 }]);

    const { rows } = await sql<{
      name: string;
    }>`select name from things where name like 'kept-%' or name = 'dropped' order by name`.execute(database.db);
    expect(rows.map((row) => row.name)).toEqual(['kept-1', 'kept-2']);
  });
});

describe('an embedded database directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-pglite-thread-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what was written across a close and a reopen, and closes cleanly without ever being used', async () => {
    const dataDir = path.join(dir, 'pglite');
    const first = await openPGlite(dataDir);
    await sql`create table notes (body text)`.execute(first.db);
    await sql`insert into notes values ('still here')`.execute(first.db);
    await first.close();
    await expect(sql`select 1`.execute(first.db)).rejects.toThrow();

    const unused = await openPGlite(path.join(dir, 'unused'));
    await unused.close();

    const second = await openPGlite(dataDir);
    try {
      expect((await sql`select body from notes`.execute(second.db)).rows).toEqual([{ body: 'still here' }]);
    } finally {
      await second.close();
    }
  });
});

describe('a process that uses the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-pglite-exit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends when its work is done, closed or not, as it did when PGlite ran on the process’s own thread', async () => {
    // A command that returns (or fails) without closing the database must not hang on the thread.
    const script = path.join(dir, 'forgets-to-close.mts');
    const database = path.join(repoRoot, 'src/platform/db/database.ts');
    writeFileSync(
      script,
      `import { openPGlite } from ${JSON.stringify(database)};\n` +
        `const handle = await openPGlite(null);\n` +
        `await handle.ping();\n` +
        `console.log('answered');\n`,
    );
    const outcome = await new Promise<{ code: number | null; stdout: string; killed: boolean }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, timeout: 90_000 }, (error, stdout) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, killed: child.killed }),
      );
    });
    expect(outcome).toEqual({ code: 0, stdout: 'answered\n', killed: false });
  }, 120_000);
});
