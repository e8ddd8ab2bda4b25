import { recordAudit, type Actor } from '../audit/index.js';
import { listCreditLimitOptions } from '../catalog/index.js';
import type { ServiceContext } from '../platform/context.js';
import { isFen, type Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import { creditLimitOf, type Charging } from './charging.js';

/**
 * Changes a subscriber's credit limit (clause 9), audited. A subscriber chooses among the
 * catalogue's offered limits; staff may set any amount (an arrangement the operator made). A limit
 * raised past the month's fees lifts the credit-limit block at once; a lower one applies to the
 * next grant of every call in progress.
 */
export async function changeCreditLimit(
  ctx: ServiceContext,
  charging: Charging,
  input: { subscriberId: string; limitFen: Fen; by: 'subscriber' | 'staff' },
  actor: Actor,
): Promise<Result<{ limitFen: Fen; previousFen: Fen | null; restored: boolean }>> {
  if (!isFen(input.limitFen) || input.limitFen < 0) {
    return fail('invalid', 'invalid-request', 'The credit limit is not valid', {
      fields: [{ field: 'limitFen', message: 'whole fen, zero or more' }],
    });
  }
  if (input.by === 'subscriber') {
    const options = await listCreditLimitOptions(ctx);
    if (!options.some((option) => option.amountFen === input.limitFen)) {
      return fail('invalid', 'invalid-request', 'That credit limit is not offered', {
        fields: [{ field: 'limitFen', message: `one of ${options.map((o) => o.amountFen).join(', ')}` }],
      });
    }
  }
  const previousFen = await creditLimitOf(ctx, input.subscriberId);
  if (previousFen === null) return fail('not_found', 'not-found', 'No such subscriber with an order');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('credit_limits')
      .values({ subscriber_id: input.subscriberId, limit_fen: input.limitFen, changed_at: now, changed_by: actor.name ?? actor.type })
      .onConflict((oc) =>
        oc.column('subscriber_id').doUpdateSet({ limit_fen: input.limitFen, changed_at: now, changed_by: actor.name ?? actor.type }),
      )
      .execute();
    await trx
      .insertInto('charging_log')
      .values({
        subscriber_id: input.subscriberId,
        at: now,
        kind: 'limit-changed',
        call_key: null,
        detail: JSON.stringify({ fromFen: previousFen, toFen: input.limitFen, by: input.by }),
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'charging.credit-limit.change',
      target: { type: 'subscriber', id: input.subscriberId },
      before: { limitFen: previousFen },
      after: { limitFen: input.limitFen },
    });
  });
  charging.forget();
  const restored = await charging.restoreIfPossible(input.subscriberId, now);
  return ok({ limitFen: input.limitFen, previousFen, restored });
}
