import { recordAudit, systemActor, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { addDays, addMonthsClamped, localDateOf, startOfLocalDay } from '../platform/zoned-calendar.js';
import { subscribersUnderAgreement } from '../subscribers/index.js';
import { openTermsChangeCase, type NegotiationCase } from './negotiation.js';
import { hasAgreementText } from './render.js';
import type { TermsChangeResponse } from './tables.js';

/**
 * Clause 15: the provider announces a new version; each subscriber may object within the window
 * (`objectionWindowMonths`, counted on the operator's calendar); one who does not is deemed to accept.
 *
 * The window, precisely: published on local date D, the last day to object is D plus N months (same
 * day of the month, clamped to the month's end: 31 January + 1 month → 28/29 February). Objections
 * are taken until the end of that day in `settings.timeZone`; `objectionDeadline` is the first instant
 * after it (the next local midnight). An objection is accepted iff now < objectionDeadline. At the
 * deadline, every notice still unanswered becomes 'accepted-by-silence', responded at the deadline.
 * The version takes effect at the deadline unless the operator names a later date.
 */
export interface ObjectionWindow {
  /** Last calendar day to object, in the operator's time zone, e.g. `2026-04-01`. */
  lastDayToObject: string;
  /** First instant after the last day: objections are taken strictly before it. */
  objectionDeadline: Date;
}

export function objectionWindow(publishedAt: Date, months: number, timeZone: string): ObjectionWindow {
  const lastDay = addMonthsClamped(localDateOf(publishedAt, timeZone), months);
  return { lastDayToObject: lastDay, objectionDeadline: startOfLocalDay(addDays(lastDay, 1), timeZone) };
}

export interface PublishInput {
  version: number;
  summary: string;
  /** Default and minimum: the objection deadline. */
  effectiveAt?: Date;
}

export interface PublishedVersion {
  version: number;
  summary: string;
  publishedAt: string;
  effectiveAt: string;
  lastDayToObject: string;
  objectionDeadline: string;
  notified: number;
}

/**
 * Publishes the next agreement version: one transaction records the version, a notice for every
 * subscriber under an agreement (active or suspended), an outbox event per subscriber and the audit.
 */
export async function publishAgreementVersion(ctx: ServiceContext, input: PublishInput, actor: Actor): Promise<Result<PublishedVersion>> {
  if (!hasAgreementText(input.version)) {
    return fail('invalid', 'invalid-request', `Agreement version ${input.version} has no text in this release`, {
      fields: [{ field: 'version', message: 'no text for this version' }],
    });
  }
  const summary = input.summary.trim();
  if (!summary)
    return fail('invalid', 'invalid-request', 'Say what changed', {
      fields: [{ field: 'summary', message: 'required', code: 'required' }],
    });
  const publishedAt = ctx.clock.now();
  const window = objectionWindow(publishedAt, ctx.settings.objectionWindowMonths, ctx.settings.timeZone);
  const effectiveAt = input.effectiveAt ?? window.objectionDeadline;
  if (effectiveAt.getTime() < window.objectionDeadline.getTime()) {
    return fail(
      'invalid',
      'invalid-request',
      `A new version cannot take effect before the objection window ends (${window.objectionDeadline.toISOString()})`,
      { fields: [{ field: 'effectiveAt', message: `must be at or after ${window.objectionDeadline.toISOString()}` }] },
    );
  }

  return ctx.db.transaction().execute(async (trx) => {
    // Serialises concurrent publications: versions follow each other, one at a time.
    const latest = await trx
      .selectFrom('agreement_versions')
      .select(['version'])
      .orderBy('version', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    const expected = (latest?.version ?? 0) + 1;
    if (input.version !== expected) {
      return fail<PublishedVersion>('conflict', 'conflict', `The next agreement version is ${expected}, not ${input.version}`);
    }
    await trx
      .insertInto('agreement_versions')
      .values({ version: input.version, published_at: publishedAt, effective_at: effectiveAt, summary })
      .execute();
    const subscribers = await subscribersUnderAgreement(trx);
    for (const subscriberId of subscribers) {
      await trx
        .insertInto('terms_change_notices')
        .values({
          subscriber_id: subscriberId,
          version: input.version,
          notified_at: publishedAt,
          objection_deadline: window.objectionDeadline,
          response: null,
          responded_at: null,
        })
        .execute();
      await appendEvent(trx, {
        type: 'agreement.terms-change-notified',
        aggregateType: 'subscriber',
        aggregateId: subscriberId,
        payload: {
          version: input.version,
          summary,
          effectiveAt: effectiveAt.toISOString(),
          lastDayToObject: window.lastDayToObject,
          objectionDeadline: window.objectionDeadline.toISOString(),
        },
        occurredAt: publishedAt,
      });
    }
    await recordAudit(trx, {
      at: publishedAt,
      actor,
      action: 'agreement.version.publish',
      target: { type: 'agreement_version', id: String(input.version) },
      detail: {
        summary,
        effectiveAt: effectiveAt.toISOString(),
        objectionDeadline: window.objectionDeadline.toISOString(),
        notified: subscribers.length,
      },
    });
    return ok({
      version: input.version,
      summary,
      publishedAt: publishedAt.toISOString(),
      effectiveAt: effectiveAt.toISOString(),
      lastDayToObject: window.lastDayToObject,
      objectionDeadline: window.objectionDeadline.toISOString(),
      notified: subscribers.length,
    });
  });
}

/**
 * A subscriber whose agreement starts while a published version is not yet in effect signed the
 * version in force and has not been told of the next one: they are notified now, with their own
 * window counted from this notice (clause 15: "within the window of the notice"). Called when a
 * subscriber becomes active; does nothing for versions they already have a notice of.
 */
export async function notifyOfPendingVersions(ctx: ServiceContext, subscriberId: string): Promise<{ notified: number[] }> {
  const now = ctx.clock.now();
  const window = objectionWindow(now, ctx.settings.objectionWindowMonths, ctx.settings.timeZone);
  return ctx.db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('agreement_versions as v')
      .select(['v.version', 'v.summary', 'v.effective_at'])
      .where('v.effective_at', '>', now)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('terms_change_notices as n')
              .select('n.id')
              .whereRef('n.version', '=', 'v.version')
              .where('n.subscriber_id', '=', subscriberId),
          ),
        ),
      )
      .orderBy('v.version')
      .execute();
    for (const version of pending) {
      await trx
        .insertInto('terms_change_notices')
        .values({
          subscriber_id: subscriberId,
          version: version.version,
          notified_at: now,
          objection_deadline: window.objectionDeadline,
          response: null,
          responded_at: null,
        })
        .onConflict((oc) => oc.columns(['subscriber_id', 'version']).doNothing())
        .execute();
      await appendEvent(trx, {
        type: 'agreement.terms-change-notified',
        aggregateType: 'subscriber',
        aggregateId: subscriberId,
        payload: {
          version: version.version,
          summary: version.summary,
          effectiveAt: version.effective_at.toISOString(),
          lastDayToObject: window.lastDayToObject,
          objectionDeadline: window.objectionDeadline.toISOString(),
        },
        occurredAt: now,
      });
    }
    return { notified: pending.map((v) => v.version) };
  });
}

export interface VersionWithCounts {
  version: number;
  summary: string;
  publishedAt: string;
  effectiveAt: string;
  counts: { notified: number; pending: number; objected: number; accepted: number; acceptedBySilence: number };
}

/** Every version, newest first, with how its notices were answered. */
export async function listAgreementVersions(ctx: ServiceContext): Promise<VersionWithCounts[]> {
  const versions = await ctx.db.selectFrom('agreement_versions').selectAll().orderBy('version', 'desc').execute();
  const tallies = await ctx.db
    .selectFrom('terms_change_notices')
    .select(['version', 'response', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(['version', 'response'])
    .execute();
  return versions.map((v) => {
    const of = (response: TermsChangeResponse | null) =>
      Number(tallies.find((t) => t.version === v.version && t.response === response)?.n ?? 0);
    const counts = { pending: of(null), objected: of('objected'), accepted: of('accepted'), acceptedBySilence: of('accepted-by-silence') };
    return {
      version: v.version,
      summary: v.summary,
      publishedAt: v.published_at.toISOString(),
      effectiveAt: v.effective_at.toISOString(),
      counts: { notified: counts.pending + counts.objected + counts.accepted + counts.acceptedBySilence, ...counts },
    };
  });
}

export interface PendingTermsChange {
  version: number;
  summary: string;
  notifiedAt: string;
  effectiveAt: string;
  lastDayToObject: string;
  objectionDeadline: string;
}

/** The subscriber's unanswered notices whose window is still open, oldest first. */
export async function pendingTermsChanges(ctx: ServiceContext, subscriberId: string): Promise<PendingTermsChange[]> {
  const rows = await ctx.db
    .selectFrom('terms_change_notices as n')
    .innerJoin('agreement_versions as v', 'v.version', 'n.version')
    .select(['n.version', 'v.summary', 'n.notified_at', 'v.effective_at', 'n.objection_deadline'])
    .where('n.subscriber_id', '=', subscriberId)
    .where('n.response', 'is', null)
    .where('n.objection_deadline', '>', ctx.clock.now())
    .orderBy('n.version')
    .execute();
  return rows.map((row) => ({
    version: row.version,
    summary: row.summary,
    notifiedAt: row.notified_at.toISOString(),
    effectiveAt: row.effective_at.toISOString(),
    lastDayToObject: lastDayBefore(row.objection_deadline, ctx.settings.timeZone),
    objectionDeadline: row.objection_deadline.toISOString(),
  }));
}

/** The calendar day that ends at `deadline` (the deadline is that day's following midnight). */
function lastDayBefore(deadline: Date, timeZone: string): string {
  return localDateOf(new Date(deadline.getTime() - 1), timeZone);
}

/** Locks the subscriber's notice for `version` and checks it can still be answered now. */
async function openNotice(trx: Executor, ctx: ServiceContext, subscriberId: string, version: number, now: Date) {
  const notice = await trx
    .selectFrom('terms_change_notices')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .where('version', '=', version)
    .forUpdate()
    .executeTakeFirst();
  if (!notice) return fail<never>('not_found', 'not-found', `You have no notice of agreement version ${version}`);
  if (notice.response !== null) {
    return fail<never>('conflict', 'conflict', `You already answered agreement version ${version}: ${notice.response}`, {
      extra: { response: notice.response },
    });
  }
  if (now.getTime() >= notice.objection_deadline.getTime()) {
    const lastDay = lastDayBefore(notice.objection_deadline, ctx.settings.timeZone);
    return fail<never>(
      'conflict',
      'objection-window-closed',
      `The window to answer agreement version ${version} closed at the end of ${lastDay} (${ctx.settings.timeZone})`,
      { extra: { lastDayToObject: lastDay, objectionDeadline: notice.objection_deadline.toISOString() } },
    );
  }
  return ok(notice);
}

/** Records the subscriber's answer on a notice that is still open to one (see openNotice). */
async function answerNotice(
  trx: Executor,
  ctx: ServiceContext,
  input: { subscriberId: string; version: number },
  response: 'objected' | 'accepted',
  now: Date,
) {
  const notice = await openNotice(trx, ctx, input.subscriberId, input.version, now);
  if (notice.ok) {
    await trx.updateTable('terms_change_notices').set({ response, responded_at: now }).where('id', '=', notice.value.id).execute();
  }
  return notice;
}

/**
 * The subscriber objects within the window (clause 15); the objection opens a negotiation case
 * (clause 16) whose first entry is the subscriber's reason.
 */
export async function objectToTermsChange(
  ctx: ServiceContext,
  input: { subscriberId: string; version: number; reason: string },
  actor: Actor,
): Promise<Result<NegotiationCase>> {
  const reason = input.reason.trim();
  if (!reason)
    return fail('invalid', 'invalid-request', 'Give a reason for the objection', {
      fields: [{ field: 'reason', message: 'required', code: 'required' }],
    });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const notice = await answerNotice(trx, ctx, input, 'objected', now);
    if (!notice.ok) return notice;
    const opened = await openTermsChangeCase(trx, { subscriberId: input.subscriberId, version: input.version, reason, at: now }, actor);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'agreement.terms-change.object',
      target: { type: 'negotiation_case', id: opened.id },
      detail: { version: input.version },
    });
    await appendEvent(trx, {
      type: 'agreement.terms-change-objected',
      aggregateType: 'subscriber',
      aggregateId: input.subscriberId,
      payload: { version: input.version, caseId: opened.id },
      occurredAt: now,
    });
    return ok(opened);
  });
}

export interface TermsChangeAnswer {
  version: number;
  response: TermsChangeResponse;
  respondedAt: string;
}

/** The subscriber accepts the new version explicitly, before the deadline. */
export async function acceptTermsChange(
  ctx: ServiceContext,
  input: { subscriberId: string; version: number },
  actor: Actor,
): Promise<Result<TermsChangeAnswer>> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const notice = await answerNotice(trx, ctx, input, 'accepted', now);
    if (!notice.ok) return notice;
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'agreement.terms-change.accept',
      target: { type: 'terms_change_notice', id: notice.value.id },
      detail: { version: input.version },
    });
    return ok({ version: input.version, response: 'accepted', respondedAt: now.toISOString() });
  });
}

/**
 * Deemed acceptance (clause 15): every notice unanswered at its deadline, for deadlines up to
 * `instant`, becomes 'accepted-by-silence' responded at the deadline (not at the run's time, so a late
 * run records the same facts). Only unanswered notices are touched: re-running changes nothing, and
 * an objection is never overwritten.
 */
export async function recordDeemedAcceptances(ctx: ServiceContext, instant: Date): Promise<{ accepted: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const accepted = await trx
      .updateTable('terms_change_notices')
      .set((eb) => ({ response: 'accepted-by-silence', responded_at: eb.ref('objection_deadline') }))
      .where('response', 'is', null)
      .where('objection_deadline', '<=', instant)
      .returning(['id', 'subscriber_id', 'version', 'objection_deadline'])
      .execute();
    for (const notice of accepted) {
      await recordAudit(trx, {
        at: notice.objection_deadline,
        actor: systemActor,
        action: 'agreement.terms-change.accepted-by-silence',
        target: { type: 'terms_change_notice', id: notice.id },
        detail: { subscriberId: notice.subscriber_id, version: notice.version },
      });
      await appendEvent(trx, {
        type: 'agreement.terms-change-accepted-by-silence',
        aggregateType: 'subscriber',
        aggregateId: notice.subscriber_id,
        payload: { version: notice.version },
        occurredAt: notice.objection_deadline,
      });
    }
    return { accepted: accepted.length };
  });
}

export function deemedAcceptanceJob(ctx: ServiceContext): TimeDrivenJob {
  return { name: 'agreements.deemed-acceptance', intervalSeconds: 300, advanceTo: (instant) => recordDeemedAcceptances(ctx, instant) };
}
