import { randomBytes } from 'node:crypto';
import { recordAudit, type Actor } from '../audit/index.js';
import { existingSipNumbers, provisionSipAccounts } from '../calls/index.js';
import { projectEntitlements } from '../entitlements/index.js';
import { allocateNumber, parseNumberRanges } from '../numbers/index.js';
import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction, type Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { revealOwnIdentity } from './identity.js';
import { activateOrders } from './orders.js';

/**
 * Service starts when the subscriber is verified and has signed (clauses 1 and 17): whichever of
 * the two happens second calls this. It allocates a number from the operator's ranges, creates the
 * number's SIP account (devices get their own credentials later, from the portal), and activates
 * the order. Safe to call again: an active subscriber is left as it is.
 */
/** Agreements records here, in the signature's own transaction, that the subscriber has signed. */
export async function recordAgreementSigned(executor: Executor, subscriberId: string, at: Date): Promise<void> {
  await executor
    .updateTable('subscribers')
    .set({ agreement_signed_at: sql<Date>`coalesce(agreement_signed_at, ${at}::timestamptz)` })
    .where('id', '=', subscriberId)
    .execute();
}

export async function activateIfReady(
  ctx: ServiceContext,
  subscriberId: string,
  sipDomain: string,
  actor: Actor,
): Promise<Result<{ activated: boolean; number: string | null }>> {
  const now = ctx.clock.now();
  const ranges = parseNumberRanges(ctx.settings.numberRanges);
  const identity = await revealOwnIdentity(ctx, subscriberId);
  const displayName = identity?.fullName ?? identity?.legalName ?? null;
  return inTransaction(ctx.db, async (trx) => {
    const subscriber = await trx
      .selectFrom('subscribers')
      .select(['id', 'status', 'agreement_signed_at'])
      .where('id', '=', subscriberId)
      .forUpdate()
      .executeTakeFirst();
    if (!subscriber) return fail<{ activated: boolean; number: string | null }>('not_found', 'not-found', 'No such subscriber');
    if (subscriber.status !== 'approved' || !subscriber.agreement_signed_at) return ok({ activated: false, number: null });

    const number = await allocateNumber(trx, {
      subscriberId,
      ranges,
      now,
      isTaken: async (candidate) => (await existingSipNumbers(trx, [candidate])).has(candidate),
    });
    if (!number)
      return fail<{ activated: boolean; number: string | null }>('conflict', 'conflict', 'No number is free in the configured ranges');
    // The number's own password is random and given to no one: people sign in per device.
    await provisionSipAccounts(trx, sipDomain, [{ number, password: randomBytes(24).toString('base64url'), displayName }], now);
    await trx
      .updateTable('subscribers')
      .set({ status: 'active', activated_at: now, display_name: displayName, updated_at: now })
      .where('id', '=', subscriberId)
      .execute();
    await activateOrders(trx, subscriberId, now);
    await projectEntitlements(trx, subscriberId, now);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'subscriber.activate',
      target: { type: 'subscriber', id: subscriberId },
      after: { status: 'active', number },
    });
    await appendEvent(trx, {
      type: 'subscriber.activated',
      aggregateType: 'subscriber',
      aggregateId: subscriberId,
      payload: { number },
      occurredAt: now,
    });
    return ok({ activated: true, number });
  });
}
