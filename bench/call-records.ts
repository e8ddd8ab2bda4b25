/**
 * What recording calls costs the embedded database: `npm run bench:records`.
 *
 * The SIP capacity bench (bench:sip) on one core found the embedded database's thread busy about
 * 0.5 ms per call, a third of all the CPU a call cost (docs/sip-capacity-log.md, session 36). This
 * bench isolates that part: the service's own CallRecorder on an embedded database (PGlite in its
 * thread, as the service runs it), migrated as a first start leaves it and holding BENCH_PREFILL
 * completed calls (vacuumed and analysed, as the embedded maintenance job leaves a table), is driven
 * at BENCH_RATE calls per second for BENCH_SECONDS, each call as the proxy reports one: started
 * (INVITE), answered BENCH_ANSWER_MS later (200), ended BENCH_HOLD_MS after the answer (BYE). The
 * recorder batches as it does in service, so the statements and their sizes are the service's.
 *
 * Prints the process CPU per call (the database's thread and the recorder together: the main thread
 * has nothing else to do) and the main thread's part of it (its event loop's active time), and
 * checks that every call ended completed with its `call.completed` event. Steps: BENCH_RATES
 * (comma-separated) replaces BENCH_RATE.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { CallRecorder } from '../src/calls/index.js';
import { openPGlite } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { migrations } from '../src/migrations.js';

const rates = (process.env.BENCH_RATES ?? process.env.BENCH_RATE ?? '500').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const answerMs = Number(process.env.BENCH_ANSWER_MS ?? 20);
const holdMs = Number(process.env.BENCH_HOLD_MS ?? 1_000);
const prefill = Number(process.env.BENCH_PREFILL ?? 100_000);
const TICK_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const handle = await openPGlite(null);
const { db } = handle;
await migrateToLatest(db, migrations);
if (prefill > 0) {
  const t0 = new Date('2026-01-01T00:00:00Z');
  await sql`
    insert into call_records (id, call_id, from_tag, caller, callee, caller_device, callee_device, invited_at,
                              answered_at, ended_at, duration_ms, status, final_status, hung_up_by, end_reason, last_activity_at)
    select gen_random_uuid(), 'prefill-' || n, 'tag-' || n, (5000 + n % 997)::text, (6000 + n % 991)::text, 'sipp', 'sipp',
           ${t0}::timestamptz + n * interval '1 second', ${t0}::timestamptz + n * interval '1 second',
           ${t0}::timestamptz + n * interval '1 second' + interval '60 seconds', 60000, 'completed', 200, 'caller', 'BYE',
           ${t0}::timestamptz + n * interval '1 second' + interval '60 seconds'
    from generate_series(1, ${prefill}) as n`.execute(db);
  await sql`vacuum analyze call_records`.execute(db);
}
const recorder = new CallRecorder(db);

console.log(
  `call records on the embedded database: ${prefill.toLocaleString('en')} calls before, ${seconds} s per step, ` +
    `answer after ${answerMs} ms, BYE ${holdMs} ms after the answer`,
);
console.log('calls/s offered | calls recorded | CPU per call (ms) | of it main thread (ms) | completed + events');

let serial = 0;
for (const [step, rate] of rates.entries()) {
  const tag = `step-${step}-`;
  const calls: Promise<void>[] = [];
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const wallBefore = performance.now();
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  let due = 0;
  for (let tick = 0; tick < ticks; tick++) {
    // Paced on the clock, not on the previous tick, so a slow turn is caught up rather than lost.
    const wait = wallBefore + tick * TICK_MS - performance.now();
    if (wait > 0) await sleep(wait);
    due += (rate * TICK_MS) / 1000;
    for (; due >= 1; due -= 1) calls.push(oneCall(`${tag}${serial++}`));
  }
  await Promise.all(calls);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const loopMs = performance.eventLoopUtilization(loopBefore).active;
  const [check] = (
    await sql<{ completed: number; events: number }>`
      select (select count(*)::int from call_records where call_id like ${tag + '%'} and status = 'completed') as completed,
             (select count(*)::int from outbox_events e join call_records r on r.id::text = e.aggregate_id
               where e.event_type = 'call.completed' and r.call_id like ${tag + '%'}) as events`.execute(db)
  ).rows;
  const ok = check!.completed === calls.length && check!.events === calls.length;
  console.log(
    `${String(rate).padStart(15)} | ${String(calls.length).padStart(14)} | ${(cpuMs / calls.length).toFixed(3).padStart(17)} | ` +
      `${(loopMs / calls.length).toFixed(3).padStart(22)} | ` +
      `${check!.completed} + ${check!.events}${ok ? '' : '  MISSING'}`,
  );
  if (!ok) process.exitCode = 1;
}
await recorder.close();
await handle.close();

async function oneCall(callId: string): Promise<void> {
  const id = await recorder.started({
    callId,
    fromTag: 'caller-tag',
    caller: String(5000 + (serial % 997)),
    callee: String(6000 + (serial % 991)),
    callerDevice: 'sipp',
    at: new Date(),
    sessionExpiresSeconds: null,
  });
  await sleep(answerMs);
  await recorder.answered(callId, id, new Date(), 'sipp');
  await sleep(holdMs);
  await recorder.ended(callId, new Date(), 'caller-tag', 'BYE');
}
