import { sql } from 'kysely';
import type { Actor } from '../audit/index.js';
import { accountsInService, postAdjustment, type AccountInService, type BillingContext } from '../billing/index.js';
import { findPlanVersion } from '../catalog/index.js';
import { rentStoppingSuspensions } from '../entitlements/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { formatMoney, type Fen } from '../platform/money.js';
import { addDays, localDateOf, startOfLocalDay } from '../platform/zoned-calendar.js';
import { windowsForCredits } from './maintenance.js';
import { excusedByWindows } from './maintenance-rules.js';
import { listOutages, markCredited, type Outage } from './outages.js';
import {
  earnsCredit,
  intersect,
  merge,
  outageCredit,
  reachOf,
  subtract,
  type OutageCredit,
  type ServedSubscriber,
  type Span,
} from './rules.js';

const creditActor: Actor = { type: 'system', id: null, name: 'assurance.outage-credits' };

/** What one outage, as it stands, owes one subscriber. */
export interface Entitlement {
  subscriberId: string;
  credit: OutageCredit;
}

/**
 * Clause 13, as time passes: every ended outage that changed since its credits were settled (or whose
 * neighbours in time did: a maintenance window, an earlier outage) is valued again for each subscriber
 * it reached, and the difference from what was already posted for it goes to billing as one more
 * document: a credit note when the subscriber is owed more, an adjustment charge when less. Nothing
 * already posted is edited. Idempotent: a second run at the same instant finds nothing changed.
 */
export async function creditOutages(ctx: BillingContext, instant: Date): Promise<{ outages: number; documents: number }> {
  let documents = await postPending(ctx);
  const outages = await listOutages(ctx.db);
  let settled = 0;
  for (const outage of outages) {
    const changed = lastRelevantChange(outage, outages);
    if (outage.creditedAt && outage.creditedAt >= changed) continue;
    if (outage.endsAt !== null && outage.endsAt > instant) continue;
    const entitled = earnsCredit(outage, ctx.settings.outageCreditThresholdHours) ? await entitlements(ctx, outage, outages) : [];
    documents += await postDifferences(ctx, outage, entitled);
    await markCredited(ctx.db, outage.id, changed);
    settled += 1;
  }
  return { outages: settled, documents };
}

export function outageCreditsJob(ctx: BillingContext): TimeDrivenJob {
  return { name: 'assurance.outage-credits', intervalSeconds: 60, advanceTo: (instant) => creditOutages(ctx, instant) };
}

const spanOf = (o: Pick<Outage, 'startsAt' | 'endsAt'>): Span => ({
  from: o.startsAt.getTime(),
  to: o.endsAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
});

const overlaps = (a: Span, b: Span) => a.from < b.to && b.from < a.to;

/** Earlier outages claim shared time first: one minute is credited once (clause 13's cap across outages). */
const before = (a: Outage, b: Outage) =>
  a.startsAt < b.startsAt || (a.startsAt.getTime() === b.startsAt.getTime() && a.reference < b.reference);

/** The newest change to the outage or to any outage overlapping it in time (they shape its credit). */
function lastRelevantChange(outage: Outage, all: readonly Outage[]): Date {
  let latest = outage.changedAt;
  for (const other of all) if (overlaps(spanOf(other), spanOf(outage)) && other.changedAt > latest) latest = other.changedAt;
  return latest;
}

/**
 * Each subscriber the outage reached while in service, with the credit for the affected time: the
 * outage's span within their service and its scope, less the time inside announced maintenance
 * windows that reached them (clause 7: outages recorded as announced maintenance, and maintenance
 * windows published on time), less time an earlier outage already credits, less time under
 * a suspension that stops rent (no fees, nothing to credit).
 */
async function entitlements(ctx: BillingContext, outage: Outage, all: readonly Outage[]): Promise<Entitlement[]> {
  const zone = ctx.settings.timeZone;
  const span = spanOf(outage);
  const accounts = await accountsInService(ctx.db, localDateOf(outage.startsAt, zone), localDateOf(new Date(span.to - 1), zone));
  const others = all.filter((o) => o.id !== outage.id && overlaps(spanOf(o), span));
  const excusing = others.filter(
    (o) => o.cause === 'announced-maintenance' || (before(o, outage) && earnsCredit(o, ctx.settings.outageCreditThresholdHours)),
  );
  const suspensions = await rentStoppingSuspensions(
    ctx.db,
    ctx.settings,
    accounts.map((a) => a.subscriberId),
    outage.startsAt,
    new Date(span.to),
  );
  const windows = await windowsForCredits(ctx.db, outage.startsAt, new Date(span.to));
  const rents = new Map<string, Fen>();
  const result: Entitlement[] = [];
  for (const account of accounts) {
    const served = servedOf(account, zone);
    const reached = intersect(reachOf(outage.scope, served), [span]);
    if (reached.length === 0) continue;
    const excused = merge([
      ...excusing.flatMap((o) => intersect(reachOf(o.scope, served), [spanOf(o)])),
      ...excusedByWindows(windows, account.subscriberId),
      ...(suspensions.get(account.subscriberId) ?? []).map((s) => ({
        from: s.startedAt.getTime(),
        to: s.liftedAt?.getTime() ?? Number.MAX_SAFE_INTEGER,
      })),
    ]);
    const affected = subtract(reached, excused);
    if (!rents.has(account.planId)) {
      const plan = await findPlanVersion(ctx, account.planId);
      if (!plan) throw new Error(`billing account references unknown plan version ${account.planId}`);
      rents.set(account.planId, plan.monthlyRentFen);
    }
    result.push({ subscriberId: account.subscriberId, credit: outageCredit(rents.get(account.planId)!, affected, zone) });
  }
  return result;
}

function servedOf(account: AccountInService, zone: string): ServedSubscriber {
  return {
    subscriberId: account.subscriberId,
    service: {
      from: startOfLocalDay(account.serviceStart, zone).getTime(),
      to: account.serviceEnd ? startOfLocalDay(addDays(account.serviceEnd, 1), zone).getTime() : Number.MAX_SAFE_INTEGER,
    },
    numbers: account.numbers.map((n) => ({ number: n.number, from: n.assignedAt.getTime(), to: n.releasedAt?.getTime() ?? null })),
  };
}

/** One more document per subscriber whose entitlement differs from the sum already posted for this outage. */
async function postDifferences(ctx: BillingContext, outage: Outage, entitled: readonly Entitlement[]): Promise<number> {
  const { rows } = await sql<{ subscriber_id: string; posted: number; seq: number }>`
    select subscriber_id, sum(amount_fen)::bigint as posted, max(seq) as seq
    from outage_credits where outage_id = ${outage.id} group by subscriber_id`.execute(ctx.db);
  const posted = new Map(rows.map((r) => [r.subscriber_id, { fen: Number(r.posted), seq: Number(r.seq) }]));
  const owed = new Map(entitled.map((e) => [e.subscriberId, e.credit]));
  const subscribers = [...new Set([...owed.keys(), ...posted.keys()])].sort();
  let documents = 0;
  for (const subscriberId of subscribers) {
    const credit = owed.get(subscriberId) ?? null;
    const entitledFen = credit?.creditFen ?? 0;
    const before = posted.get(subscriberId) ?? { fen: 0, seq: 0 };
    const difference = entitledFen - before.fen;
    if (difference === 0) continue;
    const seq = before.seq + 1;
    const row = await ctx.db
      .insertInto('outage_credits')
      .values({
        outage_id: outage.id,
        version: outage.version,
        subscriber_id: subscriberId,
        seq,
        amount_fen: difference,
        entitled_fen: entitledFen,
        affected_minutes: credit?.minutes ?? 0,
        reason: creditReason(outage, credit, before.fen, entitledFen, ctx.settings.currency),
        detail: JSON.stringify({ outage: outage.reference, version: outage.version, credit }),
        idempotency_key: `outage:${outage.id}:v${outage.version}:${subscriberId}:${seq}`,
        ledger_entry_id: null,
        created_at: ctx.clock.now(),
        posted_at: null,
      })
      .returning(['id', 'subscriber_id', 'amount_fen', 'reason', 'idempotency_key'])
      .executeTakeFirstOrThrow();
    await post(ctx, row);
    documents += 1;
  }
  return documents;
}

/** Documents written but not yet in the ledger (a crash between the two): posted under their own key. */
async function postPending(ctx: BillingContext): Promise<number> {
  const pending = await ctx.db
    .selectFrom('outage_credits')
    .select(['id', 'subscriber_id', 'amount_fen', 'reason', 'idempotency_key'])
    .where('ledger_entry_id', 'is', null)
    .orderBy('created_at')
    .orderBy('seq')
    .execute();
  for (const row of pending) await post(ctx, row);
  return pending.length;
}

async function post(
  ctx: BillingContext,
  row: { id: string; subscriber_id: string; amount_fen: number; reason: string; idempotency_key: string },
): Promise<void> {
  const result = await postAdjustment(
    ctx,
    {
      subscriberId: row.subscriber_id,
      kind: row.amount_fen > 0 ? 'credit_note' : 'adjustment',
      amountFen: Math.abs(row.amount_fen),
      reason: row.reason,
      idempotencyKey: row.idempotency_key,
    },
    creditActor,
  );
  // Every subscriber here came from billing's own accounts, and each key names one document: a bug otherwise.
  if (!result.ok) throw new Error(`outage credit ${row.idempotency_key} refused by billing: ${result.failure.message}`);
  await ctx.db
    .updateTable('outage_credits')
    .set({ ledger_entry_id: result.value.entryId, posted_at: ctx.clock.now() })
    .where('id', '=', row.id)
    .execute();
}

/**
 * The bill line's words, in both languages: the outage named, the minutes, and clause 13's cap stated
 * with its amount.
 */
export function creditReason(outage: Outage, credit: OutageCredit | null, beforeFen: Fen, afterFen: Fen, currency: string): string {
  const money = (fen: Fen) => formatMoney(fen, currency, 'en');
  const minutes = credit?.minutes ?? 0;
  const cap = credit ? money(credit.feesFen) : money(0);
  if (beforeFen === 0)
    return (
      `Outage ${outage.reference} v${outage.version} (clause 13): ${minutes} min affected, rent prorated by the minute, ` +
      `capped at the fees of that time (${cap}) · 服务中断补偿 ${outage.reference}：受影响 ${minutes} 分钟，按分钟折算月租，以该时段服务费用 ${cap} 为上限`
    );
  return (
    `Outage ${outage.reference} corrected to v${outage.version} (clause 13): credit ${money(beforeFen)} → ${money(afterFen)}, ` +
    `${minutes} min affected, capped at the fees of that time (${cap}) · 服务中断 ${outage.reference} 更正：补偿 ${money(beforeFen)} → ${money(afterFen)}，` +
    `受影响 ${minutes} 分钟，以该时段服务费用 ${cap} 为上限`
  );
}
