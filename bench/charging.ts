/**
 * Real-time charging (clause 9) on PostgreSQL: `npm run bench:charging`.
 *
 * In a private schema of the server named by BENCH_DATABASE_URL (default the test server,
 * postgres://postgres@127.0.0.1:5432/test), sets subscribers up the way the service does (a plan,
 * `createSubscriberWithIdentity` with an order, `openBillingAccount` with one number,
 * `changeCreditLimit` by staff), then measures three things:
 *
 *   1. Reservation operations per second. BENCH_SUBSCRIBERS (2,000) subscribers with a limit far
 *      above what the run spends; 70 % have one call line, 20 % two and 10 % three, so parallel
 *      calls share a month. BENCH_CONCURRENCY (32) workers drive the lines through `Charging` as
 *      fast as a pool of BENCH_POOL_SIZE (10, the service's DATABASE_POOL_SIZE default) connections
 *      allows: `authorize`, `answered` (9 calls in 10), BENCH_RENEWALS (3) × `renew`, `ended`, then
 *      the line's next call. After BENCH_WARMUP_SECONDS (3) it counts for BENCH_SECONDS (20), and
 *      reads the CPU time of this process and of the PostgreSQL backends serving its pool (Linux
 *      /proc): on a shared machine the CPU an operation costs compares between runs better than
 *      the rate. `Charging` caches a number's terms for 5 s, as the service builds it; with real
 *      slices (60 s) a call's operations are further apart than that, which BENCH_TERMS_CACHE_MS=0
 *      reproduces.
 *   2. The cutoff delay. BENCH_CUTOFF_SUBSCRIBERS (1,000) subscribers with limits of 12–30 fen at
 *      1 fen a second (0.60 yuan a minute, 6 s increments, no included minutes), so each month's
 *      headroom lasts 12–30 call seconds, and one to three calls each, started over
 *      BENCH_CUTOFF_RAMP_SECONDS (5) and answered 0.3–1.5 s later. Every call runs into the limit:
 *      `CallMeter` keeps their time with a real `Charging` behind `chargingBudget`, the slice being
 *      BENCH_CUTOFF_SLICE_SECONDS (6, VP_CREDIT_SLICE_SECONDS). The cutoff actions note when the
 *      meter sends its BYE (or CANCEL); the delay is that instant less the end of the call's own
 *      last grant. Also printed: how many cut calls were billed for more than they were granted,
 *      and subscribers whose settled fees passed their limit. BENCH_CUTOFF_UNDER_LOAD=1 runs part
 *      1's traffic on the same database meanwhile.
 *   3. The same end to end (bench/charging-sip.ts, when sipp is installed): BENCH_SIP_CALLS (200;
 *      0 skips it) sipp calls at BENCH_SIP_RATE (50) a second through the SIP service, each caller's
 *      limit worth BENCH_SIP_LIMIT_SECONDS (18); the delay is sipp's time from the 200 to the
 *      proxy's BYE, less that limit.
 *
 * BENCH_ONLY=ops|cutoff|sip runs one part; BENCH_STATEMENTS=1 times every SQL statement on the
 * client (round trip, lock waits included) and prints where part 1's time went; BENCH_KEEP=1 keeps
 * the schema.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { systemActor } from '../src/audit/index.js';
import { openBillingAccount } from '../src/billing/index.js';
import type { BudgetGrant, CallBudget } from '../src/calls/index.js';
import { CallMeter, CUTOFF_MARGIN_MS } from '../src/calls/call-meter.js';
import { createPlan } from '../src/catalog/index.js';
import { changeCreditLimit, Charging, chargingBudget, type Grant } from '../src/charging/index.js';
import { migrations } from '../src/migrations.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config/config.js';
import type { ServiceContext } from '../src/platform/context.js';
import { createFieldCipher, parseKeyring } from '../src/platform/crypto/field-cipher.js';
import { openPostgres } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { ok } from '../src/platform/result.js';
import { localDateOf } from '../src/platform/zoned-calendar.js';
import { createSubscriberWithIdentity } from '../src/subscribers/index.js';
import { percentile } from '../test/support/sipp.js';
import { cutoffThroughSip, sippInstalled, type SipCutoffResult } from './charging-sip.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const subscriberCount = whole('BENCH_SUBSCRIBERS', 2_000);
const concurrency = whole('BENCH_CONCURRENCY', 32);
const poolSize = whole('BENCH_POOL_SIZE', 10);
const warmupSeconds = whole('BENCH_WARMUP_SECONDS', 3, 0);
const measuredSeconds = whole('BENCH_SECONDS', 20);
const renewalsPerCall = whole('BENCH_RENEWALS', 3, 0);
const cutoffSubscriberCount = whole('BENCH_CUTOFF_SUBSCRIBERS', 1_000);
const cutoffSliceSeconds = whole('BENCH_CUTOFF_SLICE_SECONDS', 6);
const cutoffRampSeconds = whole('BENCH_CUTOFF_RAMP_SECONDS', 5);
const cutoffUnderLoad = process.env.BENCH_CUTOFF_UNDER_LOAD === '1';
const termsCacheMs = process.env.BENCH_TERMS_CACHE_MS === undefined ? undefined : whole('BENCH_TERMS_CACHE_MS', 0, 0);
const sipCalls = whole('BENCH_SIP_CALLS', 200, 0);
const sipLimitSeconds = whole('BENCH_SIP_LIMIT_SECONDS', 18);
const sipRate = whole('BENCH_SIP_RATE', 50);
const only = process.env.BENCH_ONLY ?? '';
const timeStatements = process.env.BENCH_STATEMENTS === '1';
const schema = 'bench_charging_' + randomBytes(4).toString('hex');

/** Part 2's tariff: 1 fen a second in 6 s increments, so a limit of n fen is n call seconds. */
const CUTOFF_RATE_PRECISE = 60_0000;
const CUTOFF_INCREMENT_SECONDS = 6;
const CUTOFF_LIMITS_FEN = [12, 18, 24, 30];

type Operation = 'authorize' | 'answered' | 'renew' | 'ended';
const operations: Operation[] = ['authorize', 'answered', 'renew', 'ended'];

interface Subscriber {
  id: string;
  number: string;
  limitFen: number;
}

function whole(name: string, fallback: number, minimum = 1): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${name} must be a whole number ≥ ${minimum}`);
  return value;
}

/** Whether a part runs: all by default, or the one BENCH_ONLY names; part 3 only with sipp installed. */
function runs(part: Part): boolean {
  if (only && only !== part) return false;
  return part !== 'sip' || (sipCalls > 0 && sippInstalled);
}

async function main(): Promise<void> {
  if (!['', 'ops', 'cutoff', 'sip'].includes(only)) throw new Error('BENCH_ONLY must be ops, cutoff or sip');
  if (only === 'sip' && !sippInstalled) throw new Error('part 3 needs sipp: apt-get install sip-tester');
  if (timeStatements) installStatementTimer();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const handle = await openPostgres(url, poolSize, { searchPath: schema });
  try {
    await migrateToLatest(handle.db, migrations);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_KEYS: `bench:${randomBytes(32).toString('base64')}` });
    // Part 1 runs with the service's default slice (60 s), part 2 with the short one an operator would set.
    const ctx: ServiceContext = {
      db: handle.db,
      clock: systemClock,
      settings: config.settings,
      cipher: createFieldCipher(parseKeyring(config.dataKeys!)),
      logger: pino({ level: 'silent' }),
    };
    const cutoffSettings = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      VP_CREDIT_SLICE_SECONDS: String(cutoffSliceSeconds),
    }).settings;
    const cutoffCtx: ServiceContext = { ...ctx, settings: cutoffSettings };

    log(`schema ${schema}, pool of ${poolSize} connections`);
    const started = performance.now();
    const seeded = await seed(ctx);
    log(
      `seeded ${(seeded.ops.length + seeded.cutoff.length + seeded.sip.length).toLocaleString('en')} subscribers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    await sql`analyze`.execute(handle.db);

    if (runs('ops')) {
      timingStatements = timeStatements;
      const result = await reservationOperations(ctx, seeded.ops, { what: 'part 1', warmupSeconds, seconds: measuredSeconds });
      timingStatements = false;
      printOperations('Reservation operations', result);
      if (timeStatements) printStatements();
    }
    if (runs('cutoff')) {
      // Under load, part 1's calls keep going for as long as part 2's calls can last.
      const background = cutoffUnderLoad
        ? reservationOperations(ctx, seeded.ops, {
            what: 'load during part 2',
            warmupSeconds: 0,
            seconds: cutoffRampSeconds + Math.max(...CUTOFF_LIMITS_FEN) + 2,
          })
        : null;
      const result = await cutoffDelays(cutoffCtx, seeded.cutoff);
      printCutoffs(result);
      if (background) printOperations('Load on the same database during part 2', await background);
    }
    if (runs('sip')) {
      const result = await cutoffThroughSip({
        url,
        schema,
        callers: seeded.sip.map((s) => s.number),
        limitSeconds: sipLimitSeconds,
        sliceSeconds: cutoffSliceSeconds,
        dataKeys: config.dataKeys!,
        rate: sipRate,
        log,
      });
      printSipCutoffs(result, await overLimit(ctx, seeded.sip));
    } else if (!only && !sippInstalled) log('part 3 skipped: sipp is not installed');
  } finally {
    await handle.close();
    if (process.env.BENCH_KEEP !== '1') await admin.query(`drop schema ${schema} cascade`);
    else log(`kept schema ${schema}`);
    await admin.end();
  }
}

// -- subscribers ---------------------------------------------------------------------------------

type Part = 'ops' | 'cutoff' | 'sip';

async function seed(ctx: ServiceContext): Promise<Record<Part, Subscriber[]>> {
  const setup = new Charging(ctx, 'bench-setup');
  const opsPlan = await addPlan(ctx, { code: 'bench-ops', includedMinutes: 30, perMinuteRatePrecise: 15_0000, billingIncrementSeconds: 6 });
  const cutoffPlan = await addPlan(ctx, {
    code: 'bench-cutoff',
    includedMinutes: 0,
    perMinuteRatePrecise: CUTOFF_RATE_PRECISE,
    billingIncrementSeconds: CUTOFF_INCREMENT_SECONDS,
  });
  const wanted: { part: Part; planId: string; limitFen: number }[] = [
    ...Array.from({ length: runs('ops') || (runs('cutoff') && cutoffUnderLoad) ? subscriberCount : 0 }, () => ({
      part: 'ops' as const,
      planId: opsPlan,
      limitFen: 10_000_00,
    })),
    ...Array.from({ length: runs('cutoff') ? cutoffSubscriberCount : 0 }, (_, i) => ({
      part: 'cutoff' as const,
      planId: cutoffPlan,
      limitFen: CUTOFF_LIMITS_FEN[i % CUTOFF_LIMITS_FEN.length]!,
    })),
    // At 1 fen a second, a limit of n fen is n seconds of calling.
    ...Array.from({ length: runs('sip') ? sipCalls : 0 }, () => ({ part: 'sip' as const, planId: cutoffPlan, limitFen: sipLimitSeconds })),
  ];
  // Digits only, as `videophone sip provision` numbers them (they are SIP user names in part 3).
  const made = await mapConcurrently(wanted, 8, (w, i) => addSubscriber(ctx, setup, w.planId, `8610${70_000_000 + i}`, w.limitFen));
  const of = (part: Part) => made.filter((_, i) => wanted[i]!.part === part);
  return { ops: of('ops'), cutoff: of('cutoff'), sip: of('sip') };
}

async function addPlan(
  ctx: ServiceContext,
  tariff: { code: string; includedMinutes: number; perMinuteRatePrecise: number; billingIncrementSeconds: number },
): Promise<string> {
  const plan = await createPlan(ctx, { nameZh: '基准', nameEn: 'Bench', monthlyRentFen: 30_00, sortOrder: 1, ...tariff }, systemActor);
  if (!plan.ok) throw new Error(plan.failure.message);
  return plan.value.id;
}

/** A subscriber as an approved application leaves one (an order), billed for one number, with a limit set by staff. */
async function addSubscriber(
  ctx: ServiceContext,
  charging: Charging,
  planId: string,
  number: string,
  limitFen: number,
): Promise<Subscriber> {
  const now = ctx.clock.now();
  const created = await createSubscriberWithIdentity(
    ctx,
    {
      kind: 'individual',
      identity: { fullName: '基准用户', contactPhone: number },
      idType: 'prc_resident_id',
      idNumber: `bench-${schema}-${number}`,
    },
    systemActor,
    async (trx, subscriberId) => {
      await trx
        .insertInto('orders')
        .values({
          subscriber_id: subscriberId,
          plan_id: planId,
          credit_limit_fen: 200_00,
          terminal_model_id: null,
          terminal_price_fen: null,
          delivery_address_sealed: null,
          status: 'active',
          created_at: now,
          updated_at: now,
        })
        .execute();
      return ok(null);
    },
  );
  if (!created.ok) throw new Error(created.failure.message);
  const id = created.value.id;
  await openBillingAccount(ctx, { subscriberId: id, planId, serviceStart: localDateOf(now, ctx.settings.timeZone), numbers: [number] });
  const limit = await changeCreditLimit(ctx, charging, { subscriberId: id, limitFen, by: 'staff' }, systemActor);
  if (!limit.ok) throw new Error(limit.failure.message);
  return { id, number, limitFen };
}

/** 70 % of subscribers call on one line, 20 % on two, 10 % on three (the first of each ten on three). */
function linesOf(subscribers: Subscriber[]): Subscriber[] {
  return subscribers.flatMap((s, i) => Array.from({ length: i % 10 === 0 ? 3 : i % 10 <= 2 ? 2 : 1 }, () => s));
}

// -- part 1: reservation operations --------------------------------------------------------------

interface Line {
  subscriber: Subscriber;
  callKey: string;
  recordId: string;
  next: Operation;
  /** One call in ten rings out unanswered and only gives its hold back. */
  answers: boolean;
  answeredAt: Date | null;
  renewalsLeft: number;
}

interface OperationsResult {
  lines: number;
  subscribers: number;
  seconds: number;
  latencies: Map<Operation, number[]>;
  /** Grants that were not granted (refused, or no terms): none are expected with these limits. */
  unexpected: number;
  cpu: CpuShare;
  load: string;
}

let callSerial = 0;

/** The line's next call; a line's first call renews 0…BENCH_RENEWALS times, so the lines soon run out of step. */
function newCall(line: Line, first = false): void {
  callSerial += 1;
  line.callKey = `bench-${callSerial}@bench.test;${randomBytes(4).toString('hex')}`;
  line.recordId = randomUUID();
  line.next = 'authorize';
  line.answers = callSerial % 10 !== 0;
  line.answeredAt = null;
  line.renewalsLeft = first ? callSerial % (renewalsPerCall + 1) : renewalsPerCall;
}

async function reservationOperations(
  ctx: ServiceContext,
  subscribers: Subscriber[],
  run: { what: string; warmupSeconds: number; seconds: number },
): Promise<OperationsResult> {
  const charging = new Charging(ctx, 'bench-ops', termsCacheMs === undefined ? {} : { termsCacheMs });
  const lines: Line[] = shuffled(linesOf(subscribers)).map((subscriber) => {
    const line = { subscriber } as Line;
    newCall(line, true);
    return line;
  });
  const latencies = new Map<Operation, number[]>(operations.map((op) => [op, []]));
  let unexpected = 0;
  let measuring = false;
  let stopping = false;
  const granted = (grant: Grant | null) => {
    if (!grant?.granted) unexpected += measuring ? 1 : 0;
    return grant?.granted === true;
  };

  const step = async (line: Line): Promise<void> => {
    const op = line.next;
    const caller = line.subscriber.number;
    const at = new Date();
    const began = performance.now();
    switch (op) {
      case 'authorize':
        if (granted(await charging.authorize({ callKey: line.callKey, caller, at }))) line.next = line.answers ? 'answered' : 'ended';
        else newCall(line);
        break;
      case 'answered':
        granted(await charging.answered({ callKey: line.callKey, caller, recordId: line.recordId, at }));
        line.answeredAt = at;
        line.next = line.renewalsLeft > 0 ? 'renew' : 'ended';
        break;
      case 'renew':
        granted(await charging.renew({ callKey: line.callKey, caller, at, answeredAt: line.answeredAt }));
        line.renewalsLeft -= 1;
        if (line.renewalsLeft <= 0) line.next = 'ended';
        break;
      case 'ended':
        await charging.ended({
          callKey: line.callKey,
          caller,
          recordId: line.answeredAt ? line.recordId : null,
          answeredAt: line.answeredAt,
          endedAt: at,
        });
        newCall(line);
        break;
    }
    if (measuring) latencies.get(op)!.push(performance.now() - began);
  };

  // Lines wait their turn in one queue, so every line (and so every parallel call) keeps moving.
  const queue = [...lines];
  const worker = async () => {
    while (!stopping) {
      const line = queue.shift()!;
      await step(line);
      queue.push(line);
    }
  };
  log(
    `${run.what}: ${lines.length.toLocaleString('en')} call lines of ${subscribers.length.toLocaleString('en')} subscribers, ` +
      `${concurrency} at a time, ${run.warmupSeconds} s warm-up then ${run.seconds} s …`,
  );
  const workers = Array.from({ length: concurrency }, worker);
  await sleep(run.warmupSeconds * 1000);
  const load = loadAverage();
  const backends = await ourBackends(ctx);
  const cpuBefore = cpuSample(backends);
  measuring = true;
  const began = performance.now();
  await sleep(run.seconds * 1000);
  measuring = false;
  const seconds = (performance.now() - began) / 1000;
  const cpu = cpuShare(cpuBefore, cpuSample(backends));
  stopping = true;
  await Promise.all(workers);
  return { lines: lines.length, subscribers: subscribers.length, seconds, latencies, unexpected, cpu, load };
}

function printOperations(title: string, result: OperationsResult): void {
  const total = operations.reduce((sum, op) => sum + result.latencies.get(op)!.length, 0);
  const rows = operations.map((op) => {
    const samples = result.latencies.get(op)!;
    return [
      op,
      fmt(samples.length),
      fmt(samples.length / result.seconds),
      ms(percentile(samples, 50)),
      ms(percentile(samples, 99)),
      ms(percentile(samples, 100)),
    ];
  });
  const all = operations.flatMap((op) => result.latencies.get(op)!);
  rows.push([
    'all reservation ops',
    fmt(total),
    fmt(total / result.seconds),
    ms(percentile(all, 50)),
    ms(percentile(all, 99)),
    ms(percentile(all, 100)),
  ]);
  out(
    `\n${title} (${result.subscribers.toLocaleString('en')} subscribers, ${result.lines.toLocaleString('en')} call lines, ` +
      `concurrency ${concurrency}, pool ${poolSize}, slice 60 s, ${result.seconds.toFixed(1)} s measured)\n`,
  );
  out(table(['operation', 'count', 'per second', 'p50 ms', 'p99 ms', 'max ms'], rows, [0]) + '\n');
  out(
    `aim ≥ 4,000 reservation ops/s: ${total / result.seconds >= 4_000 ? 'met' : 'not met'}; ` +
      `not granted (none expected): ${result.unexpected}; load average ${result.load}\n${describeCpu(result.cpu, total)}\n`,
  );
  // On a shared machine the rate depends on what else runs; the CPU each operation costs does not, much.
  const cpuMs = (1000 * (result.cpu.processSeconds + result.cpu.postgresSeconds)) / total;
  if (result.cpu.postgresSeconds > 0)
    out(
      `${cpuMs.toFixed(2)} ms of CPU per operation in all: ${cpus().length} otherwise idle cores could do at most ` +
        `~${fmt((cpus().length * 1000) / cpuMs)} ops/s this way\n`,
    );
}

// -- part 2: cutoff delay ------------------------------------------------------------------------

interface MeteredCall {
  callId: string;
  callKey: string;
  subscriber: Subscriber;
  recordId: string;
  answeredAt: Date | null;
  /** End of the call's last grant. */
  until: Date | null;
  /** How its last ask ended: its own renewal refused, or still granted (then a sibling's refusal ended it). */
  refused: boolean;
  cutAt: Date | null;
  cutBy: 'BYE' | 'CANCEL' | null;
}

interface CutoffResult {
  subscribers: number;
  calls: MeteredCall[];
  refusedAtInvite: number;
  renewalLatencies: number[];
  /** Refusals that reached the meter after the grant they refused to extend had already ended. */
  lateRefusals: number;
  seconds: number;
  billed: { calls: number; overGranted: number; overLimitSubscribers: number; overLimitFen: number };
  cpu: CpuShare;
  load: string;
}

async function cutoffDelays(ctx: ServiceContext, subscribers: Subscriber[]): Promise<CutoffResult> {
  const charging = new Charging(ctx, 'bench-cutoff');
  const calls = new Map<string, MeteredCall>();
  const byKey = new Map<string, MeteredCall>();
  const renewalLatencies: number[] = [];
  let lateRefusals = 0;
  let refusedAtInvite = 0;

  // The budget the proxy would use, watched: the grant each call holds, and how long renewals take.
  const budget = chargingBudget(charging, ctx.settings, ctx.logger);
  const note = (callKey: string, grant: BudgetGrant) => {
    const call = byKey.get(callKey);
    if (!call) return;
    if (grant.kind === 'granted') call.until = grant.until;
    else if (grant.kind === 'refused') {
      call.refused = true;
      if (call.until && Date.now() > call.until.getTime()) lateRefusals += 1;
    }
  };
  const watched: CallBudget = {
    authorize: (call) => budget.authorize(call),
    async answered(call) {
      const grant = await budget.answered(call);
      note(call.callKey, grant);
      return grant;
    },
    async renew(call) {
      const began = performance.now();
      const grant = await budget.renew(call);
      renewalLatencies.push(performance.now() - began);
      note(call.callKey, grant);
      return grant;
    },
    ended: (call) => budget.ended(call),
  };
  const cut = (callId: string, by: 'BYE' | 'CANCEL') => {
    const at = new Date();
    const call = calls.get(callId);
    if (call) {
      call.cutAt = at;
      call.cutBy = by;
    }
    return at;
  };
  const meter = new CallMeter(
    watched,
    { now: () => new Date(), logger: ctx.logger },
    { abandonRinging: (callId) => void cut(callId, 'CANCEL'), hangUp: (callId) => cut(callId, 'BYE') },
  );

  const lines = shuffled(linesOf(subscribers));
  const longest = Math.max(...CUTOFF_LIMITS_FEN);
  log(
    `part 2: ${lines.length.toLocaleString('en')} calls of ${subscribers.length.toLocaleString('en')} subscribers started over ${cutoffRampSeconds} s, ` +
      `slice ${ctx.settings.creditSliceSeconds} s, each running into its limit (≤ ${longest} s) …`,
  );
  const load = loadAverage();
  const cpuBefore = cpuSample(await ourBackends(ctx));
  const began = performance.now();
  const starting = lines.map(async (subscriber, i) => {
    await sleep((i / lines.length) * cutoffRampSeconds * 1000);
    const callId = `cutoff-${i}@bench.test`;
    const tag = randomBytes(4).toString('hex');
    const call: MeteredCall = {
      callId,
      callKey: `${callId};${tag}`,
      subscriber,
      recordId: randomUUID(),
      answeredAt: null,
      until: null,
      refused: false,
      cutAt: null,
      cutBy: null,
    };
    calls.set(callId, call);
    byKey.set(call.callKey, call);
    const grant = await meter.authorize(callId, tag, subscriber.number);
    if (grant.kind !== 'granted') {
      refusedAtInvite += 1;
      calls.delete(callId);
      return;
    }
    call.until = grant.until;
    meter.recorded(callId, call.recordId);
    await sleep(300 + Math.random() * 1_200);
    if (call.cutAt) return;
    call.answeredAt = new Date();
    meter.answered(callId, call.answeredAt);
  });
  await Promise.all(starting);
  // Every call ends by the meter; a call still running long after its limit is a finding of its own.
  const deadline = Date.now() + (longest + 30) * 1000;
  while (meter.size > 0 && Date.now() < deadline) await sleep(200);
  const seconds = (performance.now() - began) / 1000;
  const cpu = cpuShare(cpuBefore, cpuSample(await ourBackends(ctx)));
  await meter.idle();
  meter.stopAll();

  const billed = await billedAgainstGranted(ctx, subscribers, [...calls.values()]);
  return {
    subscribers: subscribers.length,
    calls: [...calls.values()],
    refusedAtInvite,
    renewalLatencies,
    lateRefusals,
    seconds,
    billed,
    cpu,
    load,
  };
}

/**
 * What charging settled for the answered calls (`charging_usage`, by record) against the seconds
 * the meter had granted them, and each month's settled fees (`charging_months`) against its limit.
 */
async function billedAgainstGranted(ctx: ServiceContext, subscribers: Subscriber[], calls: MeteredCall[]): Promise<CutoffResult['billed']> {
  const answered = calls.filter((c) => c.answeredAt && c.until);
  const usage = answered.length
    ? await ctx.db
        .selectFrom('charging_usage')
        .select(['record_id', 'billable_seconds'])
        .where(
          'record_id',
          'in',
          answered.map((c) => c.recordId),
        )
        .execute()
    : [];
  const billedSeconds = new Map(usage.map((u) => [u.record_id, u.billable_seconds]));
  const overGranted = answered.filter(
    (c) => (billedSeconds.get(c.recordId) ?? 0) * 1000 > c.until!.getTime() - c.answeredAt!.getTime(),
  ).length;
  const over = await overLimit(ctx, subscribers);
  return { calls: usage.length, overGranted, overLimitSubscribers: over.subscribers, overLimitFen: over.fen };
}

/** Subscribers whose month's settled fees (`charging_months`) passed their limit, and by how much in all. */
async function overLimit(ctx: ServiceContext, subscribers: Subscriber[]): Promise<{ subscribers: number; fen: number }> {
  const limits = new Map(subscribers.map((s) => [s.id, s.limitFen]));
  const months = await ctx.db
    .selectFrom('charging_months')
    .select(['subscriber_id', 'settled_fen'])
    .where('subscriber_id', 'in', [...limits.keys()])
    .execute();
  let over = 0;
  let fen = 0;
  for (const month of months) {
    const excess = Number(month.settled_fen) - limits.get(month.subscriber_id)!;
    if (excess > 0) {
      over += 1;
      fen += excess;
    }
  }
  return { subscribers: over, fen };
}

function printCutoffs(result: CutoffResult): void {
  const cut = result.calls.filter((c) => c.cutAt && c.until);
  const delay = (c: MeteredCall) => c.cutAt!.getTime() - c.until!.getTime();
  const own = cut.filter((c) => c.refused).map(delay);
  const sibling = cut.filter((c) => !c.refused).map(delay);
  const row = (what: string, samples: number[]) => [
    what,
    fmt(samples.length),
    ms(percentile(samples, 0)),
    ms(percentile(samples, 50)),
    ms(percentile(samples, 99)),
    ms(percentile(samples, 100)),
    fmt(samples.filter((d) => d < 0).length),
    fmt(samples.filter((d) => d > 0).length),
  ];
  const running = result.calls.filter((c) => !c.cutAt).length;
  out(
    `\nCutoff delay (${result.subscribers.toLocaleString('en')} subscribers, ${result.calls.length.toLocaleString('en')} calls granted, ` +
      `slice ${cutoffSliceSeconds} s, ${result.seconds.toFixed(1)} s, load average ${result.load}): ` +
      `BYE/CANCEL sent − end of the call's own last grant (the meter aims ${CUTOFF_MARGIN_MS} ms before it)\n`,
  );
  out(
    table(
      ['calls ended by the meter', 'calls', 'min ms', 'p50 ms', 'p99 ms', 'max ms', 'ended before', 'ran past'],
      [row('its own renewal refused', own), row('with a sibling whose renewal was refused', sibling)],
      [0],
    ) + '\n',
  );
  out(
    `refused at INVITE: ${result.refusedAtInvite}; still running at the end: ${running}; ` +
      `BYE ${cut.filter((c) => c.cutBy === 'BYE').length}, CANCEL ${cut.filter((c) => c.cutBy === 'CANCEL').length}\n`,
  );
  out(
    `renewals: ${fmt(result.renewalLatencies.length)}, p50 ${ms(percentile(result.renewalLatencies, 50))} ms, ` +
      `p99 ${ms(percentile(result.renewalLatencies, 99))} ms; refusals arriving after the grant had ended: ${result.lateRefusals}\n`,
  );
  out(
    `settled: ${fmt(result.billed.calls)} calls, ${fmt(result.billed.overGranted)} billed for more seconds than they were granted; ` +
      `subscribers whose settled fees passed the limit: ${fmt(result.billed.overLimitSubscribers)} of ${fmt(result.subscribers)} ` +
      `(${fmt(result.billed.overLimitFen)} fen in all); ${describeCpu(result.cpu)}\n`,
  );
}

function printSipCutoffs(result: SipCutoffResult, over: { subscribers: number; fen: number }): void {
  const row = (what: string, samples: number[]) => [
    what,
    fmt(samples.length),
    ms(percentile(samples, 0)),
    ms(percentile(samples, 50)),
    ms(percentile(samples, 99)),
    ms(percentile(samples, 100)),
  ];
  out(
    `\nCutoff end to end through the SIP service (${fmt(result.callers)} sipp calls, one per caller, each caller's limit worth ` +
      `${sipLimitSeconds} s, slice ${cutoffSliceSeconds} s): BYE − (answer + ${sipLimitSeconds} s); the meter aims ${CUTOFF_MARGIN_MS} ms before it\n`,
  );
  out(
    table(
      ['measured at', 'calls', 'min ms', 'p50 ms', 'p99 ms', 'max ms'],
      [
        row("the caller's sipp (200 received → BYE received)", result.delaysMs),
        row('the call record (answered → ended)', result.recordedDelaysMs),
      ],
      [0],
    ) + '\n',
  );
  const reasons = [...result.endReasons].map(([reason, n]) => `${reason} ${fmt(n)}`).join(', ');
  out(
    `sipp: ${fmt(result.created)} calls placed, ${fmt(result.failed)} failed; records ended by: ${reasons || '-'}; ` +
      `subscribers whose settled fees passed the limit: ${fmt(over.subscribers)} of ${fmt(result.callers)} (${fmt(over.fen)} fen in all)\n`,
  );
  if (result.sippFailure) out(`${result.sippFailure}\n`);
}

// -- statement timing (BENCH_STATEMENTS=1) -------------------------------------------------------

const statements = new Map<string, { count: number; ms: number }>();
let timingStatements = false;

/** Times each query on the client, from send to answer, by its text (parameters are placeholders). */
function installStatementTimer(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const result = query.apply(this, args);
    if (!timingStatements || !(result instanceof Promise)) return result;
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string }).text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim();
    const began = performance.now();
    const done = () => {
      const entry = statements.get(key) ?? { count: 0, ms: 0 };
      entry.count += 1;
      entry.ms += performance.now() - began;
      statements.set(key, entry);
    };
    result.then(done, done);
    return result;
  } as typeof pg.Client.prototype.query;
}

function printStatements(): void {
  const rows = [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((sum, [, s]) => sum + s.ms, 0);
  out(`\nWhere part 1's time went (client-side, send to answer, lock waits included; ${fmt(total / 1000)} s in all):\n`);
  out(
    table(
      ['statement', 'calls', 'total s', 'share', 'mean ms'],
      rows
        .slice(0, 20)
        .map(([text, s]) => [
          text.slice(0, 110),
          fmt(s.count),
          (s.ms / 1000).toFixed(1),
          `${((100 * s.ms) / total).toFixed(1)} %`,
          (s.ms / s.count).toFixed(2),
        ]),
      [0],
    ) + '\n',
  );
}

// -- helpers --------------------------------------------------------------------------------------

interface CpuSample {
  busy: number;
  total: number;
  /** CPU seconds of this process, and of the PostgreSQL backends serving its pool. */
  process: number;
  postgres: Map<number, number>;
  at: number;
}

interface CpuShare {
  /** Of all cores, 100 % = every core busy. */
  machinePercent: number;
  /** CPU seconds over the window: this process (the bench and the charging code), and its PostgreSQL backends. */
  processSeconds: number;
  postgresSeconds: number;
  wallSeconds: number;
}

/**
 * The server processes behind this process's connections: pg_stat_activity's client ports that are
 * local ports of this process's sockets (/proc/self/fd, /proc/self/net/tcp*). Empty off Linux.
 */
async function ourBackends(ctx: ServiceContext): Promise<number[]> {
  if (!existsSync('/proc/self/net/tcp')) return [];
  const inodes = new Set(
    readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .filter((link) => link.startsWith('socket:['))
      .map((link) => link.slice('socket:['.length, -1)),
  );
  const ports: number[] = [];
  for (const file of ['/proc/self/net/tcp', '/proc/self/net/tcp6'].filter((f) => existsSync(f))) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (inodes.has(fields[9]!)) ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where client_port = any(${ports}::int[])`.execute(ctx.db);
  return rows.map((row) => row.pid);
}

/** proc(5): the first line of /proc/stat is user nice system idle iowait irq softirq steal …; utime and stime are fields 14–15 of /proc/<pid>/stat. */
function cpuSample(backends: number[]): CpuSample {
  const usage = process.cpuUsage();
  let busy = Number.NaN;
  let total = Number.NaN;
  const postgres = new Map<number, number>();
  if (existsSync('/proc/stat')) {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    total = fields.reduce((a, b) => a + b, 0);
    busy = total - fields[3]! - fields[4]!;
    for (const pid of backends) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        postgres.set(pid, (Number(stat[11]) + Number(stat[12])) / clockTicks);
      } catch {
        // The backend is gone (its connection was closed): its time is not counted.
      }
    }
  }
  return { busy, total, process: (usage.user + usage.system) / 1e6, postgres, at: performance.now() };
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuShare(before: CpuSample, after: CpuSample): CpuShare {
  return {
    machinePercent: (100 * (after.busy - before.busy)) / (after.total - before.total),
    processSeconds: after.process - before.process,
    // A backend that appeared meanwhile counts whole; one that went away is lost.
    postgresSeconds: [...after.postgres].reduce((sum, [pid, seconds]) => sum + seconds - (before.postgres.get(pid) ?? 0), 0),
    wallSeconds: (after.at - before.at) / 1000,
  };
}

/** The 1, 5 and 15 minute load averages (the machine may be shared with other work). */
function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

function describeCpu(cpu: CpuShare, ops?: number): string {
  const machine = Number.isNaN(cpu.machinePercent) ? '-' : cpu.machinePercent.toFixed(0);
  const share = (seconds: number) => `${((100 * seconds) / cpu.wallSeconds).toFixed(0)} %`;
  const perOp = (seconds: number) => (ops ? ` = ${((1000 * seconds) / ops).toFixed(2)} ms/op` : '');
  return (
    `CPU: machine ${machine} % busy; this process ${share(cpu.processSeconds)} of a core${perOp(cpu.processSeconds)}, ` +
    `its PostgreSQL backends ${share(cpu.postgresSeconds)}${perOp(cpu.postgresSeconds)}`
  );
}

async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

/** The same order every run (a fixed seed), so runs compare. */
function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  let seed = 20261203;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en');
}

function ms(value: number): string {
  if (Number.isNaN(value)) return '-';
  return Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en');
}

function table(columns: string[], rows: string[][], leftAligned: number[]): string {
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((r) => r[i]!.length)));
  const text = (cells: string[]) =>
    cells.map((cell, i) => (leftAligned.includes(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [text(columns), text(widths.map((w) => '-'.repeat(w))), ...rows.map(text)].join('\n');
}

function out(text: string): void {
  process.stdout.write(text);
}

function log(text: string): void {
  process.stderr.write(`[bench:charging] ${text}\n`);
}

await main();
