import type { Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { isFen, type Fen } from '../platform/money.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import type { TerminalModelsTable } from './tables.js';
import { validateCode, validateNames } from './validation.js';

/** A videophone terminal the operator sells (agreement clause 4 covers its warranty). */
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

export type NewTerminalModel = Pick<TerminalModel, 'code' | 'nameZh' | 'nameEn' | 'priceFen'> &
  Partial<Pick<TerminalModel, 'descriptionZh' | 'descriptionEn' | 'active' | 'sortOrder'>>;

export type TerminalModelChanges = Partial<Omit<TerminalModel, 'code'>>;

/** Offered models in list order; withdrawn ones too when asked. */
export async function listTerminalModels(ctx: ServiceContext, options: { includeInactive?: boolean } = {}): Promise<TerminalModel[]> {
  const rows = await ctx.db
    .selectFrom('terminal_models')
    .selectAll()
    .$if(!options.includeInactive, (qb) => qb.where('active', '=', true))
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map(toModel);
}

export async function findTerminalModel(ctx: ServiceContext, code: string): Promise<TerminalModel | null> {
  const row = await ctx.db.selectFrom('terminal_models').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toModel(row) : null;
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
  const model: TerminalModel = { descriptionZh: '', descriptionEn: '', active: true, sortOrder: 0, ...input };
  const errors = [...validateCode(model.code), ...validateModel(model)];
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The terminal model is not valid', { fields: errors });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('terminal_models').select('id').where('code', '=', model.code).executeTakeFirst();
    if (taken) return fail<TerminalModel>('conflict', 'conflict', `The terminal model ${model.code} exists`);
    const row = await trx
      .insertInto('terminal_models')
      .values({ ...toColumns(model), code: model.code, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = toModel(row);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.terminal.create',
      target: { type: 'terminal-model', id: row.id },
      after: created,
    });
    return ok(created);
  });
}

/** Orders copy the price they were made at, so changing it here affects only later orders. */
export async function updateTerminalModel(
  ctx: ServiceContext,
  code: string,
  changes: TerminalModelChanges,
  actor: Actor,
): Promise<Result<TerminalModel>> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('terminal_models').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) return fail<TerminalModel>('not_found', 'not-found', 'No such terminal model');
    const before = toModel(row);
    const next: TerminalModel = { ...before };
    for (const [key, value] of Object.entries(changes)) if (value !== undefined && key !== 'code') Object.assign(next, { [key]: value });
    const errors = validateModel(next);
    if (errors.length > 0) return fail<TerminalModel>('invalid', 'invalid-request', 'The terminal model is not valid', { fields: errors });
    const updated = await trx
      .updateTable('terminal_models')
      .set({ ...toColumns(next), updated_at: now })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const after = toModel(updated);
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
    price_fen: model.priceFen,
    active: model.active,
    sort_order: model.sortOrder,
  };
}

function toModel(row: Selectable<TerminalModelsTable>): TerminalModel {
  return {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    priceFen: row.price_fen,
    active: row.active,
    sortOrder: row.sort_order,
  };
}
