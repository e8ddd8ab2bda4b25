import { recordAudit, type Actor } from '../audit/index.js';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import { appendEvent } from '../platform/events/index.js';
import { daysBetween, localDateOf } from '../platform/zoned-calendar.js';
import type { BillingContext } from './context.js';
import { restoreServiceAfterPayment } from './dunning.js';
import { postEntry, requestHash } from './ledger.js';
import { applyCredit, lockSubscriber, unappliedCredit } from './receivables.js';

export type PaymentChannel = 'webhook' | 'bank-file' | 'manual';

/**
 * Payment providers (online gateways, the bank, the cashier's desk) all record money the same way:
 * a provider id and the provider's own reference, unique together, so a payment told twice is one.
 */
export interface PaymentProvider {
  id: string;
  channel: PaymentChannel;
}

export interface NewPayment {
  subscriberId: string;
  provider: string;
  externalReference: string;
  amountFen: Fen;
  paidAt: Date;
  channel: PaymentChannel;
  /**
   * A desk payment dated more than `paymentBackdateToleranceDays` before today: whether the staff
   * member may (permission `payments.backdate`), and why. A bank file or a provider carries the
   * bank's own date and is not back-dating.
   */
  backdating?: { permitted: boolean; reason?: string | undefined };
}

export interface RecordedPayment {
  paymentId: string;
  duplicate: boolean;
  allocatedFen: Fen;
  creditFen: Fen;
  lateFeesPostedFen: Fen;
}

/**
 * Records a payment (clause 5): posts it to the ledger, applies it to the oldest bills first (the
 * rest stays as credit for the next bill), posts the late fee of any bill it settles late; after the
 * commit, dunning's own operation restores service at once if the debt no longer warrants a
 * suspension. Paying never suspends, terminates or issues a bill: that is the dunning job's.
 */
/** `payment.recorded`: money was received for a subscriber and applied to the account. */
export const PAYMENT_RECORDED = 'payment.recorded';
export interface PaymentRecorded {
  paymentId: string;
  subscriberId: string;
  amountFen: Fen;
  channel: PaymentChannel;
}

export async function recordPayment(ctx: BillingContext, input: NewPayment, actor: Actor): Promise<Result<RecordedPayment>> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    return fail('invalid', 'invalid-request', 'A payment is a positive whole number of fen', {
      fields: [{ field: 'amountFen', message: 'must be positive', code: 'too-small', params: { limit: 1 } }],
    });
  }
  if (input.externalReference.trim() === '') return fail('invalid', 'invalid-request', 'A payment needs the provider’s reference');
  const now = ctx.clock.now();
  // A payment dated ahead would be allocated later than it was made and draw late fees it does not
  // owe; every channel (desk, bank file, provider webhook) is held to this here.
  if (input.paidAt > now) {
    return fail('invalid', 'invalid-request', 'A payment cannot be dated in the future', {
      fields: [{ field: 'paidAt', message: 'in the future' }],
    });
  }
  const backdated = backdatingOf(ctx, input, now);
  if (backdated && !input.backdating?.permitted) {
    return fail(
      'not_allowed',
      'backdate-not-permitted',
      `A desk payment dated ${backdated.days} days back needs the permission payments.backdate`,
      {
        fields: [{ field: 'paidAt', message: `more than ${ctx.settings.paymentBackdateToleranceDays} days ago` }],
      },
    );
  }
  if (backdated && !backdated.reason) {
    return fail('invalid', 'invalid-request', 'A payment dated this far back needs a reason, shown on the bill', {
      fields: [{ field: 'backdateReason', message: 'required when the payment is dated more than the tolerance back' }],
    });
  }
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<Result<RecordedPayment>> => {
    if (!(await lockSubscriber(trx, input.subscriberId))) return fail('not_found', 'not-found', 'No billing account for this subscriber');
    const inserted = await trx
      .insertInto('payments')
      .values({
        subscriber_id: input.subscriberId,
        provider: input.provider,
        external_reference: input.externalReference,
        amount_fen: input.amountFen,
        paid_at: input.paidAt,
        recorded_at: now,
        channel: input.channel,
        recorded_by: actor.type === 'staff' ? actor.id : null,
        backdate_reason: backdated?.reason ?? null,
      })
      .onConflict((oc) => oc.columns(['provider', 'external_reference']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom('payments')
        .select(['id', 'subscriber_id', 'amount_fen'])
        .where('provider', '=', input.provider)
        .where('external_reference', '=', input.externalReference)
        .executeTakeFirstOrThrow();
      // The reference is the provider's idempotency key: the same one for other money is not a retry.
      if (existing.subscriber_id !== input.subscriberId || Number(existing.amount_fen) !== input.amountFen) {
        return fail('conflict', 'idempotency-key-reused', 'This provider reference was already recorded with another subscriber or amount');
      }
      return ok({
        paymentId: existing.id,
        duplicate: true,
        allocatedFen: 0,
        creditFen: await unappliedCredit(trx, input.subscriberId),
        lateFeesPostedFen: 0,
      });
    }
    await postEntry(trx, {
      subscriberId: input.subscriberId,
      kind: 'payment',
      amountFen: -input.amountFen,
      paymentId: inserted.id,
      description: `Payment via ${input.provider}, reference ${input.externalReference}`,
      // The description is for the ledger's reader; pages explain the line in the reader's language from this.
      detail: {
        provider: input.provider,
        externalReference: input.externalReference,
        ...(backdated
          ? { backdated: { paidOn: backdated.paidOn, recordedOn: backdated.recordedOn, days: backdated.days, reason: backdated.reason } }
          : {}),
      },
      idempotencyKey: `payment:${input.provider}:${input.externalReference}`,
      postedAt: now,
      actor: actor.id,
    });
    const applied = await applyCredit(trx, ctx.settings, input.subscriberId, input.paidAt, now);
    // Others act on money coming in (charging lifts a credit-limit block once the fees are paid).
    await appendEvent<PaymentRecorded>(trx, {
      type: PAYMENT_RECORDED,
      aggregateType: 'subscriber',
      aggregateId: input.subscriberId,
      payload: { paymentId: inserted.id, subscriberId: input.subscriberId, amountFen: input.amountFen, channel: input.channel },
      occurredAt: now,
    });
    if (input.channel === 'manual') {
      await recordAudit(trx, {
        at: now,
        actor,
        action: 'billing.payment.record',
        target: { type: 'subscriber', id: input.subscriberId },
        after: {
          paymentId: inserted.id,
          provider: input.provider,
          externalReference: input.externalReference,
          amountFen: input.amountFen,
          paidAt: input.paidAt,
          ...(backdated ? { backdateReason: backdated.reason } : {}),
        },
      });
    }
    return ok({
      paymentId: inserted.id,
      duplicate: false,
      allocatedFen: applied.allocatedFen,
      creditFen: await unappliedCredit(trx, input.subscriberId),
      lateFeesPostedFen: applied.lateFeesPostedFen,
    });
  });
  if (outcome.ok && !outcome.value.duplicate) await restoreServiceAfterPayment(ctx, input.subscriberId);
  return outcome;
}

/**
 * A desk payment dated further back than the tolerance (clause 5: its date decides the late fee, so
 * an earlier date is a waiver unless it is true): how far, and the reason given. Null otherwise.
 */
function backdatingOf(
  ctx: BillingContext,
  input: NewPayment,
  now: Date,
): { paidOn: string; recordedOn: string; days: number; reason: string | null } | null {
  if (input.channel !== 'manual') return null;
  const paidOn = localDateOf(input.paidAt, ctx.settings.timeZone);
  const recordedOn = localDateOf(now, ctx.settings.timeZone);
  const days = daysBetween(paidOn, recordedOn);
  if (days <= ctx.settings.paymentBackdateToleranceDays) return null;
  const reason = input.backdating?.reason?.trim() ?? '';
  return { paidOn, recordedOn, days, reason: reason === '' ? null : reason };
}

/** Pays back unapplied credit (an overpayment). Never more than the credit: money owed is not refunded. */
export async function refundCredit(
  ctx: BillingContext,
  input: { subscriberId: string; amountFen: Fen; reason: string; paymentId?: string },
  actor: Actor,
): Promise<Result<{ refundId: string; creditFen: Fen }>> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
    return fail('invalid', 'invalid-request', 'A refund is a positive whole number of fen');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await lockSubscriber(trx, input.subscriberId))) return fail('not_found', 'not-found', 'No billing account for this subscriber');
    const credit = await unappliedCredit(trx, input.subscriberId);
    if (input.amountFen > credit)
      return fail('conflict', 'conflict', `Only ${credit} fen of credit can be refunded`, { extra: { creditFen: credit } });
    const refund = await trx
      .insertInto('refunds')
      .values({
        subscriber_id: input.subscriberId,
        payment_id: input.paymentId ?? null,
        amount_fen: input.amountFen,
        reason: input.reason,
        refunded_at: now,
        recorded_by: actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await postEntry(trx, {
      subscriberId: input.subscriberId,
      kind: 'refund',
      amountFen: input.amountFen,
      refundId: refund.id,
      paymentId: input.paymentId ?? null,
      description: `Refund: ${input.reason}`,
      detail: { reason: input.reason },
      idempotencyKey: `refund:${refund.id}`,
      postedAt: now,
      actor: actor.id,
    });
    await audit(trx, now, actor, 'billing.refund', input.subscriberId, {
      refundId: refund.id,
      amountFen: input.amountFen,
      reason: input.reason,
    });
    return ok({ refundId: refund.id, creditFen: credit - input.amountFen });
  });
}

/**
 * A charge or credit decided by staff: an adjustment (a charge, shown on the next bill) or a credit
 * note (money back, applied like a payment). Issued bills never change; these are the later
 * documents that correct them and may name the bill they refer to.
 */
export async function postAdjustment(
  ctx: BillingContext,
  input: {
    subscriberId: string;
    kind: 'adjustment' | 'credit_note';
    amountFen: Fen;
    reason: string;
    billId?: string;
    idempotencyKey: string;
    /** What the document comes from, when another module issues it (a dispute's answer): kept in its detail so pages can explain it. */
    source?: Record<string, string>;
  },
  actor: Actor,
): Promise<Result<{ entryId: string; duplicate: boolean }>> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
    return fail('invalid', 'invalid-request', 'The amount is a positive whole number of fen');
  if (input.reason.trim() === '') return fail('invalid', 'invalid-request', 'A reason is required');
  const now = ctx.clock.now();
  const otherKind = input.kind === 'credit_note' ? 'adjustment' : 'credit_note';
  // What the client asked for under its key; the same key with anything else changed is refused.
  const hash = requestHash({
    subscriberId: input.subscriberId,
    kind: input.kind,
    amountFen: input.amountFen,
    reason: input.reason,
    billId: input.billId ?? null,
  });
  const reused = () =>
    fail<{ entryId: string; duplicate: boolean }>(
      'conflict',
      'idempotency-key-reused',
      'This idempotency key was already used for a different adjustment or credit note',
    );
  const result = await ctx.db.transaction().execute(async (trx) => {
    if (!(await lockSubscriber(trx, input.subscriberId)))
      return fail<{ entryId: string; duplicate: boolean }>('not_found', 'not-found', 'No billing account for this subscriber');
    // Keys are stored per kind; the same client key under the other kind is a different request too.
    const underOtherKind = await trx
      .selectFrom('ledger_entries')
      .select('id')
      .where('idempotency_key', '=', `${otherKind}:${input.idempotencyKey}`)
      .executeTakeFirst();
    if (underOtherKind) return reused();
    const posted = await postEntry(trx, {
      subscriberId: input.subscriberId,
      kind: input.kind,
      amountFen: input.kind === 'credit_note' ? -input.amountFen : input.amountFen,
      billId: input.billId ?? null,
      description: input.reason,
      detail: {
        reason: input.reason,
        ...(input.billId ? { billId: input.billId } : {}),
        ...(input.source ? { source: input.source } : {}),
      },
      idempotencyKey: `${input.kind}:${input.idempotencyKey}`,
      requestHash: hash,
      postedAt: now,
      actor: actor.id,
    });
    if (!posted.created && !posted.sameRequest) return reused();
    if (posted.created) {
      if (input.kind === 'credit_note') await applyCredit(trx, ctx.settings, input.subscriberId, now, now);
      await audit(trx, now, actor, `billing.${input.kind.replace('_', '-')}`, input.subscriberId, {
        entryId: posted.id,
        amountFen: input.amountFen,
        reason: input.reason,
        billId: input.billId,
      });
    }
    return ok({ entryId: posted.id, duplicate: !posted.created });
  });
  if (result.ok && input.kind === 'credit_note') await restoreServiceAfterPayment(ctx, input.subscriberId);
  return result;
}

async function audit(executor: Executor, at: Date, actor: Actor, action: string, subscriberId: string, after: unknown): Promise<void> {
  await recordAudit(executor, { at, actor, action, target: { type: 'subscriber', id: subscriberId }, after });
}
