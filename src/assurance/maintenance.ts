import { recordAudit, type Actor } from '../audit/index.js';
import { accountsInService, type AccountInService } from '../billing/index.js';
import { sendNotice } from '../notices/index.js';
import { subscriberIdForNumber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import {
  isOnTime,
  movedNumber,
  validateWindow,
  windowNotice,
  type BilingualFieldError,
  type WindowFacts,
  type WindowForCredits,
} from './maintenance-rules.js';
import { insertOutage } from './outages.js';
import type { MaintenanceEffect, MaintenanceScope } from './tables.js';

/**
 * Maintenance windows (clause 7): staff with `notices.publish` announce a window; the subscribers it
 * reaches are notified through the notices module; an on-time window excuses its time from outage
 * credits, a late one becomes an outage as it begins (clause 13); a number change answers calls to the
 * old number with the new one for a while.
 */
export interface MaintenanceWindow {
  id: string;
  reference: string;
  startsAt: Date;
  endsAt: Date;
  effect: MaintenanceEffect;
  scope: MaintenanceScope;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  publishedAt: Date;
  publishedBy: string;
  lateReason: string | null;
  onTime: boolean;
  outageId: string | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}

export interface AffectedSubscriber {
  subscriberId: string;
  number: string | null;
  newNumber: string | null;
}

export const windowReferenceOf = (number: number) => `MW-${number}`;

const lateMaintenanceActor: Actor = { type: 'system', id: null, name: 'assurance.late-maintenance' };

function invalid(errors: BilingualFieldError[]): Result<never> {
  return fail('invalid', 'invalid-request', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
    fields: errors.map(({ field, message }) => ({ field, message })),
    extra: { messages: errors.map((e) => ({ field: e.field, en: e.message, 'zh-CN': e.messageZh })) },
  });
}

/**
 * Staff publish a window (audited): guards, the subscribers it reaches resolved through billing's
 * accounts in service, then one transaction writing the window, its subscribers and their notices.
 */
export async function publishWindow(ctx: ServiceContext, facts: WindowFacts, actor: Actor): Promise<Result<MaintenanceWindow>> {
  const now = ctx.clock.now();
  const leadHours = ctx.settings.maintenanceNoticeLeadHours;
  const errors = validateWindow(facts, now, leadHours);
  if (errors.length > 0) return invalid(errors);
  const onTime = isOnTime(now, facts.startsAt, leadHours);
  const zone = ctx.settings.timeZone;
  const accounts = await accountsInService(
    ctx.db,
    localDateOf(facts.startsAt, zone),
    localDateOf(new Date(facts.endsAt.getTime() - 1), zone),
  );
  const resolved = await resolveSubscribers(ctx, facts, accounts, facts.startsAt);
  if (!resolved.ok) return resolved;
  const affected = resolved.value;
  if (affected.length === 0)
    return invalid([{ field: 'scope', message: 'reaches no subscriber in service', messageZh: '范围内没有在网用户' }]);

  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('maintenance_windows')
      .values({
        starts_at: facts.startsAt,
        ends_at: facts.endsAt,
        effect: facts.effect,
        scope: JSON.stringify(normalScope(facts.scope)),
        title_zh: facts.titleZh.trim(),
        title_en: facts.titleEn.trim(),
        description_zh: facts.descriptionZh.trim(),
        description_en: facts.descriptionEn.trim(),
        published_at: now,
        published_by: actor.id ?? actor.type,
        published_by_name: actor.name ?? actor.type,
        late_reason: onTime ? null : facts.lateReason!.trim(),
        outage_id: null,
        cancelled_at: null,
        cancelled_by: null,
        cancelled_by_name: null,
        cancel_reason: null,
      })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('maintenance_window_subscribers')
      .values(affected.map((a) => ({ window_id: row.id, subscriber_id: a.subscriberId, number: a.number, new_number: a.newNumber })))
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'assurance.maintenance-published',
      target: { type: 'maintenance-window', id: row.id },
      after: { reference: windowReferenceOf(row.number), ...facts, onTime, subscribers: affected.length },
    });
    const window = (await findWindow(trx, row.id))!;
    await notify(trx, window, affected, zone, null, now);
    return row.id;
  });
  return ok((await findWindow(ctx.db, id))!);
}

/** Staff cancel a window that has not begun (audited); those it reached are told. */
export async function cancelWindow(ctx: ServiceContext, id: string, reason: string, actor: Actor): Promise<Result<MaintenanceWindow>> {
  const now = ctx.clock.now();
  if (reason.trim() === '') return invalid([{ field: 'reason', message: 'a cancellation states its reason', messageZh: '取消须说明原因' }]);
  const window = await findWindow(ctx.db, id);
  if (!window) return fail('not_found', 'not-found', 'No such maintenance window');
  if (window.cancelledAt) return fail('conflict', 'conflict', 'This maintenance window was cancelled already');
  if (window.startsAt <= now) return fail('conflict', 'conflict', 'A maintenance window that has begun cannot be cancelled');
  const done = await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('maintenance_windows')
      .set({
        cancelled_at: now,
        cancelled_by: actor.id ?? actor.type,
        cancelled_by_name: actor.name ?? actor.type,
        cancel_reason: reason.trim(),
      })
      .where('id', '=', id)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'assurance.maintenance-cancelled',
      target: { type: 'maintenance-window', id },
      detail: { reference: window.reference, reason: reason.trim() },
    });
    await notify(trx, window, await affectedOf(trx, id), ctx.settings.timeZone, { reason: reason.trim() }, now);
    return true;
  });
  if (!done) return fail('conflict', 'conflict', 'This maintenance window was cancelled already');
  return ok((await findWindow(ctx.db, id))!);
}

/**
 * Who the window reaches: everyone in service over it, or the holder of each number named (held at
 * the window's start). A number change's new number must be free.
 */
async function resolveSubscribers(
  ctx: ServiceContext,
  facts: WindowFacts,
  accounts: readonly AccountInService[],
  at: Date,
): Promise<Result<AffectedSubscriber[]>> {
  if (facts.scope.kind === 'all') return ok(accounts.map((a) => ({ subscriberId: a.subscriberId, number: null, newNumber: null })));
  const holds = (a: AccountInService, number: string) =>
    a.numbers.some((n) => n.number === number && n.assignedAt <= at && (n.releasedAt === null || n.releasedAt > at));
  const errors: BilingualFieldError[] = [];
  const affected: AffectedSubscriber[] = [];
  const numbers = [...new Set(facts.scope.numbers.map((n) => n.trim()))];
  for (const [i, number] of numbers.entries()) {
    const holder = accounts.find((a) => holds(a, number));
    if (!holder) {
      errors.push({ field: `scope.numbers.${i}`, message: 'no subscriber in service holds this number', messageZh: '该号码无在网用户' });
      continue;
    }
    const change = facts.numberChanges.find((c) => c.oldNumber.trim() === number);
    affected.push({ subscriberId: holder.subscriberId, number, newNumber: change?.newNumber.trim() ?? null });
  }
  for (const [i, change] of facts.numberChanges.entries()) {
    const next = change.newNumber.trim();
    if (accounts.some((a) => holds(a, next)) || (await subscriberIdForNumber(ctx.db, next)) !== null)
      errors.push({ field: `numberChanges.${i}.newNumber`, message: 'is held by a subscriber', messageZh: '该号码已被占用' });
  }
  return errors.length > 0 ? invalid(errors) : ok(affected);
}

/** One notice per subscriber and window (kind 'maintenance'); urgent when calls stop or the number changes. */
async function notify(
  executor: Executor,
  window: MaintenanceWindow,
  affected: readonly AffectedSubscriber[],
  timeZone: string,
  cancelled: { reason: string } | null,
  now: Date,
): Promise<void> {
  const bySubscriber = new Map<string, AffectedSubscriber[]>();
  for (const a of affected) bySubscriber.set(a.subscriberId, [...(bySubscriber.get(a.subscriberId) ?? []), a]);
  const urgency = window.effect === 'degraded' ? 'normal' : 'urgent';
  const key = cancelled ? `maintenance:${window.id}:cancelled` : `maintenance:${window.id}`;
  // Subscribers with the same words share one call; a number change's words name each one's numbers.
  const groups = new Map<string, { subscriberIds: string[]; text: ReturnType<typeof windowNotice> }>();
  for (const [subscriberId, rows] of bySubscriber) {
    const text = windowNotice(window, rows, timeZone, cancelled);
    const signature = JSON.stringify(text);
    const group = groups.get(signature) ?? { subscriberIds: [], text };
    group.subscriberIds.push(subscriberId);
    groups.set(signature, group);
  }
  for (const { subscriberIds, text } of groups.values())
    await sendNotice(executor, {
      key,
      kind: 'maintenance',
      urgency,
      subscriberIds,
      title: text.title,
      body: text.body,
      link: '/portal',
      occurredAt: now,
    });
}

function normalScope(scope: MaintenanceScope): MaintenanceScope {
  return scope.kind === 'numbers' ? { kind: 'numbers', numbers: [...new Set(scope.numbers.map((n) => n.trim()))] } : { kind: 'all' };
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────────────

function windows(executor: Executor) {
  return executor.selectFrom('maintenance_windows').selectAll();
}

type WindowRow = Awaited<ReturnType<ReturnType<typeof windows>['execute']>>[number];

function toWindow(row: WindowRow): MaintenanceWindow {
  return {
    id: row.id,
    reference: windowReferenceOf(row.number),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    effect: row.effect,
    scope: row.scope,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    publishedAt: row.published_at,
    publishedBy: row.published_by_name,
    lateReason: row.late_reason,
    onTime: row.late_reason === null,
    outageId: row.outage_id,
    cancelledAt: row.cancelled_at,
    cancelledBy: row.cancelled_by_name,
    cancelReason: row.cancel_reason,
  };
}

export async function findWindow(executor: Executor, id: string): Promise<MaintenanceWindow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await windows(executor).where('id', '=', id).executeTakeFirst();
  return row ? toWindow(row) : null;
}

/** Every window, latest start first; `endingAfter` keeps those not over by then. */
export async function listWindows(executor: Executor, options: { endingAfter?: Date } = {}): Promise<MaintenanceWindow[]> {
  let query = windows(executor);
  if (options.endingAfter) query = query.where('ends_at', '>', options.endingAfter);
  const rows = await query.orderBy('starts_at', 'desc').orderBy('number', 'desc').execute();
  return rows.map(toWindow);
}

export async function affectedOf(executor: Executor, windowId: string): Promise<AffectedSubscriber[]> {
  const rows = await executor
    .selectFrom('maintenance_window_subscribers')
    .select(['subscriber_id', 'number', 'new_number'])
    .where('window_id', '=', windowId)
    .orderBy('subscriber_id')
    .orderBy('number')
    .execute();
  return rows.map((r) => ({ subscriberId: r.subscriber_id, number: r.number, newNumber: r.new_number }));
}

/** How many subscribers each window reaches, by window id, in one query. */
export async function subscriberCounts(executor: Executor): Promise<Map<string, number>> {
  const rows = await executor
    .selectFrom('maintenance_window_subscribers')
    .select(['window_id', (eb) => eb.fn.count<string>('subscriber_id').distinct().as('subscribers')])
    .groupBy('window_id')
    .execute();
  return new Map(rows.map((r) => [r.window_id, Number(r.subscribers)]));
}

/** The windows not over by `now` and not cancelled that reach the subscriber, soonest first, with their numbers. */
export async function windowsOfSubscriber(
  executor: Executor,
  subscriberId: string,
  now: Date,
): Promise<{ window: MaintenanceWindow; changes: AffectedSubscriber[] }[]> {
  const rows = await executor
    .selectFrom('maintenance_windows as w')
    .innerJoin('maintenance_window_subscribers as s', 's.window_id', 'w.id')
    .selectAll('w')
    .select(['s.number as subscriber_number', 's.new_number'])
    .where('s.subscriber_id', '=', subscriberId)
    .where('w.ends_at', '>', now)
    .where('w.cancelled_at', 'is', null)
    .orderBy('w.starts_at')
    .orderBy('w.number')
    .execute();
  const out = new Map<string, { window: MaintenanceWindow; changes: AffectedSubscriber[] }>();
  for (const row of rows) {
    const entry = out.get(row.id) ?? { window: toWindow(row), changes: [] };
    entry.changes.push({ subscriberId, number: row.subscriber_number, newNumber: row.new_number });
    out.set(row.id, entry);
  }
  return [...out.values()];
}

/** The windows overlapping [from, to) as the credit rules see them. */
export async function windowsForCredits(executor: Executor, from: Date, to: Date): Promise<WindowForCredits[]> {
  const rows = await executor
    .selectFrom('maintenance_windows as w')
    .innerJoin('maintenance_window_subscribers as s', 's.window_id', 'w.id')
    .select(['w.id', 'w.starts_at', 'w.ends_at', 'w.late_reason', 'w.cancelled_at', 's.subscriber_id'])
    .where('w.starts_at', '<', to)
    .where('w.ends_at', '>', from)
    .execute();
  const byWindow = new Map<string, WindowForCredits & { subscriberIds: string[] }>();
  for (const row of rows) {
    const entry = byWindow.get(row.id) ?? {
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      onTime: row.late_reason === null,
      cancelled: row.cancelled_at !== null,
      subscriberIds: [],
    };
    entry.subscriberIds.push(row.subscriber_id);
    byWindow.set(row.id, entry);
  }
  return [...byWindow.values()];
}

// ── Number changes (clause 7) ───────────────────────────────────────────────────────────────────

/**
 * The lookup the SIP proxy is given: the new number a call to `number` at `at` is answered 301 with,
 * for `VP_NUMBER_CHANGE_ANNOUNCE_DAYS` after the change takes effect (the window's start); null
 * otherwise.
 */
export function numberMovedTo(ctx: Pick<ServiceContext, 'db' | 'settings'>): (number: string, at: Date) => Promise<string | null> {
  return async (number, at) => {
    const rows = await ctx.db
      .selectFrom('maintenance_window_subscribers as s')
      .innerJoin('maintenance_windows as w', 'w.id', 's.window_id')
      .select(['s.number', 's.new_number', 'w.starts_at', 'w.cancelled_at'])
      .where('s.number', '=', number)
      .where('s.new_number', 'is not', null)
      .execute();
    return movedNumber(
      rows.map((r) => ({ number: r.number!, newNumber: r.new_number!, startsAt: r.starts_at, cancelled: r.cancelled_at !== null })),
      number,
      at,
      ctx.settings.numberChangeAnnounceDays,
    );
  };
}

// ── Late windows become outages (clause 13) ─────────────────────────────────────────────────────

/**
 * As a window published late begins, it is recorded as an outage over the window (cause `platform`,
 * reaching those the window reaches), which the credit job credits once it has ended. Idempotent: a
 * window linked to its outage is not looked at again.
 */
export async function recordLateWindowsAsOutages(ctx: ServiceContext, instant: Date): Promise<{ outages: number }> {
  const due = await ctx.db
    .selectFrom('maintenance_windows')
    .select('id')
    .where('late_reason', 'is not', null)
    .where('cancelled_at', 'is', null)
    .where('outage_id', 'is', null)
    .where('starts_at', '<=', instant)
    .orderBy('starts_at')
    .execute();
  let recorded = 0;
  for (const { id } of due) {
    const window = (await findWindow(ctx.db, id))!;
    const affected = await affectedOf(ctx.db, id);
    const linked = await ctx.db
      .transaction()
      .execute(async (trx) => {
        const outageId = await insertOutage(
          trx,
          {
            startsAt: window.startsAt,
            endsAt: window.endsAt,
            cause: 'platform',
            scope:
              window.scope.kind === 'all'
                ? { kind: 'everyone' }
                : { kind: 'subscribers', subscriberIds: [...new Set(affected.map((a) => a.subscriberId))] },
            descriptionZh: `未提前 ${ctx.settings.maintenanceNoticeLeadHours} 小时通知的维护 ${window.reference}：${window.titleZh}（${window.lateReason}）`,
            descriptionEn: `Maintenance ${window.reference} announced with less than ${ctx.settings.maintenanceNoticeLeadHours} hours notice: ${window.titleEn} (${window.lateReason})`,
          },
          ctx.clock.now(),
          lateMaintenanceActor,
        );
        const updated = await trx
          .updateTable('maintenance_windows')
          .set({ outage_id: outageId })
          .where('id', '=', id)
          .where('outage_id', 'is', null)
          .executeTakeFirst();
        // Another run linked it meanwhile: this transaction's outage must not stay.
        if (Number(updated.numUpdatedRows) !== 1) throw new LinkedMeanwhile();
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof LinkedMeanwhile) return false;
        throw error;
      });
    if (linked) recorded += 1;
  }
  return { outages: recorded };
}

class LinkedMeanwhile extends Error {}

export function lateMaintenanceJob(ctx: ServiceContext): TimeDrivenJob {
  return { name: 'assurance.late-maintenance', intervalSeconds: 60, advanceTo: (instant) => recordLateWindowsAsOutages(ctx, instant) };
}
