import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit/index.js';
import {
  listShipments,
  receiveUnit,
  recordDelivery,
  reserveUnit,
  shipUnit,
  unitByMac,
  unitHistory,
  unitsOfSubscriber,
  type TerminalUnit,
} from '../../src/devices/index.js';
import { currentOrder } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import type { ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { local, subscriberWithTerminal } from './support.js';

const technician: Actor = { type: 'staff', id: '00000000-0000-4000-8000-000000000001', name: 'tech-zhou' };

describe.each(engines)('terminal inventory on %s (clause 4)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2027-01-05T02:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await subscriberWithTerminal(service, reviewer, '艾丽斯');
    }, 120_000);
    afterAll(() => service?.close());

    let unit: TerminalUnit;

    it('a unit is received into stock by model, serial number and MAC in any spelling', async () => {
      const received = await receiveUnit(
        service.ctx,
        { modelCode: 'vp-t100', serialNumber: 'T100-0001', mac: '00-1A-2B-3C-4D-5E' },
        technician,
      );
      expect(received.ok && received.value).toMatchObject({ state: 'in_stock', mac: '00:1a:2b:3c:4d:5e', warrantyEndsOn: null });
      unit = (received as { value: TerminalUnit }).value;
      expect((await unitByMac(service.ctx.db, '001a.2b3c.4d5e'))?.id).toBe(unit.id);
    });

    it('a second unit with the same MAC, an unknown model or a multicast MAC is refused', async () => {
      const again = await receiveUnit(service.ctx, { modelCode: 'vp-t100', serialNumber: 'T100-0002', mac: '001a2b3c4d5e' }, technician);
      expect(again.ok || again.failure).toMatchObject({ kind: 'conflict', fields: [{ field: 'mac' }] });
      const unknown = await receiveUnit(service.ctx, { modelCode: 'vp-none', serialNumber: 'X', mac: '02:00:00:00:00:01' }, technician);
      expect(unknown.ok || unknown.failure.fields?.map((f) => f.field)).toEqual(['modelCode']);
      const multicast = await receiveUnit(
        service.ctx,
        { modelCode: 'vp-t100', serialNumber: 'T100-0003', mac: '01:00:5e:00:00:01' },
        technician,
      );
      expect(multicast.ok || multicast.failure.fields?.map((f) => f.field)).toEqual(['mac']);
    });

    it('it is reserved for the order that bought a VP-T100, not for an order of another model', async () => {
      const order = (await currentOrder(service.ctx, alice.id))!;
      expect(order.terminalCode).toBe('vp-t100');
      const other = await receiveUnit(
        service.ctx,
        { modelCode: 'vp-t300', serialNumber: 'T300-0001', mac: '00:1a:2b:3c:4d:60' },
        technician,
      );
      const wrong = await reserveUnit(service.ctx, (other as { value: TerminalUnit }).value.id, order, technician);
      expect(wrong.ok).toBe(false);
      const reserved = await reserveUnit(service.ctx, unit.id, order, technician);
      expect(reserved.ok && reserved.value).toMatchObject({ state: 'reserved', orderId: order.id, subscriberId: alice.id });
    });

    it('it is shipped with carrier and tracking, and delivered on Jan 10: the warranty runs through Jan 10, 2028', async () => {
      service.clock.set(local('2027-01-08 15:00'));
      const shipped = await shipUnit(service.ctx, unit.id, { carrier: '顺丰速运', tracking: 'SF1234567890' }, technician);
      expect(shipped.ok && shipped.value.state).toBe('shipped');
      service.clock.set(local('2027-01-10 18:00'));
      const delivered = await recordDelivery(service.ctx, unit.id, { by: 'carrier', at: local('2027-01-10 11:30') }, technician);
      expect(delivered.ok && delivered.value).toMatchObject({ state: 'delivered', deliveredBy: 'carrier', warrantyEndsOn: '2028-01-10' });
      expect(await listShipments(service.ctx.db, { unitId: unit.id })).toMatchObject([
        { carrier: '顺丰速运', tracking: 'SF1234567890', deliveredBy: 'carrier', deliveredAt: local('2027-01-10 11:30').toISOString() },
      ]);
    });

    it('a delivery cannot be recorded twice, and the subscriber sees the unit as theirs', async () => {
      const twice = await recordDelivery(service.ctx, unit.id, { by: 'staff' }, technician);
      expect(twice.ok).toBe(false);
      expect((await unitsOfSubscriber(service.ctx.db, alice.id)).map((u) => u.serialNumber)).toEqual(['T100-0001']);
    });

    it('the state history is kept in order and cannot be rewritten', async () => {
      const history = await unitHistory(service.ctx.db, unit.id);
      expect(history.map((h) => h.toState)).toEqual(['in_stock', 'reserved', 'shipped', 'delivered']);
      await expect(service.ctx.db.deleteFrom('terminal_unit_history').where('unit_id', '=', unit.id).execute()).rejects.toThrow(
        /append-only/,
      );
    });
  });
});
