import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import QRCode from 'qrcode';
import type { Actor } from '../audit/index.js';
import { amountOwedNow, amountOwedOnBill, recordPayment } from '../billing/index.js';
import { creditGauge } from '../charging/index.js';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import { completeTerminationIfSettled, terminationAwaitingSettlement } from '../subscribers/index.js';
import type { PaymentsContext } from './context.js';
import type { AcknowledgementReply, IncomingNotification, PaymentOutcome } from './provider.js';
import type { IntentStatus, MismatchKind, NotificationEffect, PaymentIntentsTable, PaymentPurpose } from './tables.js';

/** How long a provider accepts a payment once created (Alipay's and WeChat's QR codes default to far longer). */
export const INTENT_LIFETIME_MINUTES = 30;

export interface PaymentIntentView {
  id: string;
  subscriberId: string;
  purpose: PaymentPurpose;
  billId: string | null;
  amountFen: Fen;
  provider: string;
  merchantReference: string;
  status: IntentStatus;
  action: { kind: 'qr' | 'redirect'; content: string; qrDataUrl: string | null } | null;
  providerReference: string | null;
  paymentId: string | null;
  failureReason: string | null;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
}

export const providerActor = (provider: string): Actor => ({ type: 'system', id: null, name: `payment provider ${provider}` });

/**
 * What paying for `purpose` takes now, decided here and never by the client: one bill (with its late
 * fee to today), the whole balance (`amountOwedNow`), this month's fees against the credit limit
 * (clause 9; less the credit already paid ahead), or the final settlement of a termination that
 * waits for it (clause 11; what termination itself asks, calls just ended included).
 */
export async function amountToPay(
  ctx: PaymentsContext,
  subscriberId: string,
  purpose: PaymentPurpose,
  billId: string | null,
): Promise<Result<{ amountFen: Fen; description: string }>> {
  switch (purpose) {
    case 'bill': {
      if (!billId)
        return fail('invalid', 'invalid-request', 'Paying a bill needs the bill', { fields: [{ field: 'billId', message: 'required' }] });
      const bill = await amountOwedOnBill(ctx, subscriberId, billId);
      if (!bill) return fail('not_found', 'not-found', 'No such bill');
      return nothingOwedOr(bill.amountFen, `Videophone bill ${bill.period.slice(0, 7)}`);
    }
    case 'balance':
      return nothingOwedOr((await amountOwedNow(ctx, subscriberId)).totalFen, 'Videophone balance');
    case 'month-fees': {
      const gauge = await creditGauge(ctx, subscriberId);
      if (!gauge) return fail('conflict', 'conflict', 'This account has no credit limit');
      return nothingOwedOr(Math.max(0, gauge.settledFen - gauge.creditFen), `Videophone fees ${gauge.period.slice(0, 7)}`);
    }
    case 'settlement': {
      if (!(await terminationAwaitingSettlement(ctx, subscriberId)))
        return fail('conflict', 'conflict', 'No termination waits for a settlement on this account');
      return nothingOwedOr(await ctx.termination.balance.outstandingFen(subscriberId), 'Videophone final settlement');
    }
  }
}

function nothingOwedOr(amountFen: Fen, description: string): Result<{ amountFen: Fen; description: string }> {
  if (amountFen <= 0) return fail('conflict', 'conflict', 'Nothing is owed for this');
  return ok({ amountFen, description });
}

/**
 * Creates a payment intent and the provider's payment for it. An open intent for the same thing and
 * amount through the same provider is returned again instead (pressing "pay" twice makes one payment).
 */
export async function createPaymentIntent(
  ctx: PaymentsContext,
  input: { subscriberId: string; purpose: PaymentPurpose; billId?: string | null; provider: string; origin: string },
): Promise<Result<PaymentIntentView>> {
  const provider = ctx.providers.get(input.provider);
  if (!provider)
    return fail('invalid', 'invalid-request', `No payment provider ${input.provider}`, {
      fields: [{ field: 'provider', message: 'not offered' }],
    });
  const billId = input.purpose === 'bill' ? (input.billId ?? null) : null;
  const amount = await amountToPay(ctx, input.subscriberId, input.purpose, billId);
  if (!amount.ok) return amount;
  const now = ctx.clock.now();
  let open = ctx.db
    .selectFrom('payment_intents')
    .selectAll()
    .where('subscriber_id', '=', input.subscriberId)
    .where('purpose', '=', input.purpose)
    .where('provider', '=', input.provider)
    .where('amount_fen', '=', amount.value.amountFen)
    .where('status', '=', 'pending')
    .where('expires_at', '>', new Date(now.getTime() + 60_000));
  open = billId ? open.where('bill_id', '=', billId) : open.where('bill_id', 'is', null);
  const existing = await open.orderBy('created_at', 'desc').executeTakeFirst();
  if (existing) return ok(await viewOf(existing));

  const merchantReference = `VP${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(9).toString('hex').toUpperCase()}`;
  const expiresAt = new Date(now.getTime() + INTENT_LIFETIME_MINUTES * 60_000);
  const intent = await ctx.db
    .insertInto('payment_intents')
    .values({
      subscriber_id: input.subscriberId,
      purpose: input.purpose,
      bill_id: billId,
      amount_fen: amount.value.amountFen,
      provider: input.provider,
      merchant_reference: merchantReference,
      description: amount.value.description,
      status: 'created',
      created_at: now,
      expires_at: expiresAt,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const base = ctx.publicUrl ?? input.origin;
  try {
    const created = await provider.createPayment({
      merchantReference,
      amountFen: amount.value.amountFen,
      description: amount.value.description,
      expiresAt,
      notifyUrl: `${base}/api/payments/notify/${provider.id}`,
      returnUrl: `${base}/portal/payments/${intent.id}`,
    });
    const pending = await ctx.db
      .updateTable('payment_intents')
      .set({
        status: 'pending',
        action_kind: created.action.kind,
        action_content: created.action.kind === 'qr' ? created.action.qrContent : created.action.url,
        provider_reference: created.providerReference ?? null,
        updated_at: ctx.clock.now(),
      })
      .where('id', '=', intent.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return ok(await viewOf(pending));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await ctx.db
      .updateTable('payment_intents')
      .set({ status: 'failed', failure_reason: `provider refused: ${reason}`.slice(0, 500), updated_at: ctx.clock.now() })
      .where('id', '=', intent.id)
      .execute();
    ctx.logger.warn({ err: error, provider: provider.id }, 'the payment provider did not create the payment');
    return fail('provider_failed', 'provider-failed', `The payment provider did not create the payment: ${reason}`);
  }
}

/**
 * A provider's notification, verified by its adapter before anything in it is believed, then
 * applied. Answers the acknowledgement the provider expects (it stops retrying), also for a
 * duplicate or a stale one: those change nothing, and retrying them would change nothing either.
 */
export async function receiveNotification(
  ctx: PaymentsContext,
  providerId: string,
  notification: IncomingNotification,
): Promise<Result<AcknowledgementReply>> {
  const provider = ctx.providers.get(providerId);
  if (!provider) return fail('not_found', 'not-found', `No payment provider ${providerId}`);
  const verified = await provider.verifyNotification(notification, ctx.clock.now());
  if (!verified.ok) {
    ctx.logger.warn({ provider: providerId, reason: verified.reason }, 'refused a payment notification');
    return fail('not_allowed', 'invalid-signature', verified.reason);
  }
  await applyOutcome(ctx, providerId, verified.outcome, 'notification');
  return ok(verified.acknowledgement);
}

/**
 * What a provider says about one payment (a notification or a query answer), applied to its intent
 * exactly once: money is recorded through billing's `recordPayment`, whose (provider, provider
 * reference) key makes a repeated success one payment even when two arrive at once. A failure or
 * closure after a success is stale and changes nothing; a success after the intent expired or failed
 * is money really received, and is applied. An amount other than the intent's is never applied: it
 * is set aside for staff.
 */
export async function applyOutcome(
  ctx: PaymentsContext,
  providerId: string,
  outcome: PaymentOutcome,
  source: 'notification' | 'reconciliation',
): Promise<{ effect: NotificationEffect; intentId: string | null }> {
  const now = ctx.clock.now();
  const intent = await ctx.db
    .selectFrom('payment_intents')
    .selectAll()
    .where('provider', '=', providerId)
    .where('merchant_reference', '=', outcome.merchantReference)
    .executeTakeFirst();
  const note = async (effect: NotificationEffect) => {
    await ctx.db
      .insertInto('payment_notifications')
      .values({
        intent_id: intent?.id ?? null,
        provider: providerId,
        merchant_reference: outcome.merchantReference,
        provider_reference: outcome.providerReference,
        status: outcome.status,
        amount_fen: outcome.amountFen,
        source,
        effect,
        received_at: now,
      })
      .execute();
    return { effect, intentId: intent?.id ?? null };
  };
  if (!intent) {
    await recordMismatch(ctx.db, {
      intentId: null,
      provider: providerId,
      merchantReference: outcome.merchantReference,
      kind: 'unknown-intent',
      detail: { providerReference: outcome.providerReference, status: outcome.status, amountFen: outcome.amountFen },
      at: now,
    });
    return note('unknown-intent');
  }
  if (outcome.status === 'pending') return note('no-change');
  if (outcome.status === 'failed' || outcome.status === 'closed') {
    if (intent.status === 'succeeded') return note('ignored-out-of-order');
    const marked = await ctx.db
      .updateTable('payment_intents')
      .set({ status: outcome.status === 'failed' ? 'failed' : 'closed', failure_reason: `provider: ${outcome.status}`, updated_at: now })
      .where('id', '=', intent.id)
      .where('status', 'in', ['created', 'pending'])
      .returning('id')
      .executeTakeFirst();
    return note(marked ? 'marked-failed' : 'no-change');
  }
  // Succeeded.
  if (outcome.amountFen !== Number(intent.amount_fen)) {
    await recordMismatch(ctx.db, {
      intentId: intent.id,
      provider: providerId,
      merchantReference: intent.merchant_reference,
      kind: 'amount-differs',
      detail: { intentFen: Number(intent.amount_fen), providerFen: outcome.amountFen, providerReference: outcome.providerReference },
      at: now,
    });
    return note('amount-mismatch');
  }
  if (intent.status === 'succeeded' && intent.payment_id) return note('duplicate');
  // A payment dated ahead of our clock would be refused; the provider's clock may run a little fast.
  const paidAt = outcome.paidAt && outcome.paidAt <= now ? outcome.paidAt : now;
  const recorded = await recordPayment(
    ctx,
    {
      subscriberId: intent.subscriber_id,
      provider: providerId,
      externalReference: outcome.providerReference,
      amountFen: outcome.amountFen,
      paidAt,
      channel: 'webhook',
    },
    providerActor(providerId),
  );
  if (!recorded.ok) throw new Error(`recording the ${providerId} payment ${outcome.providerReference} failed: ${recorded.failure.message}`);
  await ctx.db
    .updateTable('payment_intents')
    .set({
      status: 'succeeded',
      payment_id: recorded.value.paymentId,
      provider_reference: outcome.providerReference,
      settled_at: paidAt,
      failure_reason: null,
      updated_at: now,
    })
    .where('id', '=', intent.id)
    .execute();
  if (recorded.value.duplicate) return note('duplicate');
  // Clause 11: a termination that waited for this money ends now.
  await completeTerminationIfSettled(ctx, intent.subscriber_id, ctx.termination, providerActor(providerId));
  return note('applied');
}

export async function recordMismatch(
  executor: Executor,
  input: {
    intentId: string | null;
    provider: string;
    merchantReference: string;
    kind: MismatchKind;
    detail: unknown;
    at: Date;
    resolved?: boolean;
  },
): Promise<boolean> {
  const inserted = await executor
    .insertInto('payment_mismatches')
    .values({
      intent_id: input.intentId,
      provider: input.provider,
      merchant_reference: input.merchantReference,
      kind: input.kind,
      detail: JSON.stringify(input.detail),
      found_at: input.at,
      resolved_at: input.resolved ? input.at : null,
    })
    .onConflict((oc) => oc.columns(['merchant_reference', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function paymentIntentOf(
  ctx: PaymentsContext,
  intentId: string,
  subscriberId: string | null,
): Promise<PaymentIntentView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(intentId)) return null;
  let query = ctx.db.selectFrom('payment_intents').selectAll().where('id', '=', intentId);
  if (subscriberId) query = query.where('subscriber_id', '=', subscriberId);
  const row = await query.executeTakeFirst();
  return row ? viewOf(row) : null;
}

export async function paymentIntentsOf(ctx: PaymentsContext, subscriberId: string, limit = 50): Promise<PaymentIntentView[]> {
  const rows = await ctx.db
    .selectFrom('payment_intents')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return Promise.all(rows.map((row) => viewOf(row, { withQr: false })));
}

/** One online payment as the console lists it: the intent and what has been refunded of it. */
export interface OnlinePaymentRow {
  id: string;
  subscriberId: string;
  purpose: PaymentIntentsTable['purpose'];
  amountFen: Fen;
  refundedFen: Fen;
  provider: string;
  merchantReference: string;
  providerReference: string | null;
  status: PaymentIntentsTable['status'];
  createdAt: string;
  settledAt: string | null;
}

/**
 * Online payments newest first, for staff: a page of them with the total, filtered by status. The
 * refunded amount counts refunds that did not fail, as `refundOnlinePayment` does.
 */
export async function recentOnlinePayments(
  ctx: PaymentsContext,
  request: { status?: PaymentIntentsTable['status'] | undefined; offset: number; limit: number },
): Promise<{ total: number; payments: OnlinePaymentRow[] }> {
  const base = ctx.db.selectFrom('payment_intents').$if(request.status !== undefined, (qb) => qb.where('status', '=', request.status!));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .select([
        'id',
        'subscriber_id',
        'purpose',
        'amount_fen',
        'provider',
        'merchant_reference',
        'provider_reference',
        'status',
        'created_at',
        'settled_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('payment_refunds')
          .select((r) => r.fn.coalesce(r.fn.sum<number>('payment_refunds.amount_fen'), r.lit(0)).as('refunded'))
          .whereRef('payment_refunds.intent_id', '=', 'payment_intents.id')
          .where('payment_refunds.status', '!=', 'failed')
          .as('refunded_fen'),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .offset(request.offset)
      .limit(request.limit)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    payments: rows.map((row) => ({
      id: row.id,
      subscriberId: row.subscriber_id,
      purpose: row.purpose,
      amountFen: Number(row.amount_fen),
      refundedFen: Number(row.refunded_fen ?? 0),
      provider: row.provider,
      merchantReference: row.merchant_reference,
      providerReference: row.status === 'succeeded' ? row.provider_reference : null,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      settledAt: row.settled_at ? row.settled_at.toISOString() : null,
    })),
  };
}

type IntentRow = Selectable<PaymentIntentsTable>;

async function viewOf(row: IntentRow, options: { withQr?: boolean } = {}): Promise<PaymentIntentView> {
  const open = row.status === 'created' || row.status === 'pending';
  const action =
    row.action_kind && row.action_content && open
      ? {
          kind: row.action_kind,
          content: row.action_content,
          // The code the subscriber scans, drawn here so the page needs no script to draw it.
          qrDataUrl:
            row.action_kind === 'qr' && options.withQr !== false
              ? await QRCode.toDataURL(row.action_content, { margin: 1, width: 240 })
              : null,
        }
      : null;
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    purpose: row.purpose,
    billId: row.bill_id,
    amountFen: Number(row.amount_fen),
    provider: row.provider,
    merchantReference: row.merchant_reference,
    status: row.status,
    action,
    providerReference: row.status === 'succeeded' ? row.provider_reference : null,
    paymentId: row.payment_id,
    failureReason: row.failure_reason,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    paidAt: row.settled_at ? row.settled_at.toISOString() : null,
  };
}
