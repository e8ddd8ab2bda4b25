import type { Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { isFen, type Fen } from '../platform/money.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import type { TerminalModelPricesTable, TerminalModelsTable } from './tables.js';
import { validateCode, validateNames } from './validation.js';
import { frozen, hasTakenEffect, notInThePast } from './versions.js';

/**
 * A videophone terminal the operator sells (agreement clause 4 covers its warranty), as of one
 * instant: `priceFen` is the price in effect then (or, before the model goes on sale, its first
 * price), and `active` says whether it is on offer then — listed by the operator and priced.
 */
export interface TerminalModel {
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  priceFen: Fen;
  active: boolean;
  sortOrder: number;
}

/** One dated price of a model: from `validFrom` until `validTo` (exclusive, null = without end). */
export interface TerminalPrice {
  id: string;
  code: string;
  priceFen: Fen;
  validFrom: Date;
  validTo: Date | null;
}

/** The operator's switch (`listed`) and every price, for the console. */
export interface TerminalModelHistory extends Omit<TerminalModel, 'priceFen' | 'active'> {
  listed: boolean;
  prices: TerminalPrice[];
}

export type NewTerminalModel = Pick<TerminalModel, 'code' | 'nameZh' | 'nameEn' | 'priceFen'> &
  Partial<Pick<TerminalModel, 'descriptionZh' | 'descriptionEn' | 'active' | 'sortOrder'>> & {
    /** When the first price takes effect and the model goes on sale; defaults to now, never in the past. */
    validFrom?: Date;
  };

/** Listing changes apply at once; a `priceFen` here is a new price from now (see `scheduleTerminalPrice` for a later date). */
export type TerminalModelChanges = Partial<Omit<TerminalModel, 'code'>>;

/** Models on offer at `at` (default now) in list order; every model, priced as of `at`, when asked. */
export async function listTerminalModels(
  ctx: ServiceContext,
  options: { includeInactive?: boolean; at?: Date } = {},
): Promise<TerminalModel[]> {
  const at = options.at ?? ctx.clock.now();
  const rows = await ctx.db.selectFrom('terminal_models').selectAll().orderBy('sort_order').orderBy('code').execute();
  const prices = await pricesOf(ctx.db, rows);
  const models = rows.map((row) => toModel(row, prices.get(row.id) ?? [], at));
  return options.includeInactive ? models : models.filter((model) => model.active);
}

/** Every model with all its prices, oldest first. */
export async function listTerminalModelHistories(ctx: ServiceContext): Promise<TerminalModelHistory[]> {
  const rows = await ctx.db.selectFrom('terminal_models').selectAll().orderBy('sort_order').orderBy('code').execute();
  const prices = await pricesOf(ctx.db, rows);
  return rows.map((row) => {
    const { priceFen: _price, active: _active, ...listing } = toModel(row, [], new Date(0));
    return { ...listing, listed: row.active, prices: (prices.get(row.id) ?? []).map((price) => toPrice(row.code, price)) };
  });
}

export async function findTerminalModel(ctx: ServiceContext, code: string, at: Date = ctx.clock.now()): Promise<TerminalModel | null> {
  const row = await ctx.db.selectFrom('terminal_models').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) return null;
  return toModel(row, (await pricesOf(ctx.db, [row])).get(row.id) ?? [], at);
}

/** A model's row id (what an order keeps), and the code behind an id: for modules that store the id. */
export async function terminalModelId(ctx: ServiceContext, code: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('terminal_models').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}

export async function terminalModelCode(ctx: ServiceContext, id: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('terminal_models').select('code').where('id', '=', id).executeTakeFirst();
  return row?.code ?? null;
}

export async function createTerminalModel(ctx: ServiceContext, input: NewTerminalModel, actor: Actor): Promise<Result<TerminalModel>> {
  const now = ctx.clock.now();
  const { validFrom = now, ...fields } = input;
  const model: TerminalModel = { descriptionZh: '', descriptionEn: '', active: true, sortOrder: 0, ...fields };
  const errors = [...validateCode(model.code), ...validateModel(model), ...notInThePast(validFrom, now, 'validFrom')];
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The terminal model is not valid', { fields: errors });
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('terminal_models').select('id').where('code', '=', model.code).executeTakeFirst();
    if (taken) {
      return fail<TerminalModel>('conflict', 'conflict', `The terminal model ${model.code} exists`, {
        fields: [{ field: 'code', message: 'taken', code: 'taken' }],
      });
    }
    const row = await trx
      .insertInto('terminal_models')
      .values({ ...toColumns(model), code: model.code, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const price = await trx
      .insertInto('terminal_model_prices')
      .values({ terminal_model_id: row.id, price_fen: model.priceFen, valid_from: validFrom, valid_to: null, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = toModel(row, [price], now);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.terminal.create',
      target: { type: 'terminal-model', id: row.id },
      after: { ...created, priceFen: model.priceFen, validFrom },
    });
    return ok(created);
  });
}

/** Orders copy the price they were made at, so a new price affects only later orders. */
export async function updateTerminalModel(
  ctx: ServiceContext,
  code: string,
  changes: TerminalModelChanges,
  actor: Actor,
): Promise<Result<TerminalModel>> {
  const now = ctx.clock.now();
  const { priceFen, ...listing } = changes;
  if (priceFen !== undefined) {
    const priced = await scheduleTerminalPrice(ctx, code, { priceFen, validFrom: now }, actor);
    if (!priced.ok) return priced;
  }
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('terminal_models').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) return fail<TerminalModel>('not_found', 'not-found', 'No such terminal model');
    const prices = (await pricesOf(trx, [row])).get(row.id) ?? [];
    const before = toModel(row, prices, now);
    const next: TerminalModel = { ...before, active: row.active };
    for (const [key, value] of Object.entries(listing)) if (value !== undefined && key !== 'code') Object.assign(next, { [key]: value });
    const errors = validateModel(next);
    if (errors.length > 0) return fail<TerminalModel>('invalid', 'invalid-request', 'The terminal model is not valid', { fields: errors });
    if (Object.keys(listing).length === 0) return ok(before);
    const updated = await trx
      .updateTable('terminal_models')
      .set({ ...toColumns(next), updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toModel(updated, prices, now);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.terminal.update',
      target: { type: 'terminal-model', id: row.id },
      before,
      after,
    });
    return ok(after);
  });
}

/**
 * A new price of a model from `validFrom` (never in the past): the price in effect then ends there,
 * and the new one runs until the next scheduled price, if any. Prices that have begun never change.
 */
export async function scheduleTerminalPrice(
  ctx: ServiceContext,
  code: string,
  input: { priceFen: Fen; validFrom: Date },
  actor: Actor,
): Promise<Result<TerminalPrice>> {
  const now = ctx.clock.now();
  const errors = [
    ...(isFen(input.priceFen) && input.priceFen >= 0 ? [] : [{ field: 'priceFen', message: 'whole fen, not negative' }]),
    ...notInThePast(input.validFrom, now, 'validFrom'),
  ];
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The price is not valid', { fields: errors });
  return ctx.db.transaction().execute(async (trx) => {
    const model = await trx.selectFrom('terminal_models').select(['id', 'code']).where('code', '=', code).forUpdate().executeTakeFirst();
    if (!model) return fail<TerminalPrice>('not_found', 'not-found', 'No such terminal model');
    const prices = (await pricesOf(trx, [model])).get(model.id) ?? [];
    const from = input.validFrom.getTime();
    if (prices.some((price) => price.valid_from.getTime() === from)) {
      return fail<TerminalPrice>('conflict', 'conflict', 'A price of this model already starts then', {
        fields: [{ field: 'validFrom', message: 'a price already starts then', code: 'taken' }],
      });
    }
    const current = prices.find(
      (price) => price.valid_from.getTime() < from && (price.valid_to === null || price.valid_to.getTime() > from),
    );
    const following = prices.find((price) => price.valid_from.getTime() > from);
    if (current) await trx.updateTable('terminal_model_prices').set({ valid_to: input.validFrom }).where('id', '=', current.id).execute();
    const row = await trx
      .insertInto('terminal_model_prices')
      .values({
        terminal_model_id: model.id,
        price_fen: input.priceFen,
        valid_from: input.validFrom,
        valid_to: current ? current.valid_to : (following?.valid_from ?? null),
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const price = toPrice(code, row);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.terminal.price',
      target: { type: 'terminal-model', id: model.id },
      ...(current ? { before: toPrice(code, current) } : {}),
      after: price,
    });
    return ok(price);
  });
}

/** Withdraws a price that has not taken effect; the one before runs on. A price that has begun is frozen (409). */
export async function withdrawTerminalPrice(ctx: ServiceContext, id: string, actor: Actor): Promise<Result<TerminalPrice>> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return fail('not_found', 'not-found', 'No such price');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('terminal_model_prices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) return fail<TerminalPrice>('not_found', 'not-found', 'No such price');
    const model = await trx
      .selectFrom('terminal_models')
      .select(['id', 'code'])
      .where('id', '=', row.terminal_model_id)
      .executeTakeFirstOrThrow();
    const price = toPrice(model.code, row);
    if (hasTakenEffect(price, now)) return frozen<TerminalPrice>(`The price of ${model.code} from ${price.validFrom.toISOString()}`);
    const others = (await pricesOf(trx, [model])).get(model.id)!.filter((other) => other.id !== id);
    if (others.length === 0) {
      return fail<TerminalPrice>('conflict', 'conflict', 'A model keeps at least one price; stop listing the model instead');
    }
    await trx.deleteFrom('terminal_model_prices').where('id', '=', id).execute();
    await trx
      .updateTable('terminal_model_prices')
      .set({ valid_to: row.valid_to })
      .where('terminal_model_id', '=', model.id)
      .where('valid_to', '=', row.valid_from)
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.terminal.price-withdraw',
      target: { type: 'terminal-model', id: model.id },
      before: price,
    });
    return ok(price);
  });
}

async function pricesOf(
  executor: Executor,
  models: readonly { id: string }[],
): Promise<Map<string, Selectable<TerminalModelPricesTable>[]>> {
  const byModel = new Map<string, Selectable<TerminalModelPricesTable>[]>();
  if (models.length === 0) return byModel;
  const rows = await executor
    .selectFrom('terminal_model_prices')
    .selectAll()
    .where(
      'terminal_model_id',
      'in',
      models.map((model) => model.id),
    )
    .orderBy('valid_from')
    .execute();
  for (const row of rows) byModel.set(row.terminal_model_id, [...(byModel.get(row.terminal_model_id) ?? []), row]);
  return byModel;
}

function validateModel(model: TerminalModel): FieldError[] {
  return [
    ...validateNames(model),
    ...(isFen(model.priceFen) && model.priceFen >= 0 ? [] : [{ field: 'priceFen', message: 'whole fen, not negative' }]),
  ];
}

function toColumns(model: TerminalModel) {
  return {
    name_zh: model.nameZh.trim(),
    name_en: model.nameEn.trim(),
    description_zh: model.descriptionZh.trim(),
    description_en: model.descriptionEn.trim(),
    active: model.active,
    sort_order: model.sortOrder,
  };
}

function toPrice(code: string, row: Selectable<TerminalModelPricesTable>): TerminalPrice {
  return { id: row.id, code, priceFen: row.price_fen, validFrom: row.valid_from, validTo: row.valid_to };
}

/** The model as of `at`: the price in effect then, or its first price while it is not on sale yet. */
function toModel(row: Selectable<TerminalModelsTable>, prices: readonly Selectable<TerminalModelPricesTable>[], at: Date): TerminalModel {
  const current = prices.find((price) => hasTakenEffect(toPrice(row.code, price), at) && (price.valid_to === null || price.valid_to > at));
  return {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    priceFen: current?.price_fen ?? prices[0]?.price_fen ?? 0,
    active: row.active && current !== undefined,
    sortOrder: row.sort_order,
  };
}
