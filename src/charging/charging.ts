import { sql } from 'kysely';
import { systemActor } from '../audit/index.js';
import { unappliedCredit, usageTermsOfNumbers, usageTermsOfSubscriber, type PlanPrices, type UsageTerms } from '../billing/index.js';
import { priceCall, type CallRate } from '../catalog/index.js';
import { liftSuspensions, suspendWithin } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import { Batcher, inTransaction, isDatabaseUnavailable, type Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import type { Fen } from '../platform/money.js';
import { localDateOf, periodOf, type Period } from '../platform/zoned-calendar.js';
import { currentOrder } from '../subscribers/index.js';
import { committedFen, nextGrant, priceInStartOrder, type CallStart, type Headroom, type Hold } from './grant.js';
import {
  heldCall,
  latestSettledStarts,
  lockMonths,
  log,
  priceMonthInStartOrder,
  readLiveHolds,
  rewriteHoldShares,
  settledCallsSince,
  startOfHold,
  writeLogs,
  writeReservations,
  type HoldRow,
  type LogWrite,
  type Month,
  type ReservationWrite,
  type SettledCall,
} from './store.js';

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
 * How long a node keeps a number's terms (subscriber, plan, credit limit) when nothing tells it of
 * a change: what changes them (a limit, an account opened, a number assigned or released, a plan
 * corrected) is forgotten at once on the node that made the change, and on every other node through
 * the announcement (`shareTermsInvalidations`) when Redis carries one.
 */
export const TERMS_CACHE_MS = 30_000;

/**
 * The same when every change reaches this process: on the embedded database (one process), or with
 * Redis carrying the announcements (a subscriber connection that was lost forgets everything when it
 * is back, since what was published meanwhile is gone). A guard, not a freshness: a missed
 * announcement is the only way to see old terms, and this bounds it.
 */
export const ANNOUNCED_TERMS_CACHE_MS = 10 * 60_000;

/**
 * Up to this long after its terms' cache lifetime, a call is authorised on the terms this node knew
 * while they are read again behind it (RFC 5861 §3 stale-while-revalidate, in spirit, as the SIP
 * account cache does): only when every change reaches this node (see ANNOUNCED_TERMS_CACHE_MS),
 * where a change the service makes is forgotten at once and read before the next call. Longer than
 * a registration lasts: a phone's re-registration refreshes its number's terms behind it (`learn`),
 * so the call setup of a registered phone waits for no terms read.
 */
export const ANNOUNCED_TERMS_REVALIDATE_MS = 2 * 60 * 60_000;

/** A number's terms as this node keeps them. */
interface CachedTerms {
  terms: ChargingTerms | null;
  /** Wall clock (Date.now) after which the terms are read again. */
  until: number;
  /** Wall clock up to which a call setup may still use them while they are read again (0: not at all). */
  staleUntil: number;
  /** The number's assignment ends then (service clock): a call from that moment on reads again. */
  assignedUntil: number | null;
}

/** The rating terms and credit limit a caller's calls are charged under. */
export interface ChargingTerms {
  subscriberId: string;
  rate: CallRate;
  allowanceSeconds: number;
  limitFen: Fen;
}

/** What a call is told: the time it may run to, or that the headroom is gone. */
export type Grant =
  | { granted: true; until: Date }
  | { granted: false; reason: 'credit-limit' }
  /** A renewal for a call that holds nothing any more: it was settled (it ended) or its hold lapsed. */
  | { granted: false; reason: 'not-held' };

/** Requests granted in one transaction at most, and transactions of grants at once per node. */
const MAX_BATCH = 500;
const MAX_BATCHES_RUNNING = 4;

interface GrantRequest {
  kind: 'authorize' | 'answered' | 'renew';
  callKey: string;
  caller: string;
  at: Date;
  terms: ChargingTerms;
  period: Period;
  recordId?: string;
  resolve: (grant: Grant) => void;
  reject: (error: unknown) => void;
}

/** Calls in the order they started (answered), ties by record id: the order the bill gives included minutes in. */
function byStart(a: { answeredAt: Date; recordId: string }, b: { answeredAt: Date; recordId: string }): number {
  return a.answeredAt.getTime() - b.answeredAt.getTime() || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0);
}

interface SettleRequest {
  terms: ChargingTerms;
  period: Period;
  recordId: string;
  callKey: string | null;
  answeredAt: Date;
  durationMs: number;
  at: Date;
  cutoff?: boolean;
  resolve: (settled: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Real-time charging (clause 9): every call holds the price of the time it was granted, against the
 * subscriber's month-to-date fees and credit limit, in the database every node shares. One row per
 * subscriber and month (`charging_months`) is locked while a grant is computed, so the subscriber's
 * parallel calls, on any node, are granted one after the other and never spend one headroom twice.
 */
export class Charging {
  readonly #terms = new Map<string, CachedTerms>();
  /** Counts forgettings: terms read while one happened may be the old ones and are not kept. */
  #generation = 0;
  #announce: (() => void) | null = null;
  /** Plan versions never change once published: read once. */
  readonly #plans = new Map<string, PlanPrices>();
  /** Every registration and call asks for terms: the asks of one turn share one query. */
  readonly #usage = new Batcher<{ number: string; at: Date }, UsageTerms | null>((asks) =>
    usageTermsOfNumbers(this.ctx, asks, this.#plans),
  );
  /** The re-reads behind calls and registrations: nobody waits on them, so they linger to share statements. */
  readonly #revalidator = new Batcher<{ number: string; at: Date }, UsageTerms | null>(
    (asks) => usageTermsOfNumbers(this.ctx, asks, this.#plans),
    { lingerMs: 100 },
  );
  /** Numbers being read again behind a call or a registration, and those reads. */
  readonly #revalidating = new Set<string>();
  readonly #revalidations = new Set<Promise<unknown>>();
  readonly #queue: GrantRequest[] = [];
  #batchesRunning = 0;
  readonly #settlements: SettleRequest[] = [];
  #settlementBatchesRunning = 0;

  constructor(
    private readonly ctx: ServiceContext,
    readonly nodeId: string,
    private readonly options: {
      termsCacheMs?: number;
      revalidateMs?: number;
      /** The clock cache lifetimes are counted on (Date.now; a test's own clock). */
      wallClock?: () => number;
    } = {},
  ) {}

  #wallNow(): number {
    return this.options.wallClock?.() ?? Date.now();
  }

  /** Resolves once no terms are being read again behind a call or a registration (tests; a graceful stop). */
  async idle(): Promise<void> {
    while (this.#revalidations.size > 0) await Promise.allSettled([...this.#revalidations]);
  }

  get #slice(): number {
    return this.ctx.settings.creditSliceSeconds;
  }

  /**
   * The terms a number's calls are charged under now; null for a number that is not a billed subscriber's.
   * `setup`: for a call being set up, terms past their cache lifetime but within the revalidation
   * window answer at once and are read again behind the call (settling fees always reads them fresh).
   */
  async termsOf(number: string, at: Date, options: { setup?: boolean } = {}): Promise<ChargingTerms | null> {
    const cached = this.#terms.get(number);
    const now = this.#wallNow();
    const inForce = cached !== undefined && (cached.assignedUntil === null || at.getTime() < cached.assignedUntil);
    if (inForce && cached.until > now) return cached.terms;
    if (inForce && options.setup && cached.staleUntil > now) {
      this.#revalidate(number, at);
      return cached.terms;
    }
    const generation = this.#generation;
    let usage: UsageTerms | null;
    try {
      usage = await this.#usage.load({ number, at });
    } catch (error) {
      // A number known not to be charged stays so while the database is away (SIP goes on for it);
      // for a charged one the offline policy decides.
      if (cached && cached.terms === null && isDatabaseUnavailable(error)) return null;
      throw error;
    }
    return this.#remember(number, usage, generation);
  }

  /** Terms from a usage read, with the credit limit; kept unless a forgetting happened since `generation`. */
  async #remember(number: string, usage: UsageTerms | null, generation: number): Promise<ChargingTerms | null> {
    let terms: ChargingTerms | null = null;
    if (usage) {
      const limitFen = await creditLimitOf(this.ctx, usage.subscriberId);
      if (limitFen !== null) terms = chargingTerms(usage, limitFen);
    }
    if (generation === this.#generation) {
      const until = this.#wallNow() + (this.options.termsCacheMs ?? TERMS_CACHE_MS);
      this.#terms.set(number, {
        terms,
        until,
        staleUntil: this.options.revalidateMs ? until + this.options.revalidateMs : 0,
        assignedUntil: usage?.assignedUntil?.getTime() ?? null,
      });
    }
    return terms;
  }

  /** Reads a number's terms again without anyone waiting; a failure leaves what was known. */
  #revalidate(number: string, at: Date): void {
    if (this.#revalidating.has(number)) return;
    this.#revalidating.add(number);
    const generation = this.#generation;
    const reading: Promise<unknown> = this.#revalidator
      .load({ number, at })
      .then((usage) => this.#remember(number, usage, generation))
      .catch(() => undefined)
      .finally(() => {
        this.#revalidating.delete(number);
        this.#revalidations.delete(reading);
      });
    this.#revalidations.add(reading);
  }

  /**
   * A number registered (here, or on another node or worker): learn its terms, so that a database
   * outage later still knows whether its calls are charged (termsOf falls back to a known "not
   * charged" however old), and so that its calls find them. A number known and still fresh is not
   * asked again; one unknown or past its cache lifetime is read behind the registration, many
   * numbers to a statement (a phone refreshes its registration every hour at most, which keeps its
   * terms within the revalidation window).
   */
  learn(number: string, at: Date): void {
    const cached = this.#terms.get(number);
    if (!cached || cached.until <= this.#wallNow()) this.#revalidate(number, at);
  }

  /**
   * A number registered on another node or worker: its terms are read behind that registration if
   * this node has none, so that its first call here finds them. Known ones are not read again for
   * every refresh elsewhere (a read of a charged number costs a credit-limit query of its own); a
   * call past their lifetime re-reads them behind itself.
   */
  learnIfUnknown(number: string, at: Date): void {
    if (!this.#terms.has(number)) this.#revalidate(number, at);
  }

  /** Forgets cached terms (a limit or an account changed on this node), here and on every node told of it. */
  forget(): void {
    this.forgetLocally();
    this.#announce?.();
  }

  /**
   * Forgets cached terms on this node only (another node announced a change). Each is read again
   * by its number's next call; what they said is kept only for termsOf's answer while the database
   * is away (a number known not to be charged keeps calling).
   */
  forgetLocally(): void {
    for (const cached of this.#terms.values()) {
      cached.until = 0;
      cached.staleUntil = 0;
    }
    this.#generation += 1;
  }

  /** Where `forget` tells the other nodes (set once, by shareTermsInvalidations). */
  announceForgettingTo(announce: () => void): void {
    this.#announce = announce;
  }

  /**
   * Authorises a new call and reserves its first grant, counted from now as if it were answered at
   * once (ringing costs nothing, but an answer must find its time already held).
   */
  async authorize(call: { callKey: string; caller: string; at: Date }): Promise<Grant | null> {
    const terms = await this.termsOf(call.caller, call.at, { setup: true });
    if (!terms) return null;
    return this.#submit({
      kind: 'authorize',
      callKey: call.callKey,
      caller: call.caller,
      at: call.at,
      terms,
      period: this.#periodOf(call.at),
    });
  }

  /** The call was answered: its time now counts from `at`, and it is granted again from there. */
  async answered(call: { callKey: string; caller: string; recordId: string; at: Date }): Promise<Grant | null> {
    const terms = await this.termsOf(call.caller, call.at);
    if (!terms) return null;
    return this.#submit({
      kind: 'answered',
      callKey: call.callKey,
      caller: call.caller,
      at: call.at,
      terms,
      period: this.#periodOf(call.at),
      recordId: call.recordId,
    });
  }

  /**
   * Before a call's grant runs out: more time, or word that the headroom is gone. `answeredAt`,
   * when the caller knows it (the proxy's meter does; null while ringing), spares a read: the month
   * a call's fees belong to is its answer's, as the bill rates it.
   */
  async renew(call: { callKey: string; caller: string; at: Date; answeredAt?: Date | null }): Promise<Grant | null> {
    const terms = await this.termsOf(call.caller, call.at);
    if (!terms) return null;
    let answeredAt = call.answeredAt;
    if (answeredAt === undefined) {
      const own = await this.ctx.db
        .selectFrom('charging_reservations')
        .select('answered_at')
        .where('call_key', '=', call.callKey)
        .executeTakeFirst();
      answeredAt = own?.answered_at ?? null;
    }
    return this.#submit({
      kind: 'renew',
      callKey: call.callKey,
      caller: call.caller,
      at: call.at,
      terms,
      period: this.#periodOf(answeredAt ?? call.at),
    });
  }

  #submit(request: Omit<GrantRequest, 'resolve' | 'reject'>): Promise<Grant> {
    return new Promise<Grant>((resolve, reject) => {
      this.#queue.push({ ...request, resolve, reject });
      this.#drain();
    });
  }

  /**
   * Grants are computed in batches: what arrived while the previous batch ran goes in one
   * transaction (a few statements for any number of calls, instead of a handful per call). Within
   * a batch each subscriber's requests are granted one after the other, each seeing the holds the
   * earlier ones took, exactly as if they had run one by one.
   */
  #drain(): void {
    while (this.#queue.length > 0 && this.#batchesRunning < MAX_BATCHES_RUNNING) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      this.#batchesRunning += 1;
      void this.#runBatch(batch)
        .catch((error: unknown) => {
          for (const request of batch) request.reject(error);
        })
        .finally(() => {
          this.#batchesRunning -= 1;
          this.#drain();
        });
    }
  }

  async #runBatch(batch: GrantRequest[]): Promise<void> {
    const answers = await inTransaction(this.ctx.db, async (trx) => {
      // A grant need not wait for its commit to reach the disk: a reservation lost in a crash is
      // released anyway (settling a call's fees is money, and does wait).
      await sql`set local synchronous_commit = off`.execute(trx);
      const firstAt = new Date(Math.min(...batch.map((r) => r.at.getTime())));
      const monthOf = await lockMonths(trx, batch);
      const keys = batch;
      // Every live hold of these subscribers, read once the months are locked (so none is missed).
      const subscribers = [...new Set(keys.map((k) => k.terms.subscriberId))];
      const live = await readLiveHolds(trx, subscribers, firstAt);
      const holds = new Map<string, HoldRow[]>();
      for (const row of live) holds.set(row.subscriber_id, [...(holds.get(row.subscriber_id) ?? []), row]);
      const settledAfter = await settledCallsSince(trx, firstAnswers(live, monthOf));

      const writes: ReservationWrite[] = [];
      const logs: LogWrite[] = [];
      const results: Grant[] = [];
      const touched = new Map<string, { terms: ChargingTerms; period: Period; at: Date; month: Month }>();
      for (const request of batch) {
        const month = monthOf.get(`${request.terms.subscriberId}|${request.period}`)!;
        const mine = holds.get(request.terms.subscriberId) ?? [];
        const current =
          request.kind === 'authorize' ? undefined : mine.find((h) => h.call_key === request.callKey && h.expires_at > request.at);
        // A renewal racing the call's own end (or far too late) must not take a hold again.
        if (request.kind === 'renew' && !current) {
          results.push({ granted: false, reason: 'not-held' });
          continue;
        }
        const others = mine.filter((h) => h.call_key !== request.callKey && h.period === request.period && h.expires_at > request.at);
        const answeredAt = request.kind === 'answered' ? request.at : (current?.answered_at ?? null);
        const authorizedAt = current?.authorized_at ?? request.at;
        const start: CallStart = startOfHold({
          answered_at: answeredAt,
          authorized_at: authorizedAt,
          record_id: request.recordId ?? current?.record_id ?? null,
          call_key: request.callKey,
        });
        const headroom = monthHeadroom(request.terms, month, others, settledAfter.get(`${request.terms.subscriberId}|${request.period}`));
        // Ringing, or just answered: a grant from now. Answered: more time on top of what it holds.
        const base = request.kind === 'renew' && answeredAt && current ? current.granted_seconds : 0;
        const hold = await this.#grant(trx, headroom, { start, grantedSeconds: base, callsSharing: others.length + 1 });
        if (!hold) {
          logs.push({
            subscriberId: request.terms.subscriberId,
            at: request.at,
            kind: request.kind === 'authorize' ? 'refused' : 'exhausted',
            callKey: request.callKey,
            detail: { caller: request.caller },
          });
          await this.#exhausted(trx, request.terms, request.period, month, request.at, logs);
          month.exhausted_at = request.at;
          month.alerted_100_at ??= request.at;
          results.push({ granted: false, reason: 'credit-limit' });
          continue;
        }
        const from = request.kind === 'renew' && answeredAt ? answeredAt : request.at;
        const until = new Date(from.getTime() + hold.grantedSeconds * 1000);
        const expiresAt = new Date(until.getTime() + RESERVATION_GRACE_MS);
        writes.push({
          callKey: request.callKey,
          subscriberId: request.terms.subscriberId,
          caller: request.caller,
          period: request.period,
          recordId: request.recordId ?? null,
          answeredAt,
          authorizedAt,
          hold,
          until,
          expiresAt,
        });
        // Later requests of the batch see this hold.
        const row: HoldRow = {
          call_key: request.callKey,
          subscriber_id: request.terms.subscriberId,
          period: request.period,
          granted_seconds: hold.grantedSeconds,
          included_seconds: hold.includedSeconds,
          reserved_fen: hold.reservedFen,
          record_id: request.recordId ?? current?.record_id ?? null,
          authorized_at: authorizedAt,
          answered_at: answeredAt,
          expires_at: expiresAt,
        };
        holds.set(request.terms.subscriberId, [...mine.filter((h) => h.call_key !== request.callKey), row]);
        if (request.kind === 'authorize') {
          logs.push({
            subscriberId: request.terms.subscriberId,
            at: request.at,
            kind: 'authorized',
            callKey: request.callKey,
            detail: { caller: request.caller, grantedSeconds: hold.grantedSeconds, reservedFen: hold.reservedFen },
          });
        }
        await this.#alerts(trx, request.terms, request.period, month, request.at, committedFen(headroom, { start, hold }), logs);
        touched.set(`${request.terms.subscriberId}|${request.period}`, {
          terms: request.terms,
          period: request.period,
          at: request.at,
          month,
        });
        results.push({ granted: true, until });
      }
      await writeReservations(trx, this.nodeId, writes);
      // A call granted more time takes included minutes from the calls that started after it: what
      // each call in progress holds is priced again, so the gauges show what the month is committed to.
      const shares = [...touched].flatMap(([key, { terms, period, at, month }]) => {
        const rows = (holds.get(terms.subscriberId) ?? []).filter((h) => h.period === period && h.expires_at > at);
        const { prices } = priceInStartOrder(monthHeadroom(terms, month, [], settledAfter.get(key)), [
          ...rows.map(heldCall),
          ...(settledAfter.get(key) ?? []),
        ]);
        // Usually none changed: then no statement at all.
        return rows.flatMap((row, index) => {
          const { includedSeconds, fen } = prices[index]!;
          if (includedSeconds === row.included_seconds && fen === Number(row.reserved_fen)) return [];
          return [{ callKey: row.call_key, includedSeconds, reservedFen: fen }];
        });
      });
      await rewriteHoldShares(trx, shares);
      await writeLogs(trx, logs);
      return results;
    });
    batch.forEach((request, index) => request.resolve(answers[index]!));
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

  /**
   * Settles one completed call (from the proxy at its end, or from its `call.completed` event after
   * a crash); false when it was settled already. Settlements are batched like grants, in the order
   * they arrive, and wait for their commit to reach the disk: they are money.
   */
  settle(
    terms: ChargingTerms,
    call: { recordId: string; callKey: string | null; answeredAt: Date; durationMs: number; at: Date; cutoff?: boolean },
  ): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#settlements.push({ ...call, terms, period: this.#periodOf(call.answeredAt), resolve, reject });
      this.#drainSettlements();
    });
  }

  #drainSettlements(): void {
    while (this.#settlements.length > 0 && this.#settlementBatchesRunning < MAX_BATCHES_RUNNING) {
      const batch = this.#settlements.splice(0, MAX_BATCH);
      this.#settlementBatchesRunning += 1;
      void this.#runSettlements(batch)
        .catch((error: unknown) => {
          for (const request of batch) request.reject(error);
        })
        .finally(() => {
          this.#settlementBatchesRunning -= 1;
          this.#drainSettlements();
        });
    }
  }

  async #runSettlements(batch: SettleRequest[]): Promise<void> {
    const settled = await inTransaction(this.ctx.db, async (trx) => {
      const monthOf = await lockMonths(trx, batch);
      const recordIds = batch.map((r) => r.recordId);
      await sql`
        delete from charging_reservations
        where record_id = any(${recordIds}::uuid[]) or call_key = any(${batch.flatMap((r) => (r.callKey ? [r.callKey] : []))}::text[])`.execute(
        trx,
      );
      // Read once the months are locked: a call settled by another batch is seen here.
      const known = new Set(
        (await trx.selectFrom('charging_usage').select('record_id').where('record_id', 'in', recordIds).execute()).map((r) => r.record_id),
      );
      const usage: { request: SettleRequest; price: ReturnType<typeof priceCall> }[] = [];
      const results = batch.map(() => false);
      // The month's last settled call in start order: a call that comes before it (started earlier, or
      // in the same millisecond with a lower record id) takes included minutes from calls that come
      // after it, so the month is priced again below.
      const lastSettled = await latestSettledStarts(trx, [...monthOf.keys()]);
      const reprice = new Set<string>();
      // The rating rule (the bill's): included seconds go to calls in the order they started.
      const inStartOrder = batch.map((request, index) => ({ request, index })).sort((a, b) => byStart(a.request, b.request));
      for (const { request, index } of inStartOrder) {
        if (known.has(request.recordId)) continue;
        known.add(request.recordId);
        const key = `${request.terms.subscriberId}|${request.period}`;
        const month = monthOf.get(key)!;
        const last = lastSettled.get(key);
        if (last !== undefined && byStart(request, last) < 0) reprice.add(key);
        const price = priceCall(request.terms.rate, request.durationMs, request.terms.allowanceSeconds - month.settled_included_seconds);
        month.settled_fen += price.chargeFen;
        month.settled_included_seconds += price.includedSeconds;
        usage.push({ request, price });
        results[index] = true;
      }
      if (usage.length > 0) {
        const col = <T>(pick: (u: (typeof usage)[number]) => T) => usage.map(pick);
        await sql`
          insert into charging_usage (record_id, subscriber_id, period, duration_ms, billable_seconds, included_seconds, charge_fen, settled_at, answered_at)
          select * from unnest(${col((u) => u.request.recordId)}::uuid[], ${col((u) => u.request.terms.subscriberId)}::uuid[],
                               ${col((u) => u.request.period)}::date[], ${col((u) => u.request.durationMs)}::bigint[],
                               ${col((u) => u.price.billableSeconds)}::int[], ${col((u) => u.price.includedSeconds)}::int[],
                               ${col((u) => u.price.chargeFen)}::bigint[], ${col((u) => u.request.at.toISOString())}::timestamptz[],
                               ${col((u) => u.request.answeredAt.toISOString())}::timestamptz[])`.execute(trx);
        for (const key of reprice) {
          const request = usage.find((u) => `${u.request.terms.subscriberId}|${u.request.period}` === key)!.request;
          const totals = await priceMonthInStartOrder(trx, request.terms, request.period);
          const month = monthOf.get(key)!;
          month.settled_fen = totals.fen;
          month.settled_included_seconds = totals.includedSeconds;
        }
        const touched = [...new Set(usage.map((u) => `${u.request.terms.subscriberId}|${u.request.period}`))].map((key) => {
          const month = monthOf.get(key)!;
          const mine = usage.filter((u) => `${u.request.terms.subscriberId}|${u.request.period}` === key);
          const lastStart = Math.max(month.last_settled_start?.getTime() ?? 0, ...mine.map((u) => u.request.answeredAt.getTime()));
          month.last_settled_start = new Date(lastStart);
          return { key, month, calls: mine.length };
        });
        await sql`
          update charging_months m
          set settled_fen = t.fen, settled_included_seconds = t.included, settled_calls = m.settled_calls + t.calls,
              last_settled_start = t.last_start
          from unnest(${touched.map((t) => t.key.split('|')[0]!)}::uuid[], ${touched.map((t) => t.key.split('|')[1]!)}::date[],
                      ${touched.map((t) => t.month.settled_fen)}::bigint[], ${touched.map((t) => t.month.settled_included_seconds)}::bigint[],
                      ${touched.map((t) => t.calls)}::int[], ${touched.map((t) => t.month.last_settled_start!.toISOString())}::timestamptz[])
               as t(subscriber_id, period, fen, included, calls, last_start)
          where m.subscriber_id = t.subscriber_id and m.period = t.period`.execute(trx);
        await writeLogs(
          trx,
          usage
            .filter((u) => u.request.cutoff)
            .map((u) => ({
              subscriberId: u.request.terms.subscriberId,
              at: u.request.at,
              kind: 'cutoff' as const,
              callKey: u.request.callKey,
              detail: { recordId: u.request.recordId, durationMs: u.request.durationMs, chargeFen: u.price.chargeFen },
            })),
        );
      }
      return results;
    });
    batch.forEach((request, index) => request.resolve(settled[index]!));
  }

  /**
   * More time for one call: nextGrant without counting money paid ahead, and with it only when
   * that does not give a whole slice (the ledger is read only near the limit).
   */
  async #grant(
    trx: Executor,
    headroom: Headroom & { subscriberId: string },
    call: { start: CallStart; grantedSeconds: number; callsSharing: number },
  ): Promise<Hold | null> {
    const asked = { ...call, sliceSeconds: this.#slice };
    const hold = nextGrant(headroom, asked);
    if (hold && hold.grantedSeconds - call.grantedSeconds >= this.#slice) return hold;
    const credit = await unappliedCredit(trx, headroom.subscriberId);
    if (credit <= 0) return hold;
    return nextGrant({ ...headroom, creditFen: credit }, asked);
  }

  /** The headroom is gone: once per month the 100 % alert, and the credit-limit block (clause 9). */
  async #exhausted(trx: Executor, terms: ChargingTerms, period: Period, month: Month, at: Date, logs: LogWrite[]): Promise<void> {
    if (!month.exhausted_at) {
      await trx
        .updateTable('charging_months')
        .set({ exhausted_at: at })
        .where('subscriber_id', '=', terms.subscriberId)
        .where('period', '=', period)
        .execute();
    }
    if (!month.alerted_100_at) await this.#alert(trx, terms, period, at, 100, month.settled_fen, logs);
    await suspendWithin(
      trx,
      this.ctx.settings,
      { subscriberId: terms.subscriberId, cause: 'credit-limit', reference: period },
      chargingActor,
      at,
    );
  }

  async #alerts(
    trx: Executor,
    terms: ChargingTerms,
    period: Period,
    month: Month,
    at: Date,
    committed: Fen,
    logs: LogWrite[],
  ): Promise<void> {
    if (month.alerted_80_at || terms.limitFen === 0) return;
    if (committed * 100 >= terms.limitFen * 80) {
      await this.#alert(trx, terms, period, at, 80, committed, logs);
      month.alerted_80_at = at;
    }
  }

  /** `logs` collects the history rows of the batch, written together in the order they happened. */
  async #alert(
    trx: Executor,
    terms: ChargingTerms,
    period: Period,
    at: Date,
    percent: 80 | 100,
    feesFen: Fen,
    logs: LogWrite[],
  ): Promise<void> {
    await trx
      .updateTable('charging_months')
      .set(percent === 80 ? { alerted_80_at: at } : { alerted_100_at: at, alerted_80_at: sql`coalesce(alerted_80_at, ${at}::timestamptz)` })
      .where('subscriber_id', '=', terms.subscriberId)
      .where('period', '=', period)
      .execute();
    logs.push({
      subscriberId: terms.subscriberId,
      at,
      kind: 'alert',
      callKey: null,
      detail: { percent, feesFen, limitFen: terms.limitFen, period },
    });
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
    const restored = await inTransaction(this.ctx.db, async (trx) => {
      const month = (await lockMonths(trx, [{ terms, period }])).get(`${terms.subscriberId}|${period}`)!;
      const others = (await readLiveHolds(trx, [terms.subscriberId], at)).filter((row) => row.period === period);
      const settledAfter = await settledCallsSince(trx, firstAnswers(others, new Map([[`${terms.subscriberId}|${period}`, month]])));
      const headroom = monthHeadroom(terms, month, others, settledAfter.get(`${terms.subscriberId}|${period}`));
      // Whether a new call could be granted now.
      const start: CallStart = { answeredAt: null, authorizedAt: at.getTime(), id: '' };
      const hold = await this.#grant(trx, headroom, { start, grantedSeconds: 0, callsSharing: others.length + 1 });
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

/**
 * Per month asked about (`subscriber|period`), the first answer among its calls in progress, where
 * a settled call started at or after it (else nothing needs reading: the month row says so).
 */
function firstAnswers(live: readonly HoldRow[], months: ReadonlyMap<string, Month>): Map<string, Date> {
  const first = new Map<string, Date>();
  for (const row of live) {
    if (!row.answered_at) continue;
    const key = `${row.subscriber_id}|${row.period}`;
    const seen = first.get(key);
    if (!seen || row.answered_at < seen) first.set(key, row.answered_at);
  }
  for (const [key, since] of first) {
    const lastStart = months.get(key)?.last_settled_start;
    if (!lastStart || lastStart < since) first.delete(key);
  }
  return first;
}

/**
 * The month a call asks in: the completed calls that started before every call in progress at
 * their settled price, and the rest (calls in progress at what they hold, the completed calls that
 * started after the first of them) still to be priced with the call, in start order.
 */
function monthHeadroom(
  terms: ChargingTerms,
  month: Month,
  otherHolds: readonly HoldRow[],
  settledAfter: readonly SettledCall[] = [],
): Headroom & { subscriberId: string } {
  return {
    subscriberId: terms.subscriberId,
    rate: terms.rate,
    allowanceSeconds: terms.allowanceSeconds,
    limitFen: terms.limitFen,
    creditFen: 0,
    settledFen: month.settled_fen - settledAfter.reduce((sum, call) => sum + call.chargeFen, 0),
    settledIncludedSeconds: month.settled_included_seconds - settledAfter.reduce((sum, call) => sum + call.includedSeconds, 0),
    others: [...otherHolds.map(heldCall), ...settledAfter],
  };
}

function chargingTerms(usage: UsageTerms, limitFen: Fen): ChargingTerms {
  return {
    subscriberId: usage.subscriberId,
    rate: { perMinuteRatePrecise: usage.perMinuteRatePrecise, billingIncrementSeconds: usage.billingIncrementSeconds },
    allowanceSeconds: usage.includedSeconds,
    limitFen,
  };
}
