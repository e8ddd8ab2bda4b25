import type { Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, type Result } from '../platform/result.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { insertClaim } from './claims.js';
import type { DeliveredBy } from './tables.js';
import { changeUnit, move, openShipment, type TerminalUnit } from './units.js';
import { warrantyEndFor } from './warranty-rules.js';

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
      fields: [{ field: 'at', message: 'not after now', code: 'in-the-past' }],
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
    const moved = await move(
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
    if (!moved.ok || !damage) return moved;
    // Damage in shipping is covered (clause 4): reported on delivery, it is a claim at once.
    const endsOn = moved.value.warranty_ends_on;
    await insertClaim(ctx, trx, moved.value, { cause: 'shipping-damage', description: damage, coverage: 'covered', endsOn }, actor);
    return moved;
  });
}
