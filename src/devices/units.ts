import { sql, type Selectable, type Transaction } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import { findTerminalModel } from '../catalog/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database, Executor } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import type { Order } from '../subscribers/index.js';
import { formatMac, normaliseMac } from './mac.js';
import { canMove, type StockState } from './stock-states.js';
import type { DeliveredBy, TerminalShipmentsTable, TerminalUnitsTable } from './tables.js';
import { warrantyEndFor } from './warranty-rules.js';

/**
 * Terminal inventory (clause 4). A unit enters stock when received, is reserved for the order that
 * bought it, shipped with a carrier and tracking number, and delivered: the delivery date, confirmed
 * by the carrier, staff or the subscriber, starts the warranty. Every change of stock state is kept
 * in an append-only history.
 */

export interface Shipment {
  id: string;
  unitId: string;
  orderId: string | null;
  subscriberId: string;
  carrier: string;
  tracking: string;
  shippedAt: string;
  deliveredAt: string | null;
  deliveredBy: DeliveredBy | null;
  damageReported: string | null;
}

export interface TerminalUnit {
  id: string;
  modelCode: string;
  serialNumber: string;
  /** `00:1a:2b:3c:4d:5e` */
  mac: string;
  state: StockState;
  orderId: string | null;
  subscriberId: string | null;
  deliveredAt: string | null;
  deliveredBy: DeliveredBy | null;
  /** The last day the warranty covers (local date), once delivered. */
  warrantyEndsOn: string | null;
  replacesUnitId: string | null;
  tamperedOn: string | null;
  receivedAt: string;
  updatedAt: string;
}

export interface StateChange {
  at: string;
  fromState: StockState | null;
  toState: StockState;
  actorType: string;
  actorId: string | null;
  note: string | null;
}

export interface NewUnit {
  modelCode: string;
  serialNumber: string;
  mac: string;
}

/** A unit's columns, local dates as `YYYY-MM-DD` text (as the calendar module writes them). */
const unitColumns = [
  'id',
  'model_code',
  'serial_number',
  'mac',
  'state',
  'order_id',
  'subscriber_id',
  'delivered_at',
  'delivered_by',
  sql<string | null>`warranty_ends_on::text`.as('warranty_ends_on'),
  'replaces_unit_id',
  sql<string | null>`tampered_on::text`.as('tampered_on'),
  'received_at',
  'updated_at',
] as const;

/** One unit as stored, read in `db` (a transaction sees its own writes). */
export async function readUnit(db: Executor, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('terminal_units').select(unitColumns).where('id', '=', id).executeTakeFirst();
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A unit arrives in the operator's stock. */
export async function receiveUnit(ctx: ServiceContext, input: NewUnit, actor: Actor): Promise<Result<TerminalUnit>> {
  const serialNumber = input.serialNumber.trim();
  const mac = normaliseMac(input.mac);
  const fields = [
    ...(/^[\x21-\x7e]{1,64}$/.test(serialNumber) ? [] : [{ field: 'serialNumber', message: '1–64 printable ASCII characters' }]),
    ...(mac ? [] : [{ field: 'mac', message: 'a unicast MAC address such as 00:1A:2B:3C:4D:5E' }]),
  ];
  const model = await findTerminalModel(ctx, input.modelCode);
  if (!model) fields.push({ field: 'modelCode', message: 'not a terminal model of the catalogue' });
  if (fields.length > 0) return fail('invalid', 'invalid-request', 'The unit is not valid', { fields });
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('terminal_units')
      .select(['id', 'mac'])
      .where((eb) =>
        eb.or([eb('mac', '=', mac!), eb.and([eb('model_code', '=', input.modelCode), eb('serial_number', '=', serialNumber)])]),
      )
      .executeTakeFirst();
    if (taken) {
      const field = taken.mac === mac ? 'mac' : 'serialNumber';
      return fail<TerminalUnit>('conflict', 'conflict', `A unit with this ${field === 'mac' ? 'MAC' : 'serial number'} exists`, {
        fields: [{ field, message: 'already in the inventory' }],
        extra: { unitId: taken.id },
      });
    }
    const { id } = await trx
      .insertInto('terminal_units')
      .values({
        model_code: input.modelCode,
        serial_number: serialNumber,
        mac: mac!,
        state: 'in_stock',
        order_id: null,
        subscriber_id: null,
        delivered_at: null,
        delivered_by: null,
        warranty_ends_on: null,
        replaces_unit_id: null,
        tampered_on: null,
        received_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = (await readUnit(trx, id))!;
    await appendHistory(trx, row.id, null, 'in_stock', actor, now, null);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'devices.unit.receive',
      target: { type: 'terminal-unit', id: row.id },
      after: toUnit(row),
    });
    return ok(toUnit(row));
  });
}

/** Reserves a unit in stock for the order that bought one of its model (subscribers' `currentOrder`). */
export async function reserveUnit(ctx: ServiceContext, unitId: string, order: Order, actor: Actor): Promise<Result<TerminalUnit>> {
  return changeUnit(ctx, unitId, actor, 'devices.unit.reserve', async (trx, unit) => {
    if (order.status === 'cancelled') return fail('conflict', 'conflict', 'The order is cancelled');
    if (!order.terminalCode) return fail('invalid', 'invalid-request', 'The order bought no terminal');
    if (order.terminalCode !== unit.model_code) {
      return fail('invalid', 'invalid-request', `The order bought a ${order.terminalCode}, this unit is a ${unit.model_code}`, {
        fields: [{ field: 'unitId', message: `a unit of ${order.terminalCode}` }],
      });
    }
    const other = await trx
      .selectFrom('terminal_units')
      .select('id')
      .where('order_id', '=', order.id)
      .where('state', 'in', ['reserved', 'shipped', 'delivered'])
      .where('id', '<>', unit.id)
      .executeTakeFirst();
    if (other) return fail('conflict', 'conflict', 'The order has its unit already', { extra: { unitId: other.id } });
    return move(trx, unit, 'reserved', actor, ctx.clock.now(), `order ${order.id}`, {
      order_id: order.id,
      subscriber_id: order.subscriberId,
    });
  });
}

/** Puts a reserved unit back in stock (the order changed, or another unit goes instead). */
export async function releaseUnit(ctx: ServiceContext, unitId: string, actor: Actor): Promise<Result<TerminalUnit>> {
  return changeUnit(ctx, unitId, actor, 'devices.unit.release', (trx, unit) => {
    if (unit.state !== 'reserved') return Promise.resolve(fail('conflict', 'conflict', `The unit is ${unit.state}, not reserved`));
    return move(trx, unit, 'in_stock', actor, ctx.clock.now(), null, { order_id: null, subscriber_id: null });
  });
}

/**
 * Hands a reserved unit (or one repaired or replacing another) to a carrier. The shipment names
 * the subscriber the unit is assigned to.
 */
export async function shipUnit(
  ctx: ServiceContext,
  unitId: string,
  input: { carrier: string; tracking: string },
  actor: Actor,
): Promise<Result<TerminalUnit>> {
  const carrier = input.carrier.trim();
  const tracking = input.tracking.trim();
  const fields = [
    ...(carrier.length >= 1 && carrier.length <= 100 ? [] : [{ field: 'carrier', message: '1–100 characters' }]),
    ...(/^[\x21-\x7e]{1,100}$/.test(tracking) ? [] : [{ field: 'tracking', message: '1–100 printable ASCII characters' }]),
  ];
  if (fields.length > 0) return fail('invalid', 'invalid-request', 'Carrier and tracking number are required', { fields });
  return changeUnit(ctx, unitId, actor, 'devices.unit.ship', async (trx, unit) => {
    if (!unit.subscriber_id) return fail('conflict', 'conflict', 'The unit is not assigned to a subscriber');
    if (!['reserved', 'returned', 'in_repair'].includes(unit.state) || !canMove(unit.state, 'shipped'))
      return fail('conflict', 'conflict', `A ${unit.state} unit cannot be shipped`);
    const now = ctx.clock.now();
    await trx
      .insertInto('terminal_shipments')
      .values({
        unit_id: unit.id,
        order_id: unit.order_id,
        subscriber_id: unit.subscriber_id,
        carrier,
        tracking,
        shipped_at: now,
        delivered_at: null,
        delivered_by: null,
        damage_reported: null,
      })
      .execute();
    return move(trx, unit, 'shipped', actor, now, `${carrier} ${tracking}`, {});
  });
}

export interface Delivery {
  by: DeliveredBy;
  /** When it was handed over; now when omitted. Not in the future, not before it was shipped. */
  at?: Date | undefined;
  /** Damage seen on delivery (covered: clause 4, shipping damage). */
  damageReported?: string | undefined;
}

/**
 * Records a shipped unit's delivery; the first delivery starts the warranty (clause 4, one year
 * from delivery). A unit delivered again after repair, or one replacing another, keeps the end it
 * has (4(3): no extension).
 */
export async function recordDelivery(ctx: ServiceContext, unitId: string, delivery: Delivery, actor: Actor): Promise<Result<TerminalUnit>> {
  const now = ctx.clock.now();
  const at = delivery.at ?? now;
  const damage = delivery.damageReported?.trim() || null;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime())
    return fail('invalid', 'invalid-request', 'The delivery cannot be in the future', {
      fields: [{ field: 'at', message: 'not after now' }],
    });
  if (damage && damage.length > 2000)
    return fail('invalid', 'invalid-request', 'At most 2000 characters', {
      fields: [{ field: 'damageReported', message: 'at most 2000 characters' }],
    });
  return changeUnit(ctx, unitId, actor, 'devices.unit.deliver', async (trx, unit) => {
    if (unit.state !== 'shipped') return fail('conflict', 'conflict', `The unit is ${unit.state}, not shipped`);
    if (actor.type === 'subscriber' && actor.id !== unit.subscriber_id) return fail('not_found', 'not-found', 'No such unit');
    const shipment = await openShipment(trx, unit.id);
    if (!shipment) throw new Error(`shipped unit ${unit.id} has no open shipment`);
    if (at.getTime() < shipment.shipped_at.getTime())
      return fail('invalid', 'invalid-request', 'The delivery cannot be before the shipment', {
        fields: [{ field: 'at', message: `not before ${shipment.shipped_at.toISOString()}` }],
      });
    await trx
      .updateTable('terminal_shipments')
      .set({ delivered_at: at, delivered_by: delivery.by, damage_reported: damage })
      .where('id', '=', shipment.id)
      .execute();
    const firstDelivery = unit.warranty_ends_on === null;
    const deliveredOn = localDateOf(at, ctx.settings.timeZone);
    return move(
      trx,
      unit,
      'delivered',
      actor,
      now,
      damage ? `delivered by ${delivery.by}; damage: ${damage}` : `delivered by ${delivery.by}`,
      {
        ...(firstDelivery
          ? { delivered_at: at, delivered_by: delivery.by, warranty_ends_on: warrantyEndFor(deliveredOn, ctx.settings.warrantyMonths) }
          : {}),
      },
    );
  });
}

export async function unitById(db: Executor, id: string): Promise<TerminalUnit | null> {
  if (!uuid.test(id)) return null;
  const row = await readUnit(db, id);
  return row ? toUnit(row) : null;
}

/** The unit with this MAC, in any spelling; null for none or for something that is not a MAC. */
export async function unitByMac(db: Executor, mac: string): Promise<TerminalUnit | null> {
  const normal = normaliseMac(mac);
  if (!normal) return null;
  const row = await db.selectFrom('terminal_units').select(unitColumns).where('mac', '=', normal).executeTakeFirst();
  return row ? toUnit(row) : null;
}

/** The units assigned to a subscriber, newest first (replaced and returned ones included). */
export async function unitsOfSubscriber(db: Executor, subscriberId: string): Promise<TerminalUnit[]> {
  if (!uuid.test(subscriberId)) return [];
  const rows = await db
    .selectFrom('terminal_units')
    .select(unitColumns)
    .where('subscriber_id', '=', subscriberId)
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toUnit);
}

export interface UnitFilter {
  state?: StockState | undefined;
  modelCode?: string | undefined;
  /** Part of a serial number or a MAC. */
  search?: string | undefined;
  limit?: number | undefined;
}

/** The inventory, for the technician's console. */
export async function listUnits(db: Executor, filter: UnitFilter = {}): Promise<TerminalUnit[]> {
  const search = filter.search?.trim();
  const macPart = search ? search.replace(/[^0-9a-f]/gi, '').toLowerCase() : '';
  const rows = await db
    .selectFrom('terminal_units')
    .select(unitColumns)
    .$if(filter.state !== undefined, (qb) => qb.where('state', '=', filter.state!))
    .$if(filter.modelCode !== undefined, (qb) => qb.where('model_code', '=', filter.modelCode!))
    .$if(!!search, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('serial_number', 'ilike', `%${search!.replace(/[\\%_]/g, '\\$&')}%`),
          ...(macPart.length >= 2 ? [eb('mac', 'like', `%${macPart}%`)] : []),
        ]),
      ),
    )
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000))
    .execute();
  return rows.map(toUnit);
}

export async function unitHistory(db: Executor, unitId: string): Promise<StateChange[]> {
  if (!uuid.test(unitId)) return [];
  const rows = await db.selectFrom('terminal_unit_history').selectAll().where('unit_id', '=', unitId).orderBy('id').execute();
  return rows.map((row) => ({
    at: row.at.toISOString(),
    fromState: row.from_state,
    toState: row.to_state,
    actorType: row.actor_type,
    actorId: row.actor_id,
    note: row.note,
  }));
}

/** Shipments, newest first: all, the ones not delivered yet, or one unit's. */
export async function listShipments(db: Executor, filter: { unitId?: string; open?: boolean; limit?: number } = {}): Promise<Shipment[]> {
  if (filter.unitId !== undefined && !uuid.test(filter.unitId)) return [];
  const rows = await db
    .selectFrom('terminal_shipments')
    .selectAll()
    .$if(filter.unitId !== undefined, (qb) => qb.where('unit_id', '=', filter.unitId!))
    .$if(filter.open === true, (qb) => qb.where('delivered_at', 'is', null))
    .orderBy('shipped_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000))
    .execute();
  return rows.map(toShipment);
}

// ---- internals shared with the warranty's operations ----

export type UnitRow = Selectable<TerminalUnitsTable>;
type UnitChanges = Partial<
  Pick<UnitRow, 'order_id' | 'subscriber_id' | 'delivered_at' | 'delivered_by' | 'warranty_ends_on' | 'replaces_unit_id' | 'tampered_on'>
>;

/** Loads the unit for update, runs `change`, audits it: one transaction. */
export async function changeUnit(
  ctx: ServiceContext,
  unitId: string,
  actor: Actor,
  action: string,
  change: (trx: Transaction<Database>, unit: UnitRow) => Promise<Result<UnitRow>>,
): Promise<Result<TerminalUnit>> {
  if (!uuid.test(unitId)) return fail('not_found', 'not-found', 'No such unit');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('terminal_units').select(unitColumns).where('id', '=', unitId).forUpdate().executeTakeFirst();
    if (!row) return fail<TerminalUnit>('not_found', 'not-found', 'No such unit');
    const changed = await change(trx, row);
    if (!changed.ok) return changed;
    await recordAudit(trx, {
      at: ctx.clock.now(),
      actor,
      action,
      target: { type: 'terminal-unit', id: row.id },
      before: toUnit(row),
      after: toUnit(changed.value),
    });
    return ok(toUnit(changed.value));
  });
}

/** Moves a unit to another stock state (if the move is allowed) and writes its history. */
export async function move(
  trx: Transaction<Database>,
  unit: UnitRow,
  to: StockState,
  actor: Actor,
  at: Date,
  note: string | null,
  changes: UnitChanges,
): Promise<Result<UnitRow>> {
  if (unit.state !== to && !canMove(unit.state, to)) return fail('conflict', 'conflict', `A ${unit.state} unit cannot become ${to}`);
  await trx
    .updateTable('terminal_units')
    .set({ ...changes, state: to, updated_at: at })
    .where('id', '=', unit.id)
    .execute();
  const row = (await readUnit(trx, unit.id))!;
  if (unit.state !== to) await appendHistory(trx, unit.id, unit.state, to, actor, at, note);
  return ok(row);
}

async function appendHistory(
  trx: Transaction<Database>,
  unitId: string,
  from: StockState | null,
  to: StockState,
  actor: Actor,
  at: Date,
  note: string | null,
): Promise<void> {
  await trx
    .insertInto('terminal_unit_history')
    .values({ unit_id: unitId, at, from_state: from, to_state: to, actor_type: actor.type, actor_id: actor.id, note })
    .execute();
}

async function openShipment(trx: Executor, unitId: string): Promise<Selectable<TerminalShipmentsTable> | undefined> {
  return trx
    .selectFrom('terminal_shipments')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('delivered_at', 'is', null)
    .orderBy('shipped_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function toUnit(row: UnitRow): TerminalUnit {
  return {
    id: row.id,
    modelCode: row.model_code,
    serialNumber: row.serial_number,
    mac: formatMac(row.mac),
    state: row.state,
    orderId: row.order_id,
    subscriberId: row.subscriber_id,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    deliveredBy: row.delivered_by,
    warrantyEndsOn: row.warranty_ends_on,
    replacesUnitId: row.replaces_unit_id,
    tamperedOn: row.tampered_on,
    receivedAt: row.received_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toShipment(row: Selectable<TerminalShipmentsTable>): Shipment {
  return {
    id: row.id,
    unitId: row.unit_id,
    orderId: row.order_id,
    subscriberId: row.subscriber_id,
    carrier: row.carrier,
    tracking: row.tracking,
    shippedAt: row.shipped_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    deliveredBy: row.delivered_by,
    damageReported: row.damage_reported,
  };
}
