import { sql, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { isFen, type Fen, type PreciseFen } from '../platform/money.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import { listCreditLimitOptions, type CreditLimitOption } from './credit-limit-options.js';
import type { PlansTable } from './tables.js';
import { listTerminalModels, type TerminalModel } from './terminal-models.js';
import { validateCode, validateNames } from './validation.js';
import { allowRescheduling, frozen, hasTakenEffect, isForeignKeyViolation } from './versions.js';

/** One version of a plan: the prices in force from `validFrom` until `validTo` (exclusive, null = open). */
export interface Plan {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  monthlyRentFen: Fen;
  includedMinutes: number;
  /** 1/10000 fen per minute. */
  perMinuteRatePrecise: PreciseFen;
  billingIncrementSeconds: number;
  active: boolean;
  sortOrder: number;
  validFrom: Date;
  validTo: Date | null;
}

/** What is on offer at one instant: the published price list is generated from this and nothing else. */
export interface Catalogue {
  asOf: Date;
  plans: Plan[];
  creditLimits: CreditLimitOption[];
  terminals: TerminalModel[];
}

export interface PlanListing {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  active: boolean;
  sortOrder: number;
}

export interface PlanPrices {
  monthlyRentFen: Fen;
  includedMinutes: number;
  perMinuteRatePrecise: PreciseFen;
  billingIncrementSeconds: number;
}

export interface NewPlan extends PlanPrices, Partial<Pick<PlanListing, 'active' | 'sortOrder'>> {
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh?: string;
  descriptionEn?: string;
  /** Defaults to now; published prices never take effect in the past. */
  validFrom?: Date;
  validTo?: Date | null;
}

/** A price change: a new version from `effectiveFrom` (default now), the rest carried over from the version it replaces. */
export type PlanRevision = Partial<PlanPrices & PlanListing> & { effectiveFrom?: Date };

export async function listCurrentCatalogue(ctx: ServiceContext, at: Date = ctx.clock.now()): Promise<Catalogue> {
  const rows = await inEffect(ctx.db, at).where('active', '=', true).orderBy('sort_order').orderBy('code').execute();
  return {
    asOf: at,
    plans: rows.map(toPlan),
    creditLimits: await listCreditLimitOptions(ctx, { at }),
    terminals: await listTerminalModels(ctx, { at }),
  };
}

/** The version of the plan in effect at `at`, listed or not (subscribers on a withdrawn plan are still billed by it). */
export async function findPlanByCode(ctx: ServiceContext, code: string, at: Date = ctx.clock.now()): Promise<Plan | null> {
  const row = await inEffect(ctx.db, at).where('code', '=', code).executeTakeFirst();
  return row ? toPlan(row) : null;
}

/** A plan version by id, as an order references it, whatever its window. */
export async function findPlanVersion(ctx: ServiceContext, id: string): Promise<Plan | null> {
  if (!isUuid(id)) return null;
  const row = await ctx.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPlan(row) : null;
}

/** Every version of a plan, oldest first. */
export async function listPlanVersions(ctx: ServiceContext, code: string): Promise<Plan[]> {
  const rows = await ctx.db.selectFrom('plans').selectAll().where('code', '=', code).orderBy('valid_from').execute();
  return rows.map(toPlan);
}

/** Every version of every plan, by plan in list order, oldest version first: what the console edits. */
export async function listAllPlanVersions(ctx: ServiceContext): Promise<Plan[]> {
  const rows = await ctx.db.selectFrom('plans').selectAll().orderBy('code').orderBy('valid_from').execute();
  return rows.map(toPlan);
}

export async function createPlan(ctx: ServiceContext, input: NewPlan, actor: Actor): Promise<Result<Plan>> {
  const now = ctx.clock.now();
  const validFrom = input.validFrom ?? now;
  const validTo = input.validTo ?? null;
  const errors = [
    ...validateCode(input.code),
    ...validateNames({ ...input, descriptionZh: input.descriptionZh ?? '', descriptionEn: input.descriptionEn ?? '' }),
    ...validatePrices(input),
    ...validateWindow(validFrom, validTo, now),
  ];
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The plan is not valid', { fields: errors });

  return ctx.db.transaction().execute(async (trx) => {
    await lockPlans(trx);
    const overlapping = await trx
      .selectFrom('plans')
      .select('id')
      .where('code', '=', input.code)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', validFrom)]))
      .$if(validTo !== null, (qb) => qb.where('valid_from', '<', validTo as Date))
      .executeTakeFirst();
    if (overlapping) {
      return fail<Plan>('conflict', 'conflict', `The plan ${input.code} already has a version in that period`, {
        fields: [{ field: 'code', message: 'taken for that period', code: 'taken' }],
      });
    }
    const row = await trx
      .insertInto('plans')
      .values({
        code: input.code,
        name_zh: input.nameZh.trim(),
        name_en: input.nameEn.trim(),
        description_zh: (input.descriptionZh ?? '').trim(),
        description_en: (input.descriptionEn ?? '').trim(),
        monthly_rent_fen: input.monthlyRentFen,
        included_minutes: input.includedMinutes,
        per_minute_rate_precise: input.perMinuteRatePrecise,
        billing_increment_seconds: input.billingIncrementSeconds,
        active: input.active ?? true,
        sort_order: input.sortOrder ?? 0,
        valid_from: validFrom,
        valid_to: validTo,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const plan = toPlan(row);
    await recordAudit(trx, { at: now, actor, action: 'catalog.plan.create', target: { type: 'plan', id: plan.id }, after: plan });
    return ok(plan);
  });
}

/**
 * Publishes a new version of a plan from `effectiveFrom`: the version in effect then ends there and the
 * new one carries its fields with the changes applied. Subscribers' orders keep pointing at the old one.
 * When a later version is already scheduled, the new one fits between and ends where that one begins.
 */
export async function revisePlan(ctx: ServiceContext, code: string, revision: PlanRevision, actor: Actor): Promise<Result<Plan>> {
  const now = ctx.clock.now();
  const effectiveFrom = revision.effectiveFrom ?? now;
  if (effectiveFrom.getTime() < now.getTime()) {
    return fail('invalid', 'invalid-request', 'Published prices cannot change in the past', {
      fields: [{ field: 'effectiveFrom', message: 'must not be in the past', code: 'in-the-past' }],
    });
  }

  return ctx.db.transaction().execute(async (trx) => {
    await lockPlans(trx);
    const currentRow = await inEffect(trx, effectiveFrom).where('code', '=', code).executeTakeFirst();
    if (!currentRow) return fail<Plan>('not_found', 'not-found', `No version of the plan ${code} is in effect then`);
    const current = toPlan(currentRow);
    const next: Plan = { ...current, ...definedOnly(revision) };
    const errors = [...validateNames(next), ...validatePrices(next)];
    if (errors.length > 0) return fail<Plan>('invalid', 'invalid-request', 'The plan is not valid', { fields: errors });
    if (current.validFrom.getTime() === effectiveFrom.getTime()) {
      return fail<Plan>('conflict', 'conflict', `A version of ${code} already starts at that time`, {
        fields: [{ field: 'effectiveFrom', message: 'a version already starts then', code: 'taken' }],
      });
    }

    if (current.validTo !== null) await allowRescheduling(trx);
    await trx.updateTable('plans').set({ valid_to: effectiveFrom, updated_at: now }).where('id', '=', current.id).execute();
    const row = await trx
      .insertInto('plans')
      .values({
        code,
        name_zh: next.nameZh.trim(),
        name_en: next.nameEn.trim(),
        description_zh: next.descriptionZh.trim(),
        description_en: next.descriptionEn.trim(),
        monthly_rent_fen: next.monthlyRentFen,
        included_minutes: next.includedMinutes,
        per_minute_rate_precise: next.perMinuteRatePrecise,
        billing_increment_seconds: next.billingIncrementSeconds,
        active: next.active,
        sort_order: next.sortOrder,
        valid_from: effectiveFrom,
        valid_to: current.validTo,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const plan = toPlan(row);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'catalog.plan.revise',
      target: { type: 'plan', id: plan.id },
      before: current,
      after: plan,
    });
    return ok(plan);
  });
}

/**
 * Withdraws a version that has not taken effect: it disappears and the version before it runs on
 * until the one after (or without end). A version in effect, ended, or on an order is frozen (409):
 * the database's reference from orders refuses the delete even where the clock would allow it.
 */
export async function withdrawPlanVersion(ctx: ServiceContext, id: string, actor: Actor): Promise<Result<Plan>> {
  if (!isUuid(id)) return fail('not_found', 'not-found', 'No such plan version');
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      await lockPlans(trx);
      const row = await trx.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return fail<Plan>('not_found', 'not-found', 'No such plan version');
      const withdrawn = toPlan(row);
      if (hasTakenEffect(withdrawn, now)) return frozen<Plan>(`The version of ${withdrawn.code} from ${withdrawn.validFrom.toISOString()}`);
      await trx.deleteFrom('plans').where('id', '=', id).execute();
      await allowRescheduling(trx);
      await trx
        .updateTable('plans')
        .set({ valid_to: withdrawn.validTo, updated_at: now })
        .where('code', '=', withdrawn.code)
        .where('valid_to', '=', withdrawn.validFrom)
        .execute();
      await recordAudit(trx, { at: now, actor, action: 'catalog.plan.withdraw', target: { type: 'plan', id }, before: withdrawn });
      return ok(withdrawn);
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) return frozen(`The plan version ${id}`);
    throw error;
  }
}

/**
 * Changes how a plan version is listed: whether it is offered and where it is listed, always; its names
 * and descriptions only before it takes effect (after that they are what subscribers agreed to). Never its prices.
 */
export async function updatePlanListing(
  ctx: ServiceContext,
  id: string,
  changes: Partial<PlanListing>,
  actor: Actor,
): Promise<Result<Plan>> {
  if (!isUuid(id)) return fail('not_found', 'not-found', 'No such plan version');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) return fail<Plan>('not_found', 'not-found', 'No such plan version');
    const before = toPlan(row);
    const next = { ...before, ...definedOnly(changes) };
    const renamed = (['nameZh', 'nameEn', 'descriptionZh', 'descriptionEn'] as const).some((key) => next[key] !== before[key]);
    if (renamed && hasTakenEffect(before, now)) return frozen<Plan>(`The version of ${before.code} from ${before.validFrom.toISOString()}`);
    const errors = validateNames(next);
    if (errors.length > 0) return fail<Plan>('invalid', 'invalid-request', 'The plan is not valid', { fields: errors });
    const updated = await trx
      .updateTable('plans')
      .set({
        name_zh: next.nameZh.trim(),
        name_en: next.nameEn.trim(),
        description_zh: next.descriptionZh.trim(),
        description_en: next.descriptionEn.trim(),
        active: next.active,
        sort_order: next.sortOrder,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const plan = toPlan(updated);
    await recordAudit(trx, { at: now, actor, action: 'catalog.plan.update', target: { type: 'plan', id }, before, after: plan });
    return ok(plan);
  });
}

function inEffect(executor: Executor, at: Date) {
  return executor
    .selectFrom('plans')
    .selectAll()
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]));
}

// Versions of one code must not overlap; staff edits are rare, so serialising them is the simple guard.
async function lockPlans(executor: Executor): Promise<void> {
  await sql`lock table plans in share row exclusive mode`.execute(executor);
}

function validatePrices(prices: PlanPrices): FieldError[] {
  const errors: FieldError[] = [];
  if (!isFen(prices.monthlyRentFen) || prices.monthlyRentFen < 0)
    errors.push({ field: 'monthlyRentFen', message: 'whole fen, not negative' });
  if (!Number.isInteger(prices.includedMinutes) || prices.includedMinutes < 0 || prices.includedMinutes > 1_000_000) {
    errors.push({ field: 'includedMinutes', message: 'whole minutes, 0 to 1,000,000' });
  }
  if (!isFen(prices.perMinuteRatePrecise) || prices.perMinuteRatePrecise < 0) {
    errors.push({ field: 'perMinuteRatePrecise', message: 'whole 1/10000 fen, not negative' });
  }
  if (!Number.isInteger(prices.billingIncrementSeconds) || prices.billingIncrementSeconds < 1 || prices.billingIncrementSeconds > 3600) {
    errors.push({ field: 'billingIncrementSeconds', message: 'whole seconds, 1 to 3600' });
  }
  return errors;
}

function validateWindow(validFrom: Date, validTo: Date | null, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (validFrom.getTime() < now.getTime()) errors.push({ field: 'validFrom', message: 'must not be in the past', code: 'in-the-past' });
  if (validTo !== null && validTo.getTime() <= validFrom.getTime())
    errors.push({ field: 'validTo', message: 'must be after validFrom', code: 'out-of-order' });
  return errors;
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([key, value]) => value !== undefined && key !== 'effectiveFrom')) as Partial<T>;
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function toPlan(row: Selectable<PlansTable>): Plan {
  return {
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    monthlyRentFen: row.monthly_rent_fen,
    includedMinutes: row.included_minutes,
    perMinuteRatePrecise: row.per_minute_rate_precise,
    billingIncrementSeconds: row.billing_increment_seconds,
    active: row.active,
    sortOrder: row.sort_order,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}
