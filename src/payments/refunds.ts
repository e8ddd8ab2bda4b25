import { randomBytes } from 'node:crypto';
import type { Actor } from '../audit/index.js';
import { refundCredit, unappliedCredit } from '../billing/index.js';
import type { Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { PaymentsContext } from './context.js';
import { recordMismatch } from './intents.js';

export interface OnlineRefund {
  refundId: string;
  refundReference: string;
  providerRefundReference: string | null;
  status: 'succeeded' | 'pending' | 'failed';
  billingRefundId: string | null;
  creditFen: Fen;
}

/**
 * Pays credit back to where it came from (an online payment): never more than the credit on the
 * account (billing's rule for refunds) nor than that payment less what was refunded from it. The
 * provider is asked first; only money it sent back is taken off the account, by billing's
 * `refundCredit`. A provider refund the ledger could not take (the credit was used meanwhile) is
 * left to staff as a mismatch.
 */
export async function refundOnlinePayment(
  ctx: PaymentsContext,
  input: { intentId: string; amountFen: Fen; reason: string },
  actor: Actor,
): Promise<Result<OnlineRefund>> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
    return fail('invalid', 'invalid-request', 'A refund is a positive whole number of fen');
  if (input.reason.trim() === '')
    return fail('invalid', 'invalid-request', 'A refund needs a reason', { fields: [{ field: 'reason', message: 'required' }] });
  const intent = await ctx.db.selectFrom('payment_intents').selectAll().where('id', '=', input.intentId).executeTakeFirst();
  if (!intent || intent.status !== 'succeeded' || !intent.payment_id) return fail('not_found', 'not-found', 'No online payment to refund');
  const provider = ctx.providers.get(intent.provider);
  if (!provider) return fail('conflict', 'conflict', `The provider ${intent.provider} is not configured here`);
  const refunded = await ctx.db
    .selectFrom('payment_refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('n'))
    .where('intent_id', '=', intent.id)
    .where('status', '!=', 'failed')
    .executeTakeFirstOrThrow();
  const refundable = Number(intent.amount_fen) - Number(refunded.n);
  if (input.amountFen > refundable)
    return fail('conflict', 'conflict', `Only ${refundable} fen of this payment can be refunded`, { extra: { refundableFen: refundable } });
  const credit = await unappliedCredit(ctx.db, intent.subscriber_id);
  if (input.amountFen > credit)
    return fail('conflict', 'conflict', `Only ${credit} fen of credit can be refunded`, { extra: { creditFen: credit } });

  const now = ctx.clock.now();
  const refundReference = `VPR${randomBytes(9).toString('hex').toUpperCase()}`;
  const row = await ctx.db
    .insertInto('payment_refunds')
    .values({
      intent_id: intent.id,
      refund_reference: refundReference,
      amount_fen: input.amountFen,
      reason: input.reason,
      status: 'pending',
      created_at: now,
      created_by: actor.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let outcome;
  try {
    outcome = await provider.refund({
      merchantReference: intent.merchant_reference,
      refundReference,
      amountFen: input.amountFen,
      originalAmountFen: Number(intent.amount_fen),
      reason: input.reason,
    });
  } catch (error) {
    await ctx.db.updateTable('payment_refunds').set({ status: 'failed' }).where('id', '=', row.id).execute();
    return fail(
      'provider_failed',
      'provider-failed',
      `The provider did not refund: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  await ctx.db
    .updateTable('payment_refunds')
    .set({ status: outcome.status, provider_refund_reference: outcome.providerRefundReference || null })
    .where('id', '=', row.id)
    .execute();
  if (outcome.status === 'failed') return fail('provider_failed', 'provider-failed', 'The provider refused the refund');
  const booked = await refundCredit(
    ctx,
    { subscriberId: intent.subscriber_id, amountFen: input.amountFen, reason: input.reason, paymentId: intent.payment_id },
    actor,
  );
  if (!booked.ok) {
    await recordMismatch(ctx.db, {
      intentId: intent.id,
      provider: intent.provider,
      merchantReference: `${intent.merchant_reference}/${refundReference}`,
      kind: 'refund-not-recorded',
      detail: { refundId: row.id, amountFen: input.amountFen, reason: booked.failure.message },
      at: now,
    });
    return fail('conflict', 'conflict', `The provider refunded, but the account could not take it: ${booked.failure.message}`);
  }
  await ctx.db.updateTable('payment_refunds').set({ billing_refund_id: booked.value.refundId }).where('id', '=', row.id).execute();
  return ok({
    refundId: row.id,
    refundReference,
    providerRefundReference: outcome.providerRefundReference || null,
    status: outcome.status,
    billingRefundId: booked.value.refundId,
    creditFen: booked.value.creditFen,
  });
}
