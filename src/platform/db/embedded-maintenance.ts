import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Autovacuum for the embedded database.
 *
 * PGlite runs PostgreSQL as a single backend: there is no autovacuum launcher. Without it the dead
 * row versions every UPDATE leaves behind are never reclaimed (a call record is written three times
 * in its life), and no table is ever analysed, so the planner guesses. Measured on the embedded
 * database after a `bench:sip` run (8,500 call records): the statement that closes a batch of 30
 * calls by Call-ID ran a sequential scan over every call record (10.8 ms, and growing with the
 * table); after ANALYZE, an index scan (3.3 ms, flat).
 *
 * This job applies PostgreSQL's own autovacuum rules with its default settings (PostgreSQL 15,
 * §25.1.6 "The Autovacuum Daemon"): a table is vacuumed when its dead rows exceed 50 + 20 % of its
 * rows, when rows inserted since its last vacuum exceed 1,000 + 20 % (so that pages become
 * all-visible and later vacuums skip them), or when its oldest unfrozen transaction is older than
 * 200 million (wraparound); it is analysed when rows changed since its last analysis exceed 50 +
 * 10 %, or when it has never been analysed and holds data. On PostgreSQL the server's autovacuum
 * does all this, and the job is not registered.
 */
export const EMBEDDED_MAINTENANCE_JOB = 'db.embedded-maintenance';

const VACUUM_THRESHOLD = 50;
const VACUUM_SCALE_FACTOR = 0.2;
const VACUUM_INSERT_THRESHOLD = 1_000;
const VACUUM_INSERT_SCALE_FACTOR = 0.2;
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE_FACTOR = 0.1;
const FREEZE_MAX_AGE = 200_000_000;

export interface TableCounts {
  /** Estimated rows as of the last vacuum or analysis; below 0 when never analysed. */
  reltuples: number;
  deadRows: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
  /** Transactions since the table's rows were last frozen. */
  xidAge: number;
  hasData: boolean;
}

export type TableWork = 'vacuum' | 'analyze' | null;

/** What PostgreSQL's autovacuum would do with a table with these counts (vacuum includes analysis). */
export function tableWork(counts: TableCounts): TableWork {
  const rows = Math.max(0, counts.reltuples);
  const analyze = counts.modifiedSinceAnalyze > ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * rows || (counts.reltuples < 0 && counts.hasData);
  const vacuum =
    counts.deadRows > VACUUM_THRESHOLD + VACUUM_SCALE_FACTOR * rows ||
    counts.insertedSinceVacuum > VACUUM_INSERT_THRESHOLD + VACUUM_INSERT_SCALE_FACTOR * rows ||
    counts.xidAge > FREEZE_MAX_AGE;
  return vacuum ? 'vacuum' : analyze ? 'analyze' : null;
}

export interface MaintenanceOutcome {
  vacuumed: string[];
  analyzed: string[];
}

/**
 * Vacuums and analyses the tables of the current schema that need it now, and the system catalogs
 * (the database's oldest unfrozen transaction is the oldest of every table's, catalogs included:
 * leaving them out would still end in wraparound). Idempotent: a second run right after finds the
 * counters reset and does nothing.
 */
export async function maintainEmbeddedDatabase(db: Kysely<Database>): Promise<MaintenanceOutcome> {
  // A backend flushes its statistics at most once a second, and a single backend is never idle long
  // enough for the timed flush: ask for it, so the counters below include the latest statements.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  await sql`select 1`.execute(db);
  const tables = await sql<{
    schema: string;
    name: string;
    reltuples: number;
    dead: string;
    inserted: string;
    modified: string;
    xid_age: number;
    has_data: boolean;
  }>`
    select n.nspname as schema, c.relname as name, c.reltuples::float8 as reltuples,
           s.n_dead_tup as dead, s.n_ins_since_vacuum as inserted, s.n_mod_since_analyze as modified,
           age(c.relfrozenxid) as xid_age, pg_relation_size(c.oid) > 0 as has_data
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_stat_all_tables s on s.relid = c.oid
    where c.relkind = 'r' and n.nspname in (current_schema(), 'pg_catalog')
    order by n.nspname = 'pg_catalog', c.relname`.execute(db);
  const outcome: MaintenanceOutcome = { vacuumed: [], analyzed: [] };
  for (const table of tables.rows) {
    const work = tableWork({
      reltuples: Number(table.reltuples),
      deadRows: Number(table.dead),
      insertedSinceVacuum: Number(table.inserted),
      modifiedSinceAnalyze: Number(table.modified),
      xidAge: Number(table.xid_age),
      hasData: table.has_data,
    });
    if (work === null) continue;
    const target = sql.id(table.schema, table.name);
    // One table per statement, so that other statements get their turn in between.
    if (work === 'vacuum') {
      await sql`vacuum (analyze) ${target}`.execute(db);
      outcome.vacuumed.push(`${table.schema}.${table.name}`);
    } else {
      await sql`analyze ${target}`.execute(db);
      outcome.analyzed.push(`${table.schema}.${table.name}`);
    }
  }
  return outcome;
}

/** The time-driven job that keeps the embedded database vacuumed and analysed (see above). */
export function embeddedMaintenanceJob(db: Kysely<Database>): {
  name: string;
  intervalSeconds: number;
  advanceTo(instant: Date): Promise<MaintenanceOutcome>;
} {
  return { name: EMBEDDED_MAINTENANCE_JOB, intervalSeconds: 60, advanceTo: () => maintainEmbeddedDatabase(db) };
}
