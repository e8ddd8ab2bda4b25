import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../platform/db/index.js';
import { appendEventsFrom } from '../platform/events/index.js';
import { periodDays, periodEnd, type LocalDate, type Period } from '../platform/zoned-calendar.js';
import type { PlanPrices } from './tariffs.js';

/**
 * `composeBill` in SQL, for the bill run's regular case (no day of the period inside a suspension
 * that stops rent), so a hundred thousand bills are composed and written where their inputs are
 * instead of travelling to the application and back. Line by line it is composeBill: rent for the
 * days of service in the period, prorated by day and rounded half up once; the period's calls, then
 * its re-rating corrections, one line each; then every late fee, adjustment and correction posted
 * since the last bill, in posting order. test/billing/compose-bill.sql.test.ts holds the two equal
 * (lines, descriptions, details, keys, totals); change one, change the other.
 */
export function regularBillLinesSql(input: {
  subscriberIds: readonly string[];
  period: Period;
  tariffs: readonly PlanPrices[];
}): RawBuilder<unknown> {
  const { period, tariffs } = input;
  const days = periodDays(period);
  return sql`
    accounts as materialized (
      select a.subscriber_id, a.plan_id, p.code, p.rent, gen_random_uuid() as bill_id,
             greatest(a.service_start, ${period}::date) as day_from,
             least(coalesce(a.service_end, ${periodEnd(period)}::date), ${periodEnd(period)}::date) as day_to
      from billing_accounts a
      join unnest(${tariffs.map((t) => t.planId)}::uuid[], ${tariffs.map((t) => t.code)}::text[], ${tariffs.map((t) => t.monthlyRentFen)}::bigint[])
           as p(plan_id, code, rent) on p.plan_id = a.plan_id
      where a.subscriber_id = any(${[...input.subscriberIds]}::uuid[])
    ),
    usage as (
      select c.subscriber_id, c.kind, sum(c.charge_fen)::bigint as fen, count(*)::int as calls,
             sum(c.charged_seconds)::bigint as charged_seconds, sum(c.billable_seconds)::bigint as billable_seconds
      from call_charges c
      where c.subscriber_id = any(${[...input.subscriberIds]}::uuid[]) and c.bill_period = ${period}::date
      group by c.subscriber_id, c.kind
    ),
    composed as (
      -- Rent (proratedRent: the whole rent for a whole month, else rent × days / days of the month, half up).
      select a.subscriber_id, a.bill_id, 1 as part, 0::bigint as seq, 'rent' as kind,
             case when d.days >= ${days} then a.rent else (2 * a.rent * d.days + ${days}) / ${2 * days} end as amount_fen,
             'Monthly rent ' || a.code || ', ' || a.day_from::text || ' – ' || a.day_to::text as description,
             jsonb_build_object('planId', a.plan_id, 'monthlyRentFen', a.rent, 'from', a.day_from::text, 'to', a.day_to::text, 'days', d.days) as detail,
             'rent:' || a.subscriber_id::text || ':' || ${period}::text as idempotency_key, null::uuid as entry_id
      from accounts a cross join lateral (select a.day_to - a.day_from + 1 as days) as d
      where a.day_to >= a.day_from
      union all
      select a.subscriber_id, a.bill_id, case when u.kind = 'rating' then 2 else 3 end, 0, case when u.kind = 'rating' then 'usage' else 'correction' end,
             u.fen,
             case when u.kind = 'rating' then 'Video calls: ' || u.calls || ' calls, ' || u.charged_seconds || ' s charged'
                  else 'Re-rating corrections: ' || u.calls || ' calls' end,
             jsonb_build_object('calls', u.calls, 'billableSeconds', u.billable_seconds, 'chargedSeconds', u.charged_seconds, 'period', ${period}::text),
             case when u.kind = 'rating' then 'usage:' else 'usage-correction:' end || a.subscriber_id::text || ':' || ${period}::text, null::uuid
      from accounts a join usage u on u.subscriber_id = a.subscriber_id
      union all
      -- Charges posted since the last bill and on none yet.
      select a.subscriber_id, a.bill_id, 4, e.seq, e.kind, e.amount_fen, null, null, null, e.id
      from accounts a join ledger_entries e on e.subscriber_id = a.subscriber_id
      where e.kind in ('late_fee', 'adjustment', 'correction') and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)
    ),
    lines as materialized (
      select c.*, coalesce(c.entry_id, gen_random_uuid()) as line_entry_id,
             row_number() over (partition by c.subscriber_id order by c.part, c.seq)::int as position
      from composed c
    ),
    totals as (
      select a.subscriber_id, a.bill_id, coalesce(sum(l.amount_fen), 0)::bigint as total_fen,
             coalesce(sum(l.amount_fen) filter (where l.kind = 'late_fee'), 0)::bigint as late_fee_fen,
             case when a.day_to >= a.day_from then a.day_from end as service_from,
             case when a.day_to >= a.day_from then a.day_to end as service_to
      from accounts a left join lines l on l.subscriber_id = a.subscriber_id
      group by a.subscriber_id, a.bill_id, a.day_from, a.day_to
    )`;
}

/** `bill.issued`: a bill was written; the notices module tells the subscriber (clause 5). */
export const BILL_ISSUED = 'bill.issued';

/** The `bill.issued` payload of each bill a relation `bills` (columns as in the table) holds, for `appendEventsFrom`. */
export function billIssuedRows(bills: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select b.subscriber_id::text as aggregate_id,
           jsonb_build_object('billId', b.id, 'period', to_char(b.period, 'YYYY-MM-DD'), 'kind', b.kind, 'totalFen', b.total_fen,
                              'issueDate', to_char(b.issue_date, 'YYYY-MM-DD'), 'dueDate', to_char(b.due_date, 'YYYY-MM-DD')) as payload,
           b.issued_at as occurred_at
    from ${bills} as b`;
}

/**
 * Issues the regular bills of `subscriberIds` in one statement: their new ledger entries, the bills
 * and every line in print order, as `issueBills` writes composed bills, and a `bill.issued` event
 * each. Returns how many bills.
 */
export async function writeRegularBills(
  executor: Executor,
  input: { subscriberIds: readonly string[]; period: Period; tariffs: readonly PlanPrices[] },
  header: { issueDate: LocalDate; dueDate: LocalDate; now: Date },
): Promise<number> {
  if (input.subscriberIds.length === 0) return 0;
  const { rows } = await sql<{ bills: number }>`
    with ${regularBillLinesSql(input)},
    entries as (
      insert into ledger_entries (id, subscriber_id, kind, amount_fen, bill_id, description, detail, idempotency_key, posted_at)
      select l.line_entry_id, l.subscriber_id, l.kind, l.amount_fen, l.bill_id, l.description, l.detail, l.idempotency_key, ${header.now}::timestamptz
      from lines l where l.entry_id is null
      on conflict (idempotency_key) do nothing
    ),
    issued as (
      insert into bills (id, subscriber_id, period, kind, issue_date, due_date, issued_at, total_fen, late_fee_fen, principal_fen, service_from, service_to)
      select t.bill_id, t.subscriber_id, ${input.period}::date, 'regular', ${header.issueDate}::date, ${header.dueDate}::date, ${header.now}::timestamptz,
             t.total_fen, t.late_fee_fen, t.total_fen - t.late_fee_fen, t.service_from, t.service_to
      from totals t
      returning *
    ),
    shown as (
      insert into bill_lines (bill_id, ledger_entry_id, position)
      select l.bill_id, l.line_entry_id, l.position from lines l
    ),
    published as (${appendEventsFrom(BILL_ISSUED, 'subscriber', billIssuedRows(sql`issued`))})
    select count(*)::int as bills from issued`.execute(executor);
  return rows[0]!.bills;
}
