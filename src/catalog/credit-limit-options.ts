import type { Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { isFen, type Fen } from '../platform/money.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { CreditLimitOptionsTable } from './tables.js';
import { frozen, hasTakenEffect, notInThePast } from './versions.js';

/**
 * A monthly credit limit a subscriber may choose (agreement clause 9); the amount is its natural key.
 * It is offered from `validFrom` until `validTo` (exclusive, null = without end) while `active`.
 */
export interface CreditLimitOption {
  amountFen: Fen;
  isDefault: boolean;
  active: boolean;
  validFrom: Date;
  validTo: Date | null;
}

/** Smallest first: the options offered at `at` (default now), or every option ever written when asked. */
export async function listCreditLimitOptions(
  ctx: ServiceContext,
  options: { includeInactive?: boolean; at?: Date } = {},
): Promise<CreditLimitOption[]> {
  const at = options.at ?? ctx.clock.now();
  const rows = await ctx.db
    .selectFrom('credit_limit_options')
    .selectAll()
    .$if(!options.includeInactive, (qb) =>
      qb
        .where('active', '=', true)
        .where('valid_from', '<=', at)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)])),
    )
    .orderBy('amount_fen')
    .execute();
  return rows.map(toOption);
}

/** Offers a new amount from `validFrom` (default now, never in the past); only an amount offered now may be the default. */
export async function createCreditLimitOption(
  ctx: ServiceContext,
  input: { amountFen: Fen; isDefault?: boolean; validFrom?: Date },
  actor: Actor,
): Promise<Result<CreditLimitOption>> {
  const now = ctx.clock.now();
  const validFrom = input.validFrom ?? now;
  const fields = [
    ...(isFen(input.amountFen) && input.amountFen > 0 ? [] : [{ field: 'amountFen', message: 'whole fen, more than zero' }]),
    ...notInThePast(validFrom, now, 'validFrom'),
    ...(input.isDefault && validFrom.getTime() > now.getTime()
      ? [{ field: 'isDefault', message: 'only an amount offered now can be the default' }]
      : []),
  ];
  if (fields.length > 0) return fail('invalid', 'invalid-request', 'The credit limit is not valid', { fields });
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('credit_limit_options')
      .select('id')
      .where('amount_fen', '=', input.amountFen)
      .forUpdate()
      .executeTakeFirst();
    if (taken) {
      return fail<CreditLimitOption>('conflict', 'conflict', 'That credit limit is already offered', {
        fields: [{ field: 'amountFen', message: 'already offered', code: 'taken' }],
      });
    }
    if (input.isDefault) await clearDefault(trx, now);
    const row = await trx
      .insertInto('credit_limit_options')
      .values({
        amount_fen: input.amountFen,
        is_default: input.isDefault ?? false,
        active: true,
        valid_from: validFrom,
        valid_to: null,
        created_at: now,
        updated_at: now,
      })
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
    if (next.isDefault && !before.isDefault && !offeredAt(before, now)) {
      return fail<CreditLimitOption>('invalid', 'invalid-request', 'Only an amount offered now can be the default', {
        fields: [{ field: 'isDefault', message: 'only an amount offered now can be the default' }],
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

/**
 * Stops offering an amount from `validTo` (00:00 of a later date): subscribers who chose it keep it;
 * new choices cannot be made from then. An end already passed is frozen; the default is not ended.
 */
export async function endCreditLimitOption(
  ctx: ServiceContext,
  amountFen: Fen,
  validTo: Date,
  actor: Actor,
): Promise<Result<CreditLimitOption>> {
  const now = ctx.clock.now();
  const past = notInThePast(validTo, now, 'validTo');
  if (past.length > 0) return fail('invalid', 'invalid-request', 'An offer cannot end in the past', { fields: past });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('credit_limit_options').selectAll().where('amount_fen', '=', amountFen).forUpdate().executeTakeFirst();
    if (!row) return fail<CreditLimitOption>('not_found', 'not-found', 'No such credit limit option');
    const before = toOption(row);
    if (before.validTo !== null && before.validTo.getTime() <= now.getTime()) return frozen<CreditLimitOption>('The credit limit offer');
    if (before.isDefault) {
      return fail<CreditLimitOption>('invalid', 'invalid-request', 'The default credit limit must stay offered', {
        fields: [{ field: 'validTo', message: 'the default cannot be ended; make another option the default first' }],
      });
    }
    if (validTo.getTime() <= before.validFrom.getTime()) {
      return fail<CreditLimitOption>('invalid', 'invalid-request', 'An offer ends after it begins', {
        fields: [{ field: 'validTo', message: 'must be after the offer begins', code: 'out-of-order' }],
      });
    }
    const updated = await trx
      .updateTable('credit_limit_options')
      .set({ valid_to: validTo, updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const option = toOption(updated);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.credit-limit.end',
      target: { type: 'credit-limit', id: row.id },
      before,
      after: option,
    });
    return ok(option);
  });
}

/** Withdraws an amount announced for a later date, before anyone could choose it; one already offered is frozen (409). */
export async function withdrawCreditLimitOption(ctx: ServiceContext, amountFen: Fen, actor: Actor): Promise<Result<CreditLimitOption>> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('credit_limit_options').selectAll().where('amount_fen', '=', amountFen).forUpdate().executeTakeFirst();
    if (!row) return fail<CreditLimitOption>('not_found', 'not-found', 'No such credit limit option');
    const before = toOption(row);
    if (hasTakenEffect(before, now)) return frozen<CreditLimitOption>('The credit limit offer');
    await trx.deleteFrom('credit_limit_options').where('id', '=', row.id).execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.credit-limit.withdraw',
      target: { type: 'credit-limit', id: row.id },
      before,
    });
    return ok(before);
  });
}

function offeredAt(option: CreditLimitOption, at: Date): boolean {
  return option.active && hasTakenEffect(option, at) && (option.validTo === null || option.validTo.getTime() > at.getTime());
}

async function clearDefault(trx: Executor, now: Date): Promise<void> {
  await trx.updateTable('credit_limit_options').set({ is_default: false, updated_at: now }).where('is_default', '=', true).execute();
}

function toOption(row: Selectable<CreditLimitOptionsTable>): CreditLimitOption {
  return { amountFen: row.amount_fen, isDefault: row.is_default, active: row.active, validFrom: row.valid_from, validTo: row.valid_to };
}
