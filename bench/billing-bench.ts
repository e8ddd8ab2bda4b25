/**
 * Billing throughput on PostgreSQL: `npm run bench:billing`.
 *
 * In a private schema of the server named by BENCH_DATABASE_URL (default the test server,
 * postgres://postgres@127.0.0.1:5432/test), creates BENCH_SUBSCRIBERS subscribers (100,000) on one
 * plan with one number each and BENCH_CALLS answered calls (1,000,000) in January 2026, then times
 *   - rating: `rateCompletedCalls` over every call record (included minutes, increments, one charge row each);
 *   - billing: the January bill run, `runBills` (rent, usage, ledger entries, bill lines, progress).
 * and, in the same run on the same data, the set-based limits of this machine:
 *   - a plain `INSERT … SELECT` rating pass: the same events' payloads joined to who pays, priced by
 *     the same SQL terms, into an unindexed scratch table (no included minutes, no re-run guarantees);
 *   - a plain bill run: one `INSERT … SELECT … GROUP BY` of rent and usage per account into a scratch table.
 * It prints both with their ratio, and where rating's and billing's time went (their debug timings).
 * BENCH_RATING_BATCH sets rating's batch size (default: rating's own). BENCH_PGOPTIONS adds server
 * options to the bench's connections, e.g. `-c session_preload_libraries=auto_explain
 * -c auto_explain.log_min_duration=200 -c auto_explain.log_analyze=on -c auto_explain.log_nested_statements=on`
 * for plans in the server's log. The schema is dropped
 * afterwards unless BENCH_KEEP=1.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { billableSecondsSql, chargeFenSql } from '../src/billing/rating-rule.sql.js';
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
const billingConcurrency = Number(process.env.BENCH_BILLING_CONCURRENCY ?? 1);
const schema = 'bench_billing_' + randomBytes(4).toString('hex');

/** Rating and billing log each batch's phase timings (`phaseMs`) at debug level: summed here per message and phase. */
const phaseTotals = new Map<string, Map<string, number>>();
const phases = {
  write(line: string): void {
    const entry = JSON.parse(line) as { msg?: string; phaseMs?: Record<string, number> };
    if (!entry.msg || !entry.phaseMs) return;
    const totals = phaseTotals.get(entry.msg) ?? new Map<string, number>();
    for (const [phase, ms] of Object.entries(entry.phaseMs)) totals.set(phase, (totals.get(phase) ?? 0) + ms);
    phaseTotals.set(entry.msg, totals);
  },
};

const perSecond = (n: number, seconds: number) => Math.round(n / seconds).toLocaleString('en');

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const handle = await openPostgres(url, 4, {
    searchPath: schema + (process.env.BENCH_PGOPTIONS ? ' ' + process.env.BENCH_PGOPTIONS : ''),
  });
  try {
    await migrateToLatest(handle.db, migrations);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_KEYS: `bench:${randomBytes(32).toString('base64')}` });
    const clock = new TestClock('2025-12-01T00:00:00Z');
    const ctx: ServiceContext = {
      db: handle.db,
      clock,
      settings: config.settings,
      cipher: createFieldCipher(parseKeyring(config.dataKeys!)),
      logger: pino({ level: 'debug' }, phases),
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
    const ratingLimit = await ratingBaseline(ctx);

    started = performance.now();
    const run = await runBills(ctx, '2026-01-01', { concurrency: billingConcurrency });
    const billingSeconds = (performance.now() - started) / 1000;
    const billingLimit = await billingBaseline(ctx, plan.value.id);

    const rows = [
      ['', 'ours', 'set-based limit', 'ours / limit'],
      [
        `call records rated (${rated.rated.toLocaleString('en')})`,
        `${perSecond(rated.rated, ratingSeconds)}/s (${ratingSeconds.toFixed(2)} s)`,
        `${perSecond(ratingLimit.rows, ratingLimit.seconds)}/s (${ratingLimit.seconds.toFixed(2)} s)`,
        `${((rated.rated / ratingSeconds / (ratingLimit.rows / ratingLimit.seconds)) * 100).toFixed(0)} %`,
      ],
      [
        `subscribers billed (${run.subscribersBilled.toLocaleString('en')})`,
        `${perSecond(run.subscribersBilled, billingSeconds)}/s (${billingSeconds.toFixed(2)} s)`,
        `${perSecond(billingLimit.rows, billingLimit.seconds)}/s (${billingLimit.seconds.toFixed(2)} s)`,
        `${((run.subscribersBilled / billingSeconds / (billingLimit.rows / billingLimit.seconds)) * 100).toFixed(0)} %`,
      ],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '));
    for (const [message, totals] of phaseTotals) {
      console.log(`  ${message}: ${[...totals].map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
    }
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

/**
 * The set-based limit for rating: one `INSERT … SELECT` over the same events, reading the payloads,
 * joining who pays and pricing by the same SQL terms, into a table without indexes. It leaves out
 * what rating must do besides (included minutes, the unique key, the counters).
 */
async function ratingBaseline(ctx: ServiceContext): Promise<{ rows: number; seconds: number }> {
  await sql`
    create table rating_baseline (call_record_id uuid not null, subscriber_id uuid not null, plan_id uuid not null, usage_period date not null,
                                  answered_at timestamptz not null, duration_ms bigint not null, billable_seconds bigint not null, charge_fen bigint not null)`.execute(
    ctx.db,
  );
  const started = performance.now();
  const result = await sql`
    insert into rating_baseline
    select c.id, n.subscriber_id, a.plan_id, (date_trunc('month', c.answered_at at time zone ${ctx.settings.timeZone}))::date,
           c.answered_at, c.duration_ms, ${billableSecondsSql(sql.ref('c.duration_ms'), sql`6::bigint`)},
           ${chargeFenSql(billableSecondsSql(sql.ref('c.duration_ms'), sql`6::bigint`), sql`150000::bigint`)}
    from (select (o.payload->>'recordId')::uuid as id, o.payload->>'caller' as caller, (o.payload->>'answeredAt')::timestamptz as answered_at,
                 (o.payload->>'durationMs')::bigint as duration_ms
          from outbox_events o where o.event_type = 'call.completed') as c
    join billing_numbers n on n.number = c.caller and c.answered_at >= n.assigned_at and (n.released_at is null or c.answered_at < n.released_at)
    join billing_accounts a on a.subscriber_id = n.subscriber_id`.execute(ctx.db);
  return { rows: Number(result.numAffectedRows ?? 0), seconds: (performance.now() - started) / 1000 };
}

/** The set-based limit for a bill run: rent (prorated by day) and the period's usage per account, one statement into a scratch table. */
async function billingBaseline(ctx: ServiceContext, planId: string): Promise<{ rows: number; seconds: number }> {
  await sql`create table billing_baseline (subscriber_id uuid not null, period date not null, rent_fen bigint not null, usage_fen bigint not null, total_fen bigint not null)`.execute(
    ctx.db,
  );
  const started = performance.now();
  const result = await sql`
    insert into billing_baseline
    select a.subscriber_id, date '2026-01-01', r.rent, coalesce(u.fen, 0), r.rent + coalesce(u.fen, 0)
    from billing_accounts a
    cross join lateral (select (2 * 3000 * (date '2026-01-31' - greatest(a.service_start, date '2026-01-01') + 1) + 31) / 62 as rent) as r
    left join (select subscriber_id, sum(charge_fen) as fen from call_charges where bill_period = date '2026-01-01' group by subscriber_id) as u
      on u.subscriber_id = a.subscriber_id
    where a.plan_id = ${planId}::uuid and a.service_start <= date '2026-01-31'`.execute(ctx.db);
  return { rows: Number(result.numAffectedRows ?? 0), seconds: (performance.now() - started) / 1000 };
}
