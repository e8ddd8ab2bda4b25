import { sql } from 'kysely';
import { CALL_COMPLETED } from '../calls/index.js';
import type { ServiceContext } from '../platform/context.js';
import { EventRangeConsumer, eventPayloadsSql, type EventRange } from '../platform/events/index.js';
import type { Executor } from '../platform/db/index.js';
import { addMonthsClamped, type Period } from '../platform/zoned-calendar.js';
import { billableSecondsSql, chargeFenSql, includedSecondsSql } from './rating-rule.sql.js';
import { rateCallsInOrder, type CallRating } from './rules.js';
import { phaseTimer } from './phase-timer.js';
import { loadTariffs, type PlanPrices } from './tariffs.js';

/** Billing's cursor over `call.completed` events. */
export const RATING_CONSUMER = 'billing.rating';

/**
 * Calls per batch when rating a backlog. Every batch does work once per subscriber it touches (the
 * month's counter, the last bill, the hash of numbers and accounts), so fewer, larger batches rate a
 * backlog faster; at this size a batch's sorts still fit in the work_mem set below.
 */
const RATING_BATCH_SIZE = 200_000;

/**
 * Names the row of billing_cursors holding the latest start (answered_at) of any call rated so far.
 * A new call that started after it cannot start before a rated one, so only calls that started
 * before it are looked up among the rated calls of their month; rating batches also lock the row,
 * which keeps two of them from reading the same counters.
 */
const LATEST_START = 'rating.latest-start';

interface ChargeRow {
  callRecordId: string;
  subscriberId: string;
  kind: 'rating' | 'correction';
  planId: string;
  usagePeriod: Period;
  billPeriod: Period;
  answeredAt: Date;
  durationMs: number;
  rating: Omit<CallRating, 'callRecordId'>;
}

/**
 * Rates every call the calls module published as completed (`call.completed`) by `until` and not
 * rated yet (clause 5, priced per clause 2). Unanswered calls are never published; each call is
 * rated once (a unique index), so a batch handed over again (delivery is at least once) changes nothing.
 *
 * The rule is `rateCallsInOrder` over a subscriber's calls of one month in order of start
 * (answered_at, ties by call record id; issue #18 item 3). This is the same rule as one set-based
 * statement per batch of events, its terms taken from rating-rule.sql.ts (property tests hold the
 * two equal): within the batch the included seconds go to calls in start order (what earlier calls
 * took is `sum(billable) over (…) − billable`, capped by the allowance left). Batches follow
 * completion, so a call can start before calls of its month that were rated in an earlier batch (a
 * long call overlapping short ones): that month is re-rated whole in start order (`rerateMonths`),
 * the new calls rated and the others corrected. Only such months leave the set-based path.
 */
export async function rateCompletedCalls(
  ctx: ServiceContext,
  until: Date,
  options: { batchSize?: number } = {},
): Promise<{ rated: number }> {
  const tariffs = new Map<string, PlanPrices>();
  const planIds = await ctx.db.selectFrom('billing_accounts').select('plan_id').distinct().execute();
  await loadTariffs(
    ctx,
    planIds.map((p) => p.plan_id),
    tariffs,
  );
  const plans = [...tariffs.values()];
  let rated = 0;
  // The calls module publishes each completed call; this consumer's cursor replaces a time cursor
  // with a grace window: a call completed late is a later event, never one passed over.
  const consumer = new EventRangeConsumer(
    ctx.db,
    RATING_CONSUMER,
    { types: [CALL_COMPLETED], batchSize: options.batchSize ?? RATING_BATCH_SIZE, logger: ctx.logger },
    async (batch) => {
      rated += await rateBatch(ctx, plans, batch);
    },
  );
  await consumer.consume(until);
  return { rated };
}

/** Rates one batch of completed calls in one transaction; a batch handed over again rates nothing twice. */
async function rateBatch(ctx: ServiceContext, plans: PlanPrices[], batch: EventRange): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const phase = phaseTimer();
    await lockLatestStart(trx);
    // A batch sorts up to RATING_BATCH_SIZE rows (about 40 MB each sort): in memory, not in temporary files.
    await sql`set local work_mem = '64MB'`.execute(trx);
    // Compiling the plan costs more than it saves on a batch this size.
    await sql`set local jit = off`.execute(trx);
    // The calls to rate, as a table with statistics: estimated from the CTEs alone, the planner
    // guessed a handful of rows and chose nested loops that never finished on a million records.
    // The batch's payloads are read where they are (only the id range travels); who pays is joined.
    await sql`
      create temp table rating_todo on commit drop as
      with calls as materialized (
        -- Materialized so each field is extracted and cast once per call, not at every use below
        -- (parsing the text of a uuid or a timestamp costs more than reading the outbox row).
        select (e.payload->>'recordId')::uuid as id, e.payload->>'caller' as caller,
               (e.payload->>'answeredAt')::timestamptz as answered_at, (e.payload->>'durationMs')::bigint as duration_ms
        from ${eventPayloadsSql([CALL_COMPLETED], batch)} as e
      )
      select c.id, c.answered_at, c.duration_ms, n.subscriber_id, a.plan_id, m.usage_period,
             -- Started before a call of its month that is rated already: the month leaves the fast path.
             -- Only calls that started before the latest rated start are looked up.
             (c.answered_at <= w.at and exists (
               select 1 from call_charges x
               where x.subscriber_id = n.subscriber_id and x.usage_period = m.usage_period and x.kind = 'rating'
                 and (x.answered_at, x.call_record_id) > (c.answered_at, c.id))) as out_of_order
      from calls c
      join billing_numbers n on n.number = c.caller and c.answered_at >= n.assigned_at
                             and (n.released_at is null or c.answered_at < n.released_at)
      join billing_accounts a on a.subscriber_id = n.subscriber_id
      cross join lateral (select (date_trunc('month', c.answered_at at time zone ${ctx.settings.timeZone}))::date as usage_period) as m
      cross join (select at from billing_cursors where name = ${LATEST_START}) as w
      -- One probe of the unique index per record, not a hash of every charge ever rated.
      left join lateral (select 1 as rated from call_charges x where x.call_record_id = c.id and x.kind = 'rating' limit 1) as r on true
      where c.answered_at is not null and c.duration_ms is not null and r.rated is null`.execute(trx);
    phase('todo');
    await sql`analyze rating_todo`.execute(trx);
    phase('analyze');
    const result = await sql<{ inserted: number; out_of_order: number }>`
    with priced as (
      select t.*, p.allowance, p.rate, p.inc,
             ${billableSecondsSql(sql.ref('t.duration_ms'), sql.ref('p.inc'))} as billable
      from rating_todo t
      join unnest(${plans.map((p) => p.planId)}::uuid[], ${plans.map((p) => p.includedMinutes * 60)}::bigint[],
                  ${plans.map((p) => p.perMinuteRatePrecise)}::bigint[], ${plans.map((p) => p.billingIncrementSeconds)}::bigint[])
           as p(plan_id, allowance, rate, inc) on p.plan_id = t.plan_id
    ),
    used as materialized (
      -- The month's counter, one row per subscriber and period in the batch, never the charges themselves.
      select k.subscriber_id, k.usage_period, coalesce(u.used_seconds, 0)::bigint as used, u.used_seconds is not null as counted
      from (select distinct subscriber_id, usage_period from rating_todo) as k
      left join included_usage u on u.subscriber_id = k.subscriber_id and u.usage_period = k.usage_period
    ),
    last_bills as materialized (
      select k.subscriber_id, (select max(b.period) from bills b where b.subscriber_id = k.subscriber_id) as period
      from (select distinct subscriber_id from rating_todo) as k
    ),
    ordered as (
      select p.*, coalesce(u.used, 0) as used, lb.period as last_billed,
             -- sum() of bigint is numeric: back to integers, or the division below would not truncate.
             (sum(p.billable) over (partition by p.subscriber_id, p.usage_period order by p.answered_at, p.id))::bigint - p.billable as before,
             bool_or(p.out_of_order) over (partition by p.subscriber_id, p.usage_period) as month_out_of_order
      from priced p
      left join used u on u.subscriber_id = p.subscriber_id and u.usage_period = p.usage_period
      left join last_bills lb on lb.subscriber_id = p.subscriber_id
    ),
    rated as (
      select o.*, ${includedSecondsSql(sql.ref('o.billable'), sql`o.allowance - o.used - o.before`)} as included,
             greatest(o.usage_period, (o.last_billed + interval '1 month')::date) as bill_period
      from ordered o
      where not o.month_out_of_order
    ),
    inserted as (
      insert into call_charges (call_record_id, subscriber_id, kind, plan_id, usage_period, bill_period, answered_at, duration_ms,
                                billable_seconds, included_seconds, charged_seconds, charge_fen, rated_at)
      select r.id, r.subscriber_id, 'rating', r.plan_id, r.usage_period, coalesce(r.bill_period, r.usage_period), r.answered_at, r.duration_ms,
             r.billable, r.included, r.billable - r.included,
             ${chargeFenSql(sql`r.billable - r.included`, sql.ref('r.rate'))}, ${ctx.clock.now()}::timestamptz
      from rated r
      on conflict (call_record_id) where kind = 'rating' do nothing
      returning subscriber_id, usage_period, included_seconds
    ),
    counted as (
      -- The counter moves by exactly what was inserted, in the same statement. One that exists and
      -- would move by nothing is left alone: once a subscriber's included minutes are used up their
      -- calls add nothing, and adding 0 would still write a new row version.
      insert into included_usage (subscriber_id, usage_period, used_seconds)
      select i.subscriber_id, i.usage_period, sum(i.included_seconds)
      from inserted i
      join used u on u.subscriber_id = i.subscriber_id and u.usage_period = i.usage_period
      group by i.subscriber_id, i.usage_period, u.counted
      having sum(i.included_seconds) > 0 or not u.counted
      on conflict (subscriber_id, usage_period) do update set used_seconds = included_usage.used_seconds + excluded.used_seconds
    ),
    latest as (
      update billing_cursors set at = greatest(at, (select max(answered_at) from rating_todo)) where name = ${LATEST_START}
    )
    select (select count(*) from inserted)::int as inserted, (select count(*) from rating_todo where out_of_order)::int as out_of_order`.execute(
      trx,
    );
    const { inserted, out_of_order } = result.rows[0]!;
    phase('rate');
    const reordered = out_of_order === 0 ? 0 : await rateOutOfOrderMonths(trx, ctx.clock.now(), plans);
    phase('out of order');
    // Where a batch's time goes, for the benchmark and for an operator at debug level.
    ctx.logger.debug({ phaseMs: phase.totals(), calls: inserted + reordered, outOfOrder: out_of_order }, 'rating batch');
    return inserted + reordered;
  });
}

/**
 * Locks rating's latest-start row (creating it from the charges the first time), so rating batches
 * and re-ratings run one at a time: each reads included-minutes counters the other writes.
 */
async function lockLatestStart(executor: Executor): Promise<void> {
  const lock = () => sql`select 1 from billing_cursors where name = ${LATEST_START} for update`.execute(executor);
  if ((await lock()).rows.length > 0) return;
  await sql`
    insert into billing_cursors (name, at)
    select ${LATEST_START}, coalesce(max(answered_at), '-infinity') from call_charges where kind = 'rating'
    on conflict (name) do nothing`.execute(executor);
  await lock();
}

/**
 * The batch's months in which a new call started before a call rated earlier: each is re-rated
 * whole in start order with the plan the account has now (the plan the batch rates with), the new
 * calls getting their rating rows and the calls rated before correction rows for the difference.
 */
async function rateOutOfOrderMonths(executor: Executor, now: Date, plans: PlanPrices[]): Promise<number> {
  const { rows } = await sql<{
    id: string;
    subscriber_id: string;
    plan_id: string;
    usage_period: string;
    answered_at: Date;
    duration_ms: number;
  }>`
    select t.id, t.subscriber_id, t.plan_id, t.usage_period::text as usage_period, t.answered_at, t.duration_ms
    from rating_todo t
    where exists (select 1 from rating_todo o where o.out_of_order and o.subscriber_id = t.subscriber_id and o.usage_period = t.usage_period)`.execute(
    executor,
  );
  const months = new Map<string, { subscriberId: string; period: Period; planId: string; calls: NewCall[] }>();
  for (const row of rows) {
    const key = `${row.subscriber_id} ${row.usage_period}`;
    const month = months.get(key) ?? { subscriberId: row.subscriber_id, period: row.usage_period, planId: row.plan_id, calls: [] };
    month.calls.push({ callRecordId: row.id, answeredAt: row.answered_at, durationMs: Number(row.duration_ms) });
    months.set(key, month);
  }
  const tariffs = new Map(plans.map((p) => [p.planId, p]));
  const corrections = await rerateMonths(
    executor,
    [...months.values()].map((m) => ({ ...m, tariff: tariffs.get(m.planId)! })),
  );
  await insertCharges(executor, corrections, now);
  return corrections.filter((c) => c.kind === 'rating').length;
}

interface NewCall {
  callRecordId: string;
  answeredAt: Date;
  durationMs: number;
}

/**
 * Re-rates whole months of one subscriber each, every call in order of start, and returns the rows
 * that make each call's charges add up to its new rating: a rating row for a call not rated yet
 * (`newCalls`), a correction holding the difference for one rated before (none when nothing differs).
 */
async function rerateMonths(
  executor: Executor,
  months: readonly { subscriberId: string; period: Period; tariff: PlanPrices; calls?: readonly NewCall[] }[],
): Promise<ChargeRow[]> {
  if (months.length === 0) return [];
  const { rows } = await sql<{
    subscriber_id: string;
    usage_period: string;
    call_record_id: string;
    answered_at: Date;
    duration_ms: number;
    billable: number;
    included: number;
    charged: number;
    charge: number;
  }>`
    select c.subscriber_id, c.usage_period::text as usage_period, c.call_record_id, min(c.answered_at) as answered_at,
           max(c.duration_ms) as duration_ms, sum(c.billable_seconds)::int as billable, sum(c.included_seconds)::int as included,
           sum(c.charged_seconds)::int as charged, sum(c.charge_fen)::bigint as charge
    from call_charges c
    join unnest(${months.map((m) => m.subscriberId)}::uuid[], ${months.map((m) => m.period)}::date[]) as k(subscriber_id, usage_period)
      on k.subscriber_id = c.subscriber_id and k.usage_period = c.usage_period
    group by c.subscriber_id, c.usage_period, c.call_record_id`.execute(executor);
  const lastBilled = new Map(
    (
      await sql<{ subscriber_id: string; p: string | null }>`
        select subscriber_id, max(period)::text as p from bills where subscriber_id = any(${months.map((m) => m.subscriberId)}::uuid[])
        group by subscriber_id`.execute(executor)
    ).rows.map((r) => [r.subscriber_id, r.p]),
  );
  const charged = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = `${row.subscriber_id} ${row.usage_period}`;
    charged.set(key, [...(charged.get(key) ?? []), row]);
  }
  const out: ChargeRow[] = [];
  for (const month of months) {
    const before = charged.get(`${month.subscriberId} ${month.period}`) ?? [];
    const ratedIds = new Set(before.map((c) => c.call_record_id));
    // A call handed over again is rated already: it is one of the month's calls, not a new one.
    const calls = [
      ...before.map((c) => ({ callRecordId: c.call_record_id, answeredAt: c.answered_at, durationMs: Number(c.duration_ms), charged: c })),
      ...(month.calls ?? []).filter((c) => !ratedIds.has(c.callRecordId)).map((c) => ({ ...c, charged: null })),
    ].sort((x, y) => x.answeredAt.getTime() - y.answeredAt.getTime() || (x.callRecordId < y.callRecordId ? -1 : 1));
    const ratings = rateCallsInOrder(month.tariff, 0, calls);
    const billPeriod = billPeriodFor(month.period, lastBilled.get(month.subscriberId) ?? null);
    calls.forEach((call, i) => {
      const next = ratings[i]!;
      const was = call.charged;
      const rating = was
        ? {
            billableSeconds: next.billableSeconds - was.billable,
            includedSeconds: next.includedSeconds - was.included,
            chargedSeconds: next.chargedSeconds - was.charged,
            chargeFen: next.chargeFen - Number(was.charge),
          }
        : {
            billableSeconds: next.billableSeconds,
            includedSeconds: next.includedSeconds,
            chargedSeconds: next.chargedSeconds,
            chargeFen: next.chargeFen,
          };
      if (was && Object.values(rating).every((v) => v === 0)) return;
      out.push({
        callRecordId: call.callRecordId,
        subscriberId: month.subscriberId,
        kind: was ? 'correction' : 'rating',
        planId: month.tariff.planId,
        usagePeriod: month.period,
        billPeriod,
        answeredAt: call.answeredAt,
        durationMs: call.durationMs,
        rating,
      });
    });
  }
  return out;
}

/** A charge goes on the bill of its period, or on the next bill still to be issued once that one is out. */
function billPeriodFor(usagePeriod: Period, lastBilled: Period | null): Period {
  if (lastBilled === null || lastBilled < usagePeriod) return usagePeriod;
  return addMonthsClamped(lastBilled, 1);
}

async function insertCharges(executor: Executor, charges: ChargeRow[], now: Date): Promise<void> {
  if (charges.length === 0) return;
  const col = <T>(pick: (c: ChargeRow) => T) => charges.map(pick);
  await sql`
    insert into call_charges (call_record_id, subscriber_id, kind, plan_id, usage_period, bill_period, answered_at, duration_ms,
                              billable_seconds, included_seconds, charged_seconds, charge_fen, rated_at)
    select t.*, ${now}::timestamptz from unnest(
      ${col((c) => c.callRecordId)}::uuid[], ${col((c) => c.subscriberId)}::uuid[], ${col((c) => c.kind)}::text[],
      ${col((c) => c.planId)}::uuid[], ${col((c) => c.usagePeriod)}::date[], ${col((c) => c.billPeriod)}::date[],
      ${col((c) => c.answeredAt.toISOString())}::timestamptz[], ${col((c) => c.durationMs)}::bigint[],
      ${col((c) => c.rating.billableSeconds)}::int[], ${col((c) => c.rating.includedSeconds)}::int[],
      ${col((c) => c.rating.chargedSeconds)}::int[], ${col((c) => c.rating.chargeFen)}::bigint[]
    ) as t
    on conflict (call_record_id) where kind = 'rating' do nothing`.execute(executor);
  // Corrections move the month's included-seconds counter by their deltas (rateCompletedCalls reads it).
  await sql`
    insert into included_usage (subscriber_id, usage_period, used_seconds)
    select subscriber_id, usage_period, sum(included)
    from unnest(${col((c) => c.subscriberId)}::uuid[], ${col((c) => c.usagePeriod)}::date[], ${col((c) => c.rating.includedSeconds)}::bigint[])
         as t(subscriber_id, usage_period, included)
    group by subscriber_id, usage_period
    on conflict (subscriber_id, usage_period) do update set used_seconds = included_usage.used_seconds + excluded.used_seconds`.execute(
    executor,
  );
}

/**
 * Re-rates a subscriber's calls from `fromPeriod` on with the plan their account has now (after a
 * tariff correction). Nothing rated is changed: where the new rating differs from what was charged
 * so far, a correction row holds the difference and goes on the next bill as a correction line.
 * Running it again with the same plan finds no difference and writes nothing.
 */
export async function rerateSubscriber(
  ctx: ServiceContext,
  subscriberId: string,
  fromPeriod: Period,
): Promise<{ corrected: number; deltaFen: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockLatestStart(trx);
    const account = await trx.selectFrom('billing_accounts').select('plan_id').where('subscriber_id', '=', subscriberId).executeTakeFirst();
    if (!account) return { corrected: 0, deltaFen: 0 };
    const tariff = (await loadTariffs({ ...ctx, db: trx }, [account.plan_id])).get(account.plan_id)!;
    const periods = await sql<{ usage_period: string }>`
      select distinct usage_period::text as usage_period from call_charges
      where subscriber_id = ${subscriberId} and usage_period >= ${fromPeriod}::date order by 1`.execute(trx);
    const corrections = await rerateMonths(
      trx,
      periods.rows.map((p) => ({ subscriberId, period: p.usage_period, tariff })),
    );
    await insertCharges(trx, corrections, ctx.clock.now());
    return { corrected: corrections.length, deltaFen: corrections.reduce((sum, c) => sum + c.rating.chargeFen, 0) };
  });
}
