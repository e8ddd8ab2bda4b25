import type { Kysely, Transaction } from 'kysely';
import {
  findPlanByCode,
  findPlanVersion,
  findTerminalModel,
  listCreditLimitOptions,
  terminalModelCode,
  terminalModelId,
  type Plan,
} from '../catalog/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import type { FieldError } from '../platform/result.js';
import type { OrderStatus } from './tables.js';

/**
 * The order made when applying (clause 2): it names the plan *version* in force that day, so later
 * price changes do not alter what the subscriber agreed to; the terminal's price is copied for the
 * same reason. Billing reads the current order of a subscriber through `currentOrder`.
 */
export interface OrderRequest {
  planCode: string;
  creditLimitFen: number;
  terminalCode?: string | undefined;
  deliveryAddress?: string | undefined;
}

export interface ResolvedOrder {
  plan: Plan;
  creditLimitFen: Fen;
  terminal: { id: string; code: string; priceFen: Fen } | null;
  deliveryAddress: string | null;
}

/** Checks an order against the catalogue of the day; field errors name the application fields. */
export async function resolveOrder(ctx: ServiceContext, request: OrderRequest, errors: FieldError[]): Promise<ResolvedOrder | null> {
  const plan = await findPlanByCode(ctx, request.planCode);
  if (!plan || !plan.active) errors.push({ field: 'planCode', message: 'not a plan on offer' });
  const limits = await listCreditLimitOptions(ctx);
  if (!limits.some((option) => option.amountFen === request.creditLimitFen)) {
    errors.push({ field: 'creditLimitFen', message: `one of ${limits.map((o) => o.amountFen).join(', ')}` });
  }
  let terminal: ResolvedOrder['terminal'] = null;
  const deliveryAddress = request.deliveryAddress?.trim() || null;
  if (request.terminalCode) {
    const model = await findTerminalModel(ctx, request.terminalCode);
    if (!model || !model.active) errors.push({ field: 'terminalCode', message: 'not a terminal on offer' });
    else {
      const id = (await terminalModelId(ctx, model.code))!;
      terminal = { id, code: model.code, priceFen: model.priceFen };
    }
    if (!deliveryAddress || [...deliveryAddress].length < 5)
      errors.push({ field: 'deliveryAddress', message: 'required with a terminal, 5–200 characters' });
  }
  if (!plan || errors.length > 0) return null;
  return { plan, creditLimitFen: request.creditLimitFen, terminal, deliveryAddress };
}

export async function insertOrder(
  ctx: ServiceContext,
  trx: Transaction<Database>,
  subscriberId: string,
  order: ResolvedOrder,
): Promise<void> {
  const now = ctx.clock.now();
  const { id } = await trx
    .insertInto('orders')
    .values({
      subscriber_id: subscriberId,
      plan_id: order.plan.id,
      credit_limit_fen: order.creditLimitFen,
      terminal_model_id: order.terminal?.id ?? null,
      terminal_price_fen: order.terminal?.priceFen ?? null,
      delivery_address_sealed: null,
      status: 'pending',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (order.deliveryAddress) {
    await trx
      .updateTable('orders')
      .set({ delivery_address_sealed: ctx.cipher.seal(order.deliveryAddress, `orders.delivery_address:${id}`) })
      .where('id', '=', id)
      .execute();
  }
}

export interface Order {
  id: string;
  subscriberId: string;
  planId: string;
  plan: Plan;
  creditLimitFen: Fen;
  terminalCode: string | null;
  terminalPriceFen: Fen | null;
  status: OrderStatus;
  createdAt: string;
}

/** The subscriber's latest order that is not cancelled; what billing rates and bills by. */
export async function currentOrder(ctx: ServiceContext, subscriberId: string): Promise<Order | null> {
  const row = await ctx.db
    .selectFrom('orders')
    .select([
      'orders.id',
      'orders.subscriber_id',
      'orders.plan_id',
      'orders.credit_limit_fen',
      'orders.terminal_model_id',
      'orders.terminal_price_fen',
      'orders.status',
      'orders.created_at',
    ])
    .where('orders.subscriber_id', '=', subscriberId)
    .where('orders.status', '!=', 'cancelled')
    .orderBy('orders.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const plan = await findPlanVersion(ctx, row.plan_id);
  if (!plan) throw new Error(`order ${row.id} names a missing plan version ${row.plan_id}`);
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    planId: row.plan_id,
    plan,
    creditLimitFen: row.credit_limit_fen,
    terminalCode: row.terminal_model_id ? await terminalModelCode(ctx, row.terminal_model_id) : null,
    terminalPriceFen: row.terminal_price_fen,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

export async function activateOrders(db: Kysely<Database>, subscriberId: string, now: Date): Promise<void> {
  await db
    .updateTable('orders')
    .set({ status: 'active', updated_at: now })
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'pending')
    .execute();
}
