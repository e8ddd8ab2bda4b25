import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevices } from '../../src/calls/index.js';
import { available, engines } from '../support/engines.js';
import type { ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { deliverTerminal, local, portalOf, subscriberWithTerminal, technicianConsole, type Console } from './support.js';

interface Issued {
  terminal: { unitId: string; mac: string; number: string; deviceId: string; sipUsername: string };
  secret: string;
  paths: { linphoneXml: string; json: string };
}

/**
 * Clause 4(3): a terminal replaced under warranty goes back to the operator, so it must not keep the
 * subscriber's SIP credentials. Erin's terminal is delivered on Jan 10, 2027 and provisioned for her
 * number; it fails in the summer, the technician replaces it with a unit from stock, and from that
 * moment the old unit can fetch no configuration and its SIP device is revoked. The replacement's
 * warranty still ends on Jan 10, 2028.
 */
describe.each(engines)('a terminal replaced under warranty on %s loses its provisioning (clause 4)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let tech: Console;
    let portal: Console;
    let erin: ActiveSubscriber;
    let oldUnitId: string;
    let spareId: string;
    let claimId: string;
    let issued: Issued;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2027-01-04T02:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      const technician = await addStaff(service, ['technician'], 'tech-lin');
      tech = technicianConsole(service, () => signInCookie(service, technician));
      erin = await subscriberWithTerminal(service, reviewer, '艾琳');
      portal = portalOf(service, erin);
    }, 120_000);
    afterAll(() => service?.close());

    const fetchConfig = (path: string) =>
      service.app.inject({
        method: 'GET',
        url: path,
        headers: { 'user-agent': 'Videophone-Terminal/1.2.0 (VP-T100)' },
        remoteAddress: '192.0.2.20',
      });
    const credentialsOf = (deviceId: string) =>
      service.ctx.db.selectFrom('sip_device_credentials').selectAll().where('device_id', '=', deviceId).executeTakeFirstOrThrow();

    it('her terminal, delivered on Jan 10, 2027, is provisioned for her number and fetches its SIP credentials', async () => {
      oldUnitId = await deliverTerminal(
        service,
        tech,
        erin,
        { serialNumber: 'T100-E1', mac: '00:1a:2b:00:00:e1' },
        { shippedAt: '2027-01-08 15:00', deliveredAt: '2027-01-10 11:00' },
      );
      service.clock.set(local('2027-01-10 15:00'));
      const provisioned = await tech('POST', '/api/console/provisioning/terminals', { unitId: oldUnitId });
      expect(provisioned.statusCode, provisioned.body).toBe(201);
      issued = provisioned.json<Issued>();
      expect(issued.terminal).toMatchObject({ unitId: oldUnitId, mac: '001a2b0000e1', number: erin.number });

      const config = await fetchConfig(issued.paths.json);
      expect(config.statusCode, config.body).toBe(200);
      expect(config.json()).toMatchObject({
        unit: { id: oldUnitId, serial: 'T100-E1' },
        account: {
          number: erin.number,
          authorizationUsername: issued.terminal.sipUsername,
          password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
        },
      });
      expect((await fetchConfig(issued.paths.linphoneXml)).statusCode).toBe(200);
      expect((await listDevices(service.ctx.db, [erin.number])).map((d) => d.deviceId)).toEqual([issued.terminal.deviceId]);
      expect((await credentialsOf(issued.terminal.deviceId)).revoked_at).toBeNull();
    });

    it('on Jul 15 she files a claim; the technician finds it covered and decides to replace it', async () => {
      service.clock.set(local('2027-07-15 09:30'));
      const filed = await portal('POST', `/api/portal/terminals/${oldUnitId}/claims`, { description: '无法开机，指示灯不亮' });
      expect(filed.statusCode, filed.body).toBe(201);
      expect(filed.json()).toMatchObject({ coverageWhenFiled: 'covered', warrantyEndsOn: '2028-01-10' });
      claimId = filed.json().id;

      service.clock.set(local('2027-07-16 10:00'));
      const assessed = await tech('POST', `/api/console/warranty/claims/${claimId}/assessment`, {
        exclusions: [],
        tamperFound: false,
        decision: 'replace',
      });
      expect(assessed.statusCode, assessed.body).toBe(200);
      expect(assessed.json()).toMatchObject({ status: 'in-service', covered: true, decision: 'replace', quoteFen: null });
      // Until the replacement, the terminal still works.
      expect((await fetchConfig(issued.paths.json)).statusCode).toBe(200);
    });

    it('on Jul 17 it is replaced with a unit from stock: the old unit at once fetches no configuration and its SIP device is revoked', async () => {
      service.clock.set(local('2027-07-17 11:00'));
      const spare = await tech('POST', '/api/console/devices/units', {
        modelCode: 'vp-t100',
        serialNumber: 'T100-E2',
        mac: '00:1a:2b:00:00:e2',
      });
      expect(spare.statusCode, spare.body).toBe(201);
      spareId = spare.json().id;
      const replaced = await tech('POST', `/api/console/warranty/claims/${claimId}/replacement`, { unitId: spareId });
      expect(replaced.statusCode, replaced.body).toBe(200);
      expect(replaced.json()).toMatchObject({ status: 'completed', decision: 'replace', replacementUnitId: spareId });
      // The console's sign-in moves the clock on; the replacement happened at this instant.
      const replacedAt = service.clock.now();

      // The old unit's secret opens nothing any more: the same 404 as for any unknown unit.
      service.clock.set(local('2027-07-17 11:05'));
      const json = await fetchConfig(issued.paths.json);
      expect(json.statusCode).toBe(404);
      expect(json.body).not.toContain(issued.terminal.sipUsername);
      expect((await fetchConfig(issued.paths.linphoneXml)).statusCode).toBe(404);

      // Its SIP device credentials are revoked, at the moment of the replacement.
      expect(await listDevices(service.ctx.db, [erin.number])).toEqual([]);
      expect((await credentialsOf(issued.terminal.deviceId)).revoked_at).toEqual(replacedAt);

      // The console shows the provisioning ended, and the technician's action audited with its reason.
      const live = await tech('GET', '/api/console/provisioning/terminals?live=true');
      expect(live.json().terminals.map((t: { unitId: string }) => t.unitId)).not.toContain(oldUnitId);
      const all = await tech('GET', '/api/console/provisioning/terminals');
      expect(all.json().terminals).toMatchObject([{ unitId: oldUnitId, unassignedAt: replacedAt.toISOString() }]);
      const audit = await service.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'provisioning.unassign')
        .where('target_id', '=', oldUnitId)
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).toContain('replaced under warranty');
    });

    it('the replacement keeps the original warranty end, Jan 10, 2028, and can be provisioned for her number with its own credentials', async () => {
      const shipped = await tech('POST', `/api/console/devices/units/${spareId}/shipment`, { carrier: '顺丰速运', tracking: 'SF-E2' });
      expect(shipped.statusCode, shipped.body).toBe(200);
      expect(shipped.json()).toMatchObject({ state: 'shipped', warrantyEndsOn: '2028-01-10', replacesUnitId: oldUnitId });
      service.clock.set(local('2027-07-19 14:00'));
      const delivered = await portal('POST', `/api/portal/terminals/${spareId}/delivery`, {});
      expect(delivered.statusCode, delivered.body).toBe(200);
      expect(delivered.json()).toMatchObject({ state: 'delivered', warrantyEndsOn: '2028-01-10' });
      const mine = (await portal('GET', '/api/portal/terminals')).json().terminals;
      expect(
        mine.map((t: { serialNumber: string; state: string; warrantyEndsOn: string }) => [t.serialNumber, t.state, t.warrantyEndsOn]),
      ).toEqual(
        expect.arrayContaining([
          ['T100-E1', 'returned', '2028-01-10'],
          ['T100-E2', 'delivered', '2028-01-10'],
        ]),
      );

      const provisioned = await tech('POST', '/api/console/provisioning/terminals', { unitId: spareId });
      expect(provisioned.statusCode, provisioned.body).toBe(201);
      const replacement = provisioned.json<Issued>();
      expect(replacement.terminal).toMatchObject({ unitId: spareId, number: erin.number });
      expect(replacement.terminal.sipUsername).not.toBe(issued.terminal.sipUsername);
      const config = await fetchConfig(replacement.paths.json);
      expect(config.statusCode, config.body).toBe(200);
      expect(config.json().account.authorizationUsername).toBe(replacement.terminal.sipUsername);
      expect((await listDevices(service.ctx.db, [erin.number])).map((d) => d.deviceId)).toEqual([replacement.terminal.deviceId]);
      // The returned unit stays shut out.
      expect((await fetchConfig(issued.paths.json)).statusCode).toBe(404);
    });
  });
});
