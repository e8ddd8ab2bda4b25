/**
 * Billing throughput on PostgreSQL: `npm run bench:billing`.
 *
 * In a private schema of the server named by BENCH_DATABASE_URL (default the test server,
 * postgres://postgres@127.0.0.1:5432/test), creates BENCH_SUBSCRIBERS subscribers (100,000) on one
 * plan with one number each and BENCH_CALLS answered calls (1,000,000) in January 2026, then times
 *   - rating: `rateCompletedCalls` over every call record (included minutes, increments, one charge row each);
 *   - billing: the January bill run, `runBills` (rent, usage, ledger entries, bill lines, progress).
 * BENCH_RATING_BATCH sets rating's batch size (default: rating's own). The schema is dropped
 * afterwards unless BENCH_KEEP=1.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { systemActor } from '../src/audit/index.js';
import { rateCompletedCalls, runBills } from '../src/billing/index.js';
import { publishCompletedFrom } from '../src/calls/index.js';
import { createPlan } from '../src/catalog/index.js';
import { migrations } from '../src/migrations.js';
import { TestClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import { createFieldCipher, parseKeyring } from '../src/platform/crypto/field-cipher.js';
import { openPostgres } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const calls = Number(process.env.BENCH_CALLS ?? 1_000_000);
const ratingBatch = process.env.BENCH_RATING_BATCH ? Number(process.env.BENCH_RATING_BATCH) : undefined;
const schema = 'bench_billing_' + randomBytes(4).toString('hex');

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const handle = await openPostgres(url, 4, { searchPath: schema });
  try {
    await migrateToLatest(handle.db, migrations);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_KEYS: `bench:${randomBytes(32).toString('base64')}` });
    const clock = new TestClock('2025-12-01T00:00:00Z');
    const ctx: ServiceContext = {
      db: handle.db,
      clock,
      settings: config.settings,
      cipher: createFieldCipher(parseKeyring(config.dataKeys!)),
      logger: pino({ level: 'silent' }),
    };
    const plan = await createPlan(
      ctx,
      {
        code: 'bench',
        nameZh: '基准',
        nameEn: 'Bench',
        monthlyRentFen: 30_00,
        includedMinutes: 30,
        perMinuteRatePrecise: 15_0000,
        billingIncrementSeconds: 6,
        sortOrder: 1,
      },
      systemActor,
    );
    if (!plan.ok) throw new Error(plan.failure.message);

    console.log(
      `seeding ${subscribers.toLocaleString('en')} subscribers and ${calls.toLocaleString('en')} call records in schema ${schema} …`,
    );
    let started = performance.now();
    await sql`
      insert into billing_accounts (subscriber_id, plan_id, service_start, created_at, updated_at)
      select md5('s' || i)::uuid, ${plan.value.id}::uuid, date '2025-12-01' + (i % 60), now(), now()
      from generate_series(1, ${subscribers}) as i`.execute(handle.db);
    await sql`
      insert into billing_numbers (number, subscriber_id, assigned_at)
      select '+86100' || lpad(i::text, 7, '0'), md5('s' || i)::uuid, timestamptz '2025-11-01T00:00:00Z'
      from generate_series(1, ${subscribers}) as i`.execute(handle.db);
    await sql`
      insert into call_records (call_id, from_tag, caller, callee, invited_at, answered_at, ended_at, duration_ms, status, final_status, last_activity_at)
      select 'bench-' || i, 't', '+86100' || lpad((1 + i % ${subscribers})::text, 7, '0'), '+8610999',
             a, a, a + d * interval '1 millisecond', d, 'completed', 200, a + d * interval '1 millisecond'
      from generate_series(1, ${calls}) as i,
           lateral (select timestamptz '2026-01-01T00:00:00+08:00' + (i::float8 / ${calls}) * interval '30 days' as a,
                           (1000 + (i::bigint * 7919) % 900000) as d) as t`.execute(handle.db);
    // Billing rates from the calls module's `call.completed` events, published as the records complete.
    await sql`
      with completed as (select id, caller, callee, answered_at, ended_at, duration_ms from call_records order by ended_at, id)
      ${publishCompletedFrom('completed')}`.execute(handle.db);
    await sql`analyze`.execute(handle.db);
    console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    clock.set('2026-01-31T16:00:00Z'); // Feb 1, 00:00 in Asia/Shanghai
    started = performance.now();
    const rated = await rateCompletedCalls(ctx, clock.now(), ratingBatch ? { batchSize: ratingBatch } : {});
    const ratingSeconds = (performance.now() - started) / 1000;
    console.log(
      `rating:  ${rated.rated.toLocaleString('en')} call records in ${ratingSeconds.toFixed(2)} s = ${Math.round(rated.rated / ratingSeconds).toLocaleString('en')} ratings/s`,
    );

    started = performance.now();
    const run = await runBills(ctx, '2026-01-01');
    const billingSeconds = (performance.now() - started) / 1000;
    console.log(
      `billing: ${run.subscribersBilled.toLocaleString('en')} subscribers billed in ${billingSeconds.toFixed(2)} s = ${Math.round(run.subscribersBilled / billingSeconds).toLocaleString('en')} subscribers/s`,
    );
    const totals = await sql<{ bills: number; total: number; usage: number }>`
      select count(*)::int as bills, sum(total_fen)::bigint as total,
             (select sum(amount_fen) from ledger_entries where kind = 'usage')::bigint as usage from bills`.execute(handle.db);
    const row = totals.rows[0]!;
    console.log(
      `  ${row.bills.toLocaleString('en')} bills totalling ${(Number(row.total) / 100).toFixed(2)} yuan, of which usage ${(Number(row.usage) / 100).toFixed(2)}`,
    );
  } finally {
    await handle.close();
    if (process.env.BENCH_KEEP !== '1') await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

await main();
