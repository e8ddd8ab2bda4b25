import type { Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { PaymentsContext } from './context.js';
import { applyOutcome, recordMismatch } from './intents.js';
import type { PaymentMismatchesTable } from './tables.js';

/** Succeeded payments are compared with the provider's books for this long after they were paid. */
export const RECONCILE_SUCCEEDED_DAYS = 7;

/**
 * Reconciliation with the providers' records (Kill Bill's Janitor for payments left pending): as of
 * T, every intent still open is queried, and a success its notification never brought is applied
 * (once: `applyOutcome` is the notification's own path) and noted for staff; an open intent past its
 * expiry that the provider did not see paid is expired. Payments that succeeded lately are compared
 * with what the provider says (status, amount), and each difference is recorded once for staff.
 * Idempotent: a second run for the same T finds nothing new.
 */
export async function reconcilePayments(ctx: PaymentsContext, instant: Date) {
  const open = await ctx.db
    .selectFrom('payment_intents')
    .selectAll()
    .where('status', 'in', ['created', 'pending'])
    .where('created_at', '<=', instant)
    .orderBy('created_at')
    .limit(1000)
    .execute();
  let applied = 0;
  let expired = 0;
  let mismatches = 0;
  for (const intent of open) {
    const provider = ctx.providers.get(intent.provider);
    if (!provider) continue;
    const record = await provider.queryPayment(intent.merchant_reference);
    if (record && record.status === 'succeeded') {
      const { effect } = await applyOutcome(ctx, intent.provider, record, 'reconciliation');
      if (effect === 'applied') {
        applied++;
        // Applied, so nothing is left for staff to do; kept in the list as a sign the notify path is sick.
        await recordMismatch(ctx.db, {
          intentId: intent.id,
          provider: intent.provider,
          merchantReference: intent.merchant_reference,
          kind: 'missed-notification',
          detail: { providerReference: record.providerReference, amountFen: record.amountFen },
          at: instant,
          resolved: true,
        });
      }
      if (effect === 'amount-mismatch') mismatches++;
      continue;
    }
    // A code that lapsed is closed at the provider: ours says why (expired) rather than "closed".
    if (record && (record.status === 'failed' || (record.status === 'closed' && intent.expires_at > instant))) {
      await applyOutcome(ctx, intent.provider, record, 'reconciliation');
      continue;
    }
    if (intent.expires_at <= instant) {
      const marked = await ctx.db
        .updateTable('payment_intents')
        .set({ status: 'expired', updated_at: instant })
        .where('id', '=', intent.id)
        .where('status', 'in', ['created', 'pending'])
        .returning('id')
        .executeTakeFirst();
      if (marked) expired++;
    }
  }

  const since = new Date(instant.getTime() - RECONCILE_SUCCEEDED_DAYS * 86_400_000);
  const succeeded = await ctx.db
    .selectFrom('payment_intents')
    .selectAll()
    .where('status', '=', 'succeeded')
    .where('settled_at', '>=', since)
    .where('settled_at', '<=', instant)
    .execute();
  for (const intent of succeeded) {
    const provider = ctx.providers.get(intent.provider);
    if (!provider) continue;
    const record = await provider.queryPayment(intent.merchant_reference);
    const base = { intentId: intent.id, provider: intent.provider, merchantReference: intent.merchant_reference, at: instant };
    if (!record) {
      if (await recordMismatch(ctx.db, { ...base, kind: 'unknown-at-provider', detail: { providerReference: intent.provider_reference } }))
        mismatches++;
    } else if (record.status !== 'succeeded') {
      if (await recordMismatch(ctx.db, { ...base, kind: 'status-differs', detail: { ours: 'succeeded', provider: record.status } }))
        mismatches++;
    } else if (record.amountFen !== Number(intent.amount_fen)) {
      if (
        await recordMismatch(ctx.db, {
          ...base,
          kind: 'amount-differs',
          detail: { intentFen: Number(intent.amount_fen), providerFen: record.amountFen },
        })
      )
        mismatches++;
    }
  }

  const refundsLeft = await ctx.db
    .selectFrom('payment_refunds')
    .innerJoin('payment_intents', 'payment_intents.id', 'payment_refunds.intent_id')
    .select([
      'payment_refunds.id',
      'payment_refunds.refund_reference',
      'payment_refunds.amount_fen',
      'payment_intents.provider',
      'payment_intents.merchant_reference',
    ])
    .where('payment_refunds.status', '=', 'succeeded')
    .where('payment_refunds.billing_refund_id', 'is', null)
    .execute();
  // A refund the provider made but the ledger does not show (the credit moved meanwhile): staff decide.
  for (const refund of refundsLeft) {
    if (
      await recordMismatch(ctx.db, {
        intentId: null,
        provider: refund.provider,
        merchantReference: `${refund.merchant_reference}/${refund.refund_reference}`,
        kind: 'refund-not-recorded',
        detail: { refundId: refund.id, amountFen: Number(refund.amount_fen) },
        at: instant,
      })
    )
      mismatches++;
  }
  return { open: open.length, applied, expired, checked: succeeded.length, mismatches };
}

export function reconcilePaymentsJob(ctx: PaymentsContext): TimeDrivenJob {
  return { name: 'payments.reconcile', intervalSeconds: 300, advanceTo: (instant) => reconcilePayments(ctx, instant) };
}

/** The simulator's deliveries and their retries, due by T (only where the simulator runs). */
export function simulatorDeliveriesJob(ctx: PaymentsContext): TimeDrivenJob {
  return {
    name: 'payments.simulator-deliveries',
    intervalSeconds: 15,
    advanceTo: async (instant) => (ctx.simulator ? ctx.simulator.deliverDue(instant) : { sent: 0, acknowledged: 0 }),
  };
}

export interface PaymentMismatch {
  id: string;
  intentId: string | null;
  subscriberId: string | null;
  provider: string;
  merchantReference: string;
  kind: PaymentMismatchesTable['kind'];
  detail: unknown;
  foundAt: string;
  resolvedAt: string | null;
  resolvedBy: { id: string | null; name: string | null } | null;
  resolution: string | null;
}

function mismatchOf(row: Selectable<PaymentMismatchesTable> & { subscriber_id?: string | null }): PaymentMismatch {
  return {
    id: row.id,
    intentId: row.intent_id,
    subscriberId: row.subscriber_id ?? null,
    provider: row.provider,
    merchantReference: row.merchant_reference,
    kind: row.kind,
    detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail,
    foundAt: row.found_at.toISOString(),
    resolvedAt: row.resolved_at ? row.resolved_at.toISOString() : null,
    resolvedBy: row.resolved_at ? { id: row.resolved_by, name: row.resolved_name } : null,
    resolution: row.resolution,
  };
}

/** Mismatches newest first (open ones only, if asked), with the payer where the intent names one. */
export async function paymentMismatches(
  ctx: PaymentsContext,
  options: { open?: boolean } = {},
): Promise<{ openCount: number; mismatches: PaymentMismatch[] }> {
  const [rows, count] = await Promise.all([
    ctx.db
      .selectFrom('payment_mismatches')
      .leftJoin('payment_intents', 'payment_intents.id', 'payment_mismatches.intent_id')
      .selectAll('payment_mismatches')
      .select('payment_intents.subscriber_id')
      .$if(options.open === true, (qb) => qb.where('payment_mismatches.resolved_at', 'is', null))
      .orderBy('payment_mismatches.found_at', 'desc')
      .limit(200)
      .execute(),
    ctx.db
      .selectFrom('payment_mismatches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resolved_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { openCount: Number(count.n), mismatches: rows.map(mismatchOf) };
}

/**
 * A person closes a mismatch and says what they did about it; audited with the payer as the target,
 * so the customer's page shows it. A mismatch closes once: a second attempt finds nothing open.
 */
export async function resolvePaymentMismatch(
  ctx: PaymentsContext,
  id: string,
  resolution: string,
  actor: Actor,
): Promise<Result<PaymentMismatch>> {
  const text = resolution.trim();
  if (text === '' || text.length > 1000) {
    return fail('invalid', 'invalid-request', 'Say what was done, in 1 to 1000 characters', {
      fields: [{ field: 'resolution', message: 'required, at most 1000 characters' }],
    });
  }
  const now = ctx.clock.now();
  const resolved = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('payment_mismatches')
      .set({ resolved_at: now, resolved_by: actor.id ?? null, resolved_name: actor.name ?? null, resolution: text })
      .where('id', '=', id)
      .where('resolved_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    const payer = row.intent_id
      ? await trx.selectFrom('payment_intents').select('subscriber_id').where('id', '=', row.intent_id).executeTakeFirst()
      : undefined;
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'payments.mismatch-resolve',
      target: payer ? { type: 'subscriber', id: payer.subscriber_id } : { type: 'payment-mismatch', id },
      detail: { mismatchId: id, kind: row.kind, merchantReference: row.merchant_reference, resolution: text },
    });
    return row;
  });
  if (!resolved) return fail('not_found', 'not-found', 'No open mismatch with this id');
  return ok(mismatchOf(resolved));
}
