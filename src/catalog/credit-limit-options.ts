import type { Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { isFen, type Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { CreditLimitOptionsTable } from './tables.js';

/** A monthly credit limit a subscriber may choose (agreement clause 9); the amount is its natural key. */
export interface CreditLimitOption {
  amountFen: Fen;
  isDefault: boolean;
  active: boolean;
}

/** Smallest first. Inactive options are left out unless asked for. */
export async function listCreditLimitOptions(
  ctx: ServiceContext,
  options: { includeInactive?: boolean } = {},
): Promise<CreditLimitOption[]> {
  const rows = await ctx.db
    .selectFrom('credit_limit_options')
    .selectAll()
    .$if(!options.includeInactive, (qb) => qb.where('active', '=', true))
    .orderBy('amount_fen')
    .execute();
  return rows.map(toOption);
}

export async function createCreditLimitOption(
  ctx: ServiceContext,
  input: { amountFen: Fen; isDefault?: boolean },
  actor: Actor,
): Promise<Result<CreditLimitOption>> {
  if (!isFen(input.amountFen) || input.amountFen <= 0) {
    return fail('invalid', 'invalid-request', 'The credit limit is not valid', {
      fields: [{ field: 'amountFen', message: 'whole fen, more than zero' }],
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('credit_limit_options')
      .select('id')
      .where('amount_fen', '=', input.amountFen)
      .forUpdate()
      .executeTakeFirst();
    if (taken) return fail<CreditLimitOption>('conflict', 'conflict', 'That credit limit is already offered');
    if (input.isDefault) await clearDefault(trx, now);
    const row = await trx
      .insertInto('credit_limit_options')
      .values({ amount_fen: input.amountFen, is_default: input.isDefault ?? false, active: true, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const option = toOption(row);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.credit-limit.create',
      target: { type: 'credit-limit', id: row.id },
      after: option,
    });
    return ok(option);
  });
}

/** Withdraws or restores an option, or makes it the default (the previous default stops being one). */
export async function updateCreditLimitOption(
  ctx: ServiceContext,
  amountFen: Fen,
  changes: { active?: boolean; isDefault?: boolean },
  actor: Actor,
): Promise<Result<CreditLimitOption>> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('credit_limit_options').selectAll().where('amount_fen', '=', amountFen).forUpdate().executeTakeFirst();
    if (!row) return fail<CreditLimitOption>('not_found', 'not-found', 'No such credit limit option');
    const before = toOption(row);
    const next = { active: changes.active ?? before.active, isDefault: changes.isDefault ?? before.isDefault };
    if (next.isDefault && !next.active) {
      return fail<CreditLimitOption>('invalid', 'invalid-request', 'The default credit limit must be offered', {
        fields: [{ field: 'active', message: 'the default cannot be withdrawn; make another option the default first' }],
      });
    }
    if (next.isDefault && !before.isDefault) await clearDefault(trx, now);
    const updated = await trx
      .updateTable('credit_limit_options')
      .set({ active: next.active, is_default: next.isDefault, updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const option = toOption(updated);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.credit-limit.update',
      target: { type: 'credit-limit', id: row.id },
      before,
      after: option,
    });
    return ok(option);
  });
}

async function clearDefault(trx: Executor, now: Date): Promise<void> {
  await trx.updateTable('credit_limit_options').set({ is_default: false, updated_at: now }).where('is_default', '=', true).execute();
}

function toOption(row: Selectable<CreditLimitOptionsTable>): CreditLimitOption {
  return { amountFen: row.amount_fen, isDefault: row.is_default, active: row.active };
}
