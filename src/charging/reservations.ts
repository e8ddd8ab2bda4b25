import { sql, type Selectable } from 'kysely';
import { systemActor } from '../audit/index.js';
import { unappliedCredit, usageTermsOfNumber, usageTermsOfSubscriber, type PlanPrices, type UsageTerms } from '../billing/index.js';
import { priceCall, type CallRate } from '../catalog/index.js';
import { liftSuspensions, suspendWithin } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import { isDatabaseUnavailable, type Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import type { Fen } from '../platform/money.js';
import { localDateOf, periodOf, type Period } from '../platform/zoned-calendar.js';
import { currentOrder } from '../subscribers/index.js';
import { nextGrant, type Headroom, type Hold } from './grant.js';
import type { ChargingLogKind, ChargingReservationsTable } from './tables.js';

const chargingActor = { ...systemActor, name: 'charging' };

/** `charging.credit-alert`: a subscriber's month reached 80 % or 100 % of the credit limit (once each per month). */
export const CREDIT_ALERT = 'charging.credit-alert';
export interface CreditAlert {
  subscriberId: string;
  period: Period;
  percent: 80 | 100;
  feesFen: Fen;
  limitFen: Fen;
}

/**
 * A reservation outlives its grant by this much, so a renewal that is a little late still finds it;
 * after that it lapses by itself (a node that died holds nothing longer than one slice and this).
 */
export const RESERVATION_GRACE_MS = 5_000;

/**
 * How long a node keeps a number's terms (subscriber, plan, credit limit). A limit changed on this
 * node applies at once; one changed on another node applies here within this long.
 */
export const TERMS_CACHE_MS = 30_000;

/** The rating terms and credit limit a caller's calls are charged under. */
export interface ChargingTerms {
  subscriberId: string;
  rate: CallRate;
  allowanceSeconds: number;
  limitFen: Fen;
}

/** What a call is told: the time it may run to, or that the headroom is gone. */
export type Grant = { granted: true; until: Date } | { granted: false; reason: 'credit-limit' };

interface Month {
  settled_fen: number;
  settled_included_seconds: number;
  alerted_80_at: Date | null;
  alerted_100_at: Date | null;
  exhausted_at: Date | null;
}

/**
 * Real-time charging (clause 9): every call holds the price of the time it was granted, against the
 * subscriber's month-to-date fees and credit limit, in the database every node shares. One row per
 * subscriber and month (`charging_months`) is locked while a grant is computed, so the subscriber's
 * parallel calls, on any node, are granted one after the other and never spend one headroom twice.
 */
export class Charging {
  readonly #terms = new Map<string, { terms: ChargingTerms | null; until: number }>();
  /** Plan versions never change once published: read once. */
  readonly #plans = new Map<string, PlanPrices>();

  constructor(
    private readonly ctx: ServiceContext,
    readonly nodeId: string,
    private readonly options: { termsCacheMs?: number } = {},
  ) {}

  get #slice(): number {
    return this.ctx.settings.creditSliceSeconds;
  }

  /** The terms a number's calls are charged under now; null for a number that is not a billed subscriber's. */
  async termsOf(number: string, at: Date): Promise<ChargingTerms | null> {
    const cached = this.#terms.get(number);
    if (cached && cached.until > Date.now()) return cached.terms;
    let usage: UsageTerms | null;
    try {
      usage = await usageTermsOfNumber(this.ctx, number, at, this.#plans);
    } catch (error) {
      // A number known not to be charged stays so while the database is away (SIP goes on for it);
      // for a charged one the offline policy decides.
      if (cached && cached.terms === null && isDatabaseUnavailable(error)) return null;
      throw error;
    }
    let terms: ChargingTerms | null = null;
    if (usage) {
      const limitFen = await creditLimitOf(this.ctx, usage.subscriberId);
      if (limitFen !== null) terms = chargingTerms(usage, limitFen);
    }
    this.#terms.set(number, { terms, until: Date.now() + (this.options.termsCacheMs ?? TERMS_CACHE_MS) });
    return terms;
  }

  /** Forgets cached terms (a limit changed on this node). */
  forget(): void {
    this.#terms.clear();
  }

  /**
   * Authorises a new call and reserves its first grant, counted from now as if it were answered at
   * once (ringing costs nothing, but an answer must find its time already held).
   */
  async authorize(call: { callKey: string; caller: string; at: Date }): Promise<Grant | null> {
    const terms = await this.termsOf(call.caller, call.at);
    if (!terms) return null;
    const period = this.#periodOf(call.at);
    return this.#withMonth(
      terms,
      period,
      call.at,
      async (trx, month, others) => {
        const hold = await this.#grant(trx, terms, month, others, 0);
        if (!hold) {
          await log(trx, terms.subscriberId, call.at, 'refused', call.callKey, { caller: call.caller });
          await this.#exhausted(trx, terms, period, month, call.at);
          return { granted: false, reason: 'credit-limit' } as const;
        }
        const until = new Date(call.at.getTime() + hold.grantedSeconds * 1000);
        await trx
          .insertInto('charging_reservations')
          .values({
            call_key: call.callKey,
            subscriber_id: terms.subscriberId,
            caller: call.caller,
            period,
            node_id: this.nodeId,
            record_id: null,
            state: 'ringing',
            authorized_at: call.at,
            answered_at: null,
            granted_seconds: hold.grantedSeconds,
            included_seconds: hold.includedSeconds,
            reserved_fen: hold.reservedFen,
            granted_until: until,
            expires_at: new Date(until.getTime() + RESERVATION_GRACE_MS),
          })
          .onConflict((oc) => oc.column('call_key').doNothing())
          .execute();
        await log(trx, terms.subscriberId, call.at, 'authorized', call.callKey, {
          caller: call.caller,
          grantedSeconds: hold.grantedSeconds,
          reservedFen: hold.reservedFen,
        });
        await this.#alerts(trx, terms, period, month, call.at, [...others, hold]);
        return { granted: true, until } as const;
      },
      { ownKey: call.callKey },
    );
  }

  /** The call was answered: its time now counts from `at`, and it is granted again from there. */
  async answered(call: { callKey: string; caller: string; recordId: string; at: Date }): Promise<Grant | null> {
    return this.#regrant(call.callKey, call.caller, call.at, { answeredAt: call.at, recordId: call.recordId });
  }

  /** Before a call's grant runs out: more time, or word that the headroom is gone. */
  async renew(call: { callKey: string; caller: string; at: Date; answeredAt?: Date | null }): Promise<Grant | null> {
    return this.#regrant(call.callKey, call.caller, call.at, null, call.answeredAt);
  }

  /**
   * `answeredAt`, when the caller knows it (the proxy's meter does; null while ringing), spares a
   * read: the month a call's fees belong to is its answer's, as the bill rates it.
   */
  async #regrant(
    callKey: string,
    caller: string,
    at: Date,
    answer: { answeredAt: Date; recordId: string } | null,
    knownAnsweredAt?: Date | null,
  ): Promise<Grant | null> {
    const terms = await this.termsOf(caller, at);
    if (!terms) return null;
    let answeredBefore = knownAnsweredAt;
    if (answeredBefore === undefined && !answer) {
      const own = await this.ctx.db
        .selectFrom('charging_reservations')
        .select('answered_at')
        .where('call_key', '=', callKey)
        .executeTakeFirst();
      answeredBefore = own?.answered_at ?? null;
    }
    const period = this.#periodOf(answer?.answeredAt ?? answeredBefore ?? at);
    return this.#withMonth(
      terms,
      period,
      at,
      async (trx, month, others) => {
        const current = await trx
          .selectFrom('charging_reservations')
          .selectAll()
          .where('call_key', '=', callKey)
          .forUpdate()
          .executeTakeFirst();
        const answeredAt = answer?.answeredAt ?? current?.answered_at ?? null;
        // Ringing, or just answered: a grant from now. Answered: more time on top of what it holds.
        const base = answer || !answeredAt || !current ? 0 : current.granted_seconds;
        const start = answeredAt ?? at;
        const hold = await this.#grant(trx, terms, month, others, base);
        if (!hold) {
          await log(trx, terms.subscriberId, at, 'exhausted', callKey, { caller });
          await this.#exhausted(trx, terms, period, month, at);
          return { granted: false, reason: 'credit-limit' } as const;
        }
        const until = new Date((answer || !answeredAt ? at : start).getTime() + hold.grantedSeconds * 1000);
        const values = {
          period,
          state: answeredAt ? ('answered' as const) : ('ringing' as const),
          answered_at: answeredAt,
          granted_seconds: hold.grantedSeconds,
          included_seconds: hold.includedSeconds,
          reserved_fen: hold.reservedFen,
          granted_until: until,
          expires_at: new Date(until.getTime() + RESERVATION_GRACE_MS),
          ...(answer ? { record_id: answer.recordId } : {}),
        };
        if (current) await trx.updateTable('charging_reservations').set(values).where('call_key', '=', callKey).execute();
        else
          await trx
            .insertInto('charging_reservations')
            .values({
              ...values,
              call_key: callKey,
              subscriber_id: terms.subscriberId,
              caller,
              node_id: this.nodeId,
              record_id: answer?.recordId ?? null,
              authorized_at: at,
            })
            .execute();
        await this.#alerts(trx, terms, period, month, at, [...others, hold]);
        return { granted: true, until } as const;
      },
      { ownKey: callKey },
    );
  }

  /**
   * The call is over: its hold is released and, if it was answered, its fees are settled by the
   * rating rule (the same call, the same price as on the bill). Idempotent per call record.
   */
  async ended(call: {
    callKey: string;
    caller: string;
    recordId: string | null;
    answeredAt: Date | null;
    endedAt: Date;
    cutoff?: boolean;
  }): Promise<void> {
    const terms = await this.termsOf(call.caller, call.answeredAt ?? call.endedAt);
    // Not charged (any hold it had lapses by itself).
    if (!terms) return;
    if (!call.answeredAt || !call.recordId) {
      await this.ctx.db.deleteFrom('charging_reservations').where('call_key', '=', call.callKey).execute();
      if (call.cutoff)
        await log(this.ctx.db, terms.subscriberId, call.endedAt, 'cutoff', call.callKey, { caller: call.caller, answered: false });
      return;
    }
    const answeredAt = call.answeredAt;
    const recordId = call.recordId;
    await this.settle(terms, {
      recordId,
      callKey: call.callKey,
      answeredAt,
      durationMs: Math.max(0, call.endedAt.getTime() - answeredAt.getTime()),
      at: call.endedAt,
      cutoff: call.cutoff ?? false,
    });
  }

  /** Settles one completed call (from the proxy at its end, or from its `call.completed` event after a crash). */
  async settle(
    terms: ChargingTerms,
    call: { recordId: string; callKey: string | null; answeredAt: Date; durationMs: number; at: Date; cutoff?: boolean },
  ): Promise<boolean> {
    const period = this.#periodOf(call.answeredAt);
    return this.#withMonth(
      terms,
      period,
      call.at,
      async (trx, month) => {
        await trx
          .deleteFrom('charging_reservations')
          .where((eb) => eb.or([eb('record_id', '=', call.recordId), ...(call.callKey ? [eb('call_key', '=', call.callKey)] : [])]))
          .execute();
        const price = priceCall(terms.rate, call.durationMs, terms.allowanceSeconds - Number(month.settled_included_seconds));
        const inserted = await trx
          .insertInto('charging_usage')
          .values({
            record_id: call.recordId,
            subscriber_id: terms.subscriberId,
            period,
            duration_ms: call.durationMs,
            billable_seconds: price.billableSeconds,
            included_seconds: price.includedSeconds,
            charge_fen: price.chargeFen,
            settled_at: call.at,
          })
          .onConflict((oc) => oc.column('record_id').doNothing())
          .returning('record_id')
          .executeTakeFirst();
        if (!inserted) return false;
        await trx
          .updateTable('charging_months')
          .set((eb) => ({
            settled_fen: eb('settled_fen', '+', price.chargeFen),
            settled_included_seconds: eb('settled_included_seconds', '+', price.includedSeconds),
            settled_calls: eb('settled_calls', '+', 1),
          }))
          .where('subscriber_id', '=', terms.subscriberId)
          .where('period', '=', period)
          .execute();
        if (call.cutoff) {
          await log(trx, terms.subscriberId, call.at, 'cutoff', call.callKey, {
            recordId: call.recordId,
            durationMs: call.durationMs,
            chargeFen: price.chargeFen,
          });
        }
        return true;
      },
      { durable: true, holds: false },
    );
  }

  /**
   * Runs `work` holding the subscriber's month row (created on first use), with the other calls'
   * live holds; lapsed reservations are dropped on the way (a node that died released them so).
   */
  async #withMonth<T>(
    terms: ChargingTerms,
    period: Period,
    at: Date,
    work: (trx: Executor, month: Month, others: Hold[]) => Promise<T>,
    { ownKey, durable = false, holds = true }: { ownKey?: string; durable?: boolean; holds?: boolean } = {},
  ): Promise<T> {
    return this.ctx.db.transaction().execute(async (trx) => {
      // A grant need not wait for its commit to reach the disk: a reservation lost in a crash is
      // released anyway. Settling a call's fees is money, and waits (\`durable\`).
      if (!durable) await sql`set local synchronous_commit = off`.execute(trx);
      const month = await sql<Month>`
        insert into charging_months (subscriber_id, period, limit_fen) values (${terms.subscriberId}::uuid, ${period}::date, ${terms.limitFen}::bigint)
        on conflict (subscriber_id, period) do update set limit_fen = excluded.limit_fen
        returning settled_fen, settled_included_seconds, alerted_80_at, alerted_100_at, exhausted_at`
        .execute(trx)
        .then((r) => r.rows[0]!);
      if (!holds)
        return work(
          trx,
          { ...month, settled_fen: Number(month.settled_fen), settled_included_seconds: Number(month.settled_included_seconds) },
          [],
        );
      const live = await sql<
        Pick<Selectable<ChargingReservationsTable>, 'call_key' | 'granted_seconds' | 'included_seconds' | 'reserved_fen'>
      >`
        with lapsed as (
          delete from charging_reservations where subscriber_id = ${terms.subscriberId}::uuid and expires_at <= ${at}::timestamptz
        )
        select call_key, granted_seconds, included_seconds, reserved_fen from charging_reservations
        where subscriber_id = ${terms.subscriberId}::uuid and expires_at > ${at}::timestamptz and period = ${period}::date`.execute(trx);
      const others = live.rows
        .filter((row) => row.call_key !== ownKey)
        .map((row) => ({
          grantedSeconds: row.granted_seconds,
          includedSeconds: row.included_seconds,
          reservedFen: Number(row.reserved_fen),
        }));
      return work(
        trx,
        { ...month, settled_fen: Number(month.settled_fen), settled_included_seconds: Number(month.settled_included_seconds) },
        others,
      );
    });
  }

  async #grant(trx: Executor, terms: ChargingTerms, month: Month, others: Hold[], base: number): Promise<Hold | null> {
    const headroom: Headroom = {
      rate: terms.rate,
      allowanceSeconds: terms.allowanceSeconds,
      limitFen: terms.limitFen,
      creditFen: 0,
      settledFen: month.settled_fen,
      settledIncludedSeconds: month.settled_included_seconds,
      others,
    };
    const call = { grantedSeconds: base, callsSharing: others.length + 1, sliceSeconds: this.#slice };
    const hold = nextGrant(headroom, call);
    // A whole slice without counting money paid ahead: the ledger is read only near the limit.
    if (hold && hold.grantedSeconds - base >= this.#slice) return hold;
    const credit = await unappliedCredit(trx, terms.subscriberId);
    if (credit <= 0) return hold;
    return nextGrant({ ...headroom, creditFen: credit }, call);
  }

  /** The headroom is gone: once per month the 100 % alert, and the credit-limit block (clause 9). */
  async #exhausted(trx: Executor, terms: ChargingTerms, period: Period, month: Month, at: Date): Promise<void> {
    if (!month.exhausted_at) {
      await trx
        .updateTable('charging_months')
        .set({ exhausted_at: at })
        .where('subscriber_id', '=', terms.subscriberId)
        .where('period', '=', period)
        .execute();
    }
    if (!month.alerted_100_at) await this.#alert(trx, terms, period, at, 100, month.settled_fen);
    await suspendWithin(
      trx,
      this.ctx.settings,
      { subscriberId: terms.subscriberId, cause: 'credit-limit', reference: period },
      chargingActor,
      at,
    );
  }

  async #alerts(trx: Executor, terms: ChargingTerms, period: Period, month: Month, at: Date, holds: Hold[]): Promise<void> {
    if (month.alerted_80_at || terms.limitFen === 0) return;
    const committed = month.settled_fen + holds.reduce((sum, hold) => sum + hold.reservedFen, 0);
    if (committed * 100 >= terms.limitFen * 80) await this.#alert(trx, terms, period, at, 80, committed);
  }

  async #alert(trx: Executor, terms: ChargingTerms, period: Period, at: Date, percent: 80 | 100, feesFen: Fen): Promise<void> {
    await trx
      .updateTable('charging_months')
      .set(percent === 80 ? { alerted_80_at: at } : { alerted_100_at: at, alerted_80_at: sql`coalesce(alerted_80_at, ${at}::timestamptz)` })
      .where('subscriber_id', '=', terms.subscriberId)
      .where('period', '=', period)
      .execute();
    await log(trx, terms.subscriberId, at, 'alert', null, { percent, feesFen, limitFen: terms.limitFen, period });
    await appendEvent<CreditAlert>(trx, {
      type: CREDIT_ALERT,
      aggregateType: 'subscriber',
      aggregateId: terms.subscriberId,
      payload: { subscriberId: terms.subscriberId, period, percent, feesFen, limitFen: terms.limitFen },
      occurredAt: at,
    });
  }

  /**
   * Lifts the credit-limit block of a subscriber whose headroom is back: the fees were paid, the
   * limit raised, or a new month began. Returns whether it was lifted.
   */
  async restoreIfPossible(subscriberId: string, at: Date): Promise<boolean> {
    const months = await this.ctx.db
      .selectFrom('charging_months')
      .select(['period'])
      .where('subscriber_id', '=', subscriberId)
      .where('exhausted_at', 'is not', null)
      .execute();
    if (months.length === 0) return false;
    const limitFen = await creditLimitOf(this.ctx, subscriberId);
    const usage = await usageTermsOfSubscriber(this.ctx, subscriberId, at);
    if (limitFen === null || !usage) return false;
    const terms = chargingTerms(usage, limitFen);
    const period = this.#periodOf(at);
    const restored = await this.#withMonth(terms, period, at, async (trx, month, others) => {
      const hold = await this.#grant(trx, terms, month, others, 0);
      if (!hold) return false;
      await trx.updateTable('charging_months').set({ exhausted_at: null }).where('subscriber_id', '=', subscriberId).execute();
      await log(trx, subscriberId, at, 'restored', null, { limitFen, settledFen: month.settled_fen });
      return true;
    });
    if (restored) await liftSuspensions(this.ctx, { subscriberId, cause: 'credit-limit' }, chargingActor);
    return restored;
  }

  /** At start: the calls this node held before it stopped are gone with its memory; their holds go too. */
  async releaseNodeReservations(): Promise<number> {
    const released = await this.ctx.db.deleteFrom('charging_reservations').where('node_id', '=', this.nodeId).executeTakeFirst();
    return Number(released.numDeletedRows);
  }

  #periodOf(at: Date): Period {
    return periodOf(localDateOf(at, this.ctx.settings.timeZone));
  }
}

/** The credit limit in force: the last one set after the order, or the order's. Null: no order, nothing to limit. */
export async function creditLimitOf(ctx: ServiceContext, subscriberId: string): Promise<Fen | null> {
  const changed = await ctx.db.selectFrom('credit_limits').select('limit_fen').where('subscriber_id', '=', subscriberId).executeTakeFirst();
  if (changed) return Number(changed.limit_fen);
  const order = await currentOrder(ctx, subscriberId);
  return order ? order.creditLimitFen : null;
}

function chargingTerms(usage: UsageTerms, limitFen: Fen): ChargingTerms {
  return {
    subscriberId: usage.subscriberId,
    rate: { perMinuteRatePrecise: usage.perMinuteRatePrecise, billingIncrementSeconds: usage.billingIncrementSeconds },
    allowanceSeconds: usage.includedSeconds,
    limitFen,
  };
}

async function log(
  executor: Executor,
  subscriberId: string,
  at: Date,
  kind: ChargingLogKind,
  callKey: string | null,
  detail: unknown,
): Promise<void> {
  await executor
    .insertInto('charging_log')
    .values({ subscriber_id: subscriberId, at, kind, call_key: callKey, detail: JSON.stringify(detail) })
    .execute();
}
