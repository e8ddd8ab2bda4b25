import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainEmbeddedDatabase, tableWork, type DatabaseHandle, type TableCounts } from '../../src/platform/db/index.js';
import { openTestDatabase } from '../support/engines.js';

const quiet: TableCounts = {
  reltuples: 10_000,
  deadRows: 0,
  insertedSinceVacuum: 0,
  modifiedSinceAnalyze: 0,
  xidAge: 1_000,
  hasData: true,
};

describe("what PostgreSQL's autovacuum would do (its default settings)", () => {
  it.each<[string, Partial<TableCounts>, ReturnType<typeof tableWork>]>([
    ['a quiet table: nothing', {}, null],
    ['dead rows at 50 + 20 % of 10,000 (2,050): not yet', { deadRows: 2_050 }, null],
    ['dead rows above it: vacuum', { deadRows: 2_051 }, 'vacuum'],
    ['rows inserted since the last vacuum above 1,000 + 20 %: vacuum', { insertedSinceVacuum: 3_001 }, 'vacuum'],
    ['changes since the last analysis above 50 + 10 %: analyze', { modifiedSinceAnalyze: 1_051 }, 'analyze'],
    ['changes at the threshold: not yet', { modifiedSinceAnalyze: 1_050 }, null],
    ['never analysed, with data: analyze', { reltuples: -1, hasData: true }, 'analyze'],
    ['never analysed and empty: nothing', { reltuples: -1, hasData: false }, null],
    ['unfrozen for more than 200 million transactions: vacuum', { xidAge: 200_000_001 }, 'vacuum'],
    ['both due: vacuum, which analyses too', { deadRows: 5_000, modifiedSinceAnalyze: 5_000 }, 'vacuum'],
  ])('%s', (_, counts, expected) => {
    expect(tableWork({ ...quiet, ...counts })).toBe(expected);
  });
});

describe('the embedded database kept vacuumed and analysed (PGlite has no autovacuum)', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('pglite', { migrated: true });
  });
  afterAll(async () => {
    await database.close();
  });

  /** The plan of closing 30 calls by Call-ID, shaped as the call recorder's batch of endings. */
  async function planOfEndings(): Promise<string> {
    const rows = sql.join(Array.from({ length: 30 }, (_, i) => sql`(${`call-${2 * i + 2}`}::text, now(), 'x'::text)`));
    const plan = await sql<{ 'QUERY PLAN': string }>`
      explain update call_records c set status = 'completed', ended_at = v.at, end_reason = v.reason
      from (values ${rows}) as v(call_id, at, reason)
      where c.call_id = v.call_id and c.status = 'answered'`.execute(database.db);
    return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  async function counters(table: string) {
    await sql`select pg_stat_force_next_flush()`.execute(database.db);
    const { rows } = await sql<{ dead: string; vacuumed: boolean; analyzed: boolean }>`
      select n_dead_tup as dead, last_vacuum is not null as vacuumed, last_analyze is not null as analyzed
      from pg_stat_user_tables where relname = ${table}`.execute(database.db);
    return { dead: Number(rows[0]!.dead), vacuumed: rows[0]!.vacuumed, analyzed: rows[0]!.analyzed };
  }

  it('analyses a table that was never analysed, after which the endings of calls are found by index, not by reading every record', async () => {
    await sql`
      insert into call_records (call_id, from_tag, caller, callee, invited_at, answered_at, status, last_activity_at)
      select 'call-' || g, 'tag-' || g, '10001', '10002', now(), now(), case when g % 2 = 0 then 'answered' else 'completed' end, now()
      from generate_series(1, 20000) g`.execute(database.db);
    expect(await planOfEndings()).toMatch(/Seq Scan on call_records/);

    const outcome = await maintainEmbeddedDatabase(database.db);

    expect([...outcome.vacuumed, ...outcome.analyzed].map((table) => table.split('.')[1])).toContain('call_records');
    expect((await counters('call_records')).analyzed).toBe(true);
    const plan = await planOfEndings();
    expect(plan).toMatch(/Index Scan using call_records_dialog on call_records/);
    expect(plan).not.toMatch(/Seq Scan on call_records/);
  });

  it('vacuums a table whose updates left more dead rows than the threshold, and a second run finds nothing to do', async () => {
    await sql`update call_records set status = 'completed', ended_at = now() where status = 'answered'`.execute(database.db);
    expect((await counters('call_records')).dead).toBeGreaterThan(2_050);

    const first = await maintainEmbeddedDatabase(database.db);
    expect(first.vacuumed.map((table) => table.split('.')[1])).toContain('call_records');
    const after = await counters('call_records');
    expect(after.vacuumed).toBe(true);
    expect(after.dead).toBe(0);

    const second = await maintainEmbeddedDatabase(database.db);
    expect(second).toEqual({ vacuumed: [], analyzed: [] });
  });

  it('vacuums the system catalogs too (their oldest transaction holds back the whole database): tables created and dropped leave dead rows there', async () => {
    for (let i = 0; i < 80; i += 1) {
      await sql`create table ${sql.id(`scratch_${i}`)} (a int, b text, c timestamptz, d numeric, e bigint, f boolean)`.execute(database.db);
      await sql`drop table ${sql.id(`scratch_${i}`)}`.execute(database.db);
    }
    const outcome = await maintainEmbeddedDatabase(database.db);
    expect(outcome.vacuumed).toContain('pg_catalog.pg_attribute');
  });
});
