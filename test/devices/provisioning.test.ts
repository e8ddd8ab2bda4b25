import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevices, provisionSipAccounts } from '../../src/calls/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { stockUnit } from './provisioning-support.js';

interface Issued {
  terminal: { unitId: string; mac: string; number: string; deviceId: string; sipUsername: string };
  secret: string;
  paths: { linphoneXml: string; json: string };
}

/**
 * A technician provisions a unit for Alice's number; the unit fetches its configuration with its
 * secret. A wrong secret or an unknown MAC learns nothing; a unit that asks too often is slowed
 * down; every fetch is audited; a swap takes the SIP credentials away from the old unit.
 */
describe.each(engines)('provisioning of SIP terminals on %s (clause 4)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let technician: string;
    let clerk: string;
    let unit: Issued;
    let u1: string;
    let u2: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-05-04T08:00:30Z' });
      await provisionSipAccounts(service.ctx.db, service.config.sip.domain, [{ number: '6100', password: 'pw6100' }], service.clock.now());
      technician = await signInCookie(service, await addStaff(service, ['technician']));
      clerk = await signInCookie(service, await addStaff(service, ['billing_clerk']));
      u1 = await stockUnit(service.ctx, 'VP100-0001', '00:1A:2B:3C:4D:5E');
      u2 = await stockUnit(service.ctx, 'VP100-0002', '00-1A-2B-3C-4D-5F');
    });
    afterAll(() => service?.close());

    const staff = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      service.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    /** To the start of the next minute: a fresh rate-limit window (sessions stay valid). */
    const nextMinute = () => service.clock.set(new Date(Math.floor(service.clock.now().getTime() / 60_000) * 60_000 + 60_000));
    const fetchAs = (url: string, userAgent = 'Videophone-Terminal/1.2.0 (VP-100)', remoteAddress = '192.0.2.10') =>
      service.app.inject({ method: 'GET', url, headers: { 'user-agent': userAgent }, remoteAddress });

    it('only staff with devices.manage provision units', async () => {
      const response = await staff(clerk, 'POST', '/api/console/provisioning/terminals', { unitId: u1, number: '6100' });
      expect(response.statusCode).toBe(403);
    });

    it('the technician provisions unit VP100-0001 from the inventory for 6100: it gets a device of the number and a secret shown once, kept only as a hash', async () => {
      const response = await staff(technician, 'POST', '/api/console/provisioning/terminals', { unitId: u1, number: '6100' });
      expect(response.statusCode).toBe(201);
      unit = response.json<Issued>();
      expect(unit.terminal).toMatchObject({
        unitId: u1,
        mac: '001a2b3c4d5e',
        number: '6100',
        sipUsername: expect.stringMatching(/^6100-/),
      });
      expect(unit.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(unit.paths.json).toBe(`/provisioning/001a2b3c4d5e/${unit.secret}/config.json`);
      expect(await listDevices(service.ctx.db, ['6100'])).toEqual([
        expect.objectContaining({ deviceId: unit.terminal.deviceId, name: 'Terminal VP100-0001' }),
      ]);
      const row = await service.ctx.db.selectFrom('terminal_provisioning').selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(unit.secret);
      const audit = await service.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'provisioning.assign').execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(unit.secret);
    });

    it('a unit already provisioned is refused a second time; a unit not in the inventory is not found', async () => {
      expect((await staff(technician, 'POST', '/api/console/provisioning/terminals', { unitId: u1, number: '6100' })).statusCode).toBe(409);
      const unknown = await staff(technician, 'POST', '/api/console/provisioning/terminals', {
        unitId: '00000000-0000-4000-8000-000000000000',
        number: '6100',
      });
      expect(unknown.statusCode).toBe(404);
    });

    it('with its secret the unit gets its SIP account, servers, codecs and firmware channel as JSON, never cached', async () => {
      const response = await fetchAs(unit.paths.json);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const config = response.json<Record<string, unknown>>();
      expect(config).toMatchObject({
        format: 'videophone-terminal-config',
        formatVersion: 1,
        unit: { id: u1, serial: 'VP100-0001', mac: '001a2b3c4d5e' },
        account: {
          number: '6100',
          identity: `sip:6100@${service.config.sip.domain}`,
          authorizationUsername: unit.terminal.sipUsername,
          password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
        },
        codecs: { audio: ['opus', 'PCMU', 'PCMA'], video: ['VP8', 'H264'] },
        firmware: { channel: 'terminal', version: null },
      });
      expect((config.servers as { transport: string }[]).map((s) => s.transport)).toEqual(['tcp', 'udp']);
    });

    it('the Linphone format is lpconfig XML with the identity, the device username and the password', async () => {
      const response = await fetchAs(unit.paths.linphoneXml, 'Unknown');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/xml/);
      expect(response.body).toContain('<config xmlns="http://www.linphone.org/xsds/lpconfig.xsd"');
      expect(response.body).toContain('<section name="proxy_0">');
      expect(response.body).toContain(`<entry name="userid" overwrite="true">${unit.terminal.sipUsername}</entry>`);
      expect(response.body).toMatch(/<entry name="reg_proxy" overwrite="true">&lt;sip:[^&]+;transport=tcp&gt;<\/entry>/);
    });

    it('a wrong secret and an unknown MAC get the same 404, which says nothing about the MAC', async () => {
      const wrongSecret = await fetchAs(`/provisioning/001a2b3c4d5e/${'A'.repeat(43)}/config.json`);
      const unknownMac = await fetchAs(`/provisioning/00aabbccddee/${unit.secret}/config.json`);
      const macOnly = await fetchAs(`/provisioning/001a2b3c4d5e//config.json`);
      expect(wrongSecret.statusCode).toBe(404);
      expect(unknownMac.statusCode).toBe(404);
      expect(macOnly.statusCode).toBe(404);
      const body = (response: typeof wrongSecret) => {
        const { instance: _instance, ...rest } = response.json<Record<string, unknown>>();
        return rest;
      };
      expect(body(wrongSecret)).toEqual(body(unknownMac));
      expect(wrongSecret.body).not.toMatch(/mac|secret/i);
    });

    it("every fetch is audited with its address, User-Agent and outcome; the unit's version is what its User-Agent says", async () => {
      const response = await staff(technician, 'GET', '/api/console/provisioning/fetches?mac=00:1a:2b:3c:4d:5e');
      const fetches = response.json<{ fetches: { outcome: string; userAgent: string; sourceIp: string; unitId: string | null }[] }>()
        .fetches;
      expect(fetches.map((f) => f.outcome).sort()).toEqual(['denied', 'denied', 'served', 'served']);
      expect(fetches).toContainEqual(
        expect.objectContaining({
          outcome: 'served',
          unitId: u1,
          sourceIp: '192.0.2.10',
          userAgent: 'Videophone-Terminal/1.2.0 (VP-100)',
        }),
      );
      const versions = await staff(technician, 'GET', '/api/console/device-versions');
      expect(versions.json<{ devices: unknown[] }>().devices).toContainEqual(
        expect.objectContaining({
          deviceKey: unit.terminal.deviceId,
          unitId: u1,
          kind: 'terminal',
          version: '1.2.0',
          source: 'provisioning',
        }),
      );
    });

    it('a unit that fetches more than 6 times a minute gets 429 with Retry-After, audited; the next minute it is served again', async () => {
      nextMinute();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetchAs(unit.paths.json, 'Videophone-Terminal/1.2.0', '192.0.2.11')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      const limited = await fetchAs(unit.paths.json, 'Videophone-Terminal/1.2.0', '192.0.2.11');
      expect(limited.headers['retry-after']).toBe('60');
      const audit = await service.ctx.db
        .selectFrom('provisioning_fetches')
        .select('outcome')
        .where('outcome', '=', 'rate-limited')
        .execute();
      expect(audit).toHaveLength(3);
      service.clock.advance({ seconds: 60 });
      expect((await fetchAs(unit.paths.json)).statusCode).toBe(200);
    });

    it('a source that guesses many MACs is limited too (60 a minute)', async () => {
      nextMinute();
      const statuses: number[] = [];
      for (let i = 0; i < 62; i++)
        statuses.push(
          (await fetchAs(`/provisioning/02000000${String(i).padStart(4, '0')}/x/config.json`, 'curl', '198.51.100.7')).statusCode,
        );
      expect(statuses.slice(0, 60).every((status) => status === 404)).toBe(true);
      expect(statuses.slice(60)).toEqual([429, 429]);
    });

    it("a swap revokes the old unit's SIP credentials and secret; the new unit gets new ones for the same number", async () => {
      nextMinute();
      const response = await staff(technician, 'POST', `/api/console/provisioning/terminals/${u1}/replace`, { newUnitId: u2 });
      expect(response.statusCode).toBe(200);
      const replacement = response.json<Issued>();
      expect(replacement.terminal).toMatchObject({ unitId: u2, mac: '001a2b3c4d5f', number: '6100' });
      expect(replacement.terminal.sipUsername).not.toBe(unit.terminal.sipUsername);
      expect((await listDevices(service.ctx.db, ['6100'])).map((d) => d.deviceId)).toEqual([replacement.terminal.deviceId]);
      expect((await fetchAs(unit.paths.json)).statusCode).toBe(404);
      const config = (await fetchAs(replacement.paths.json)).json<{ account: { authorizationUsername: string } }>();
      expect(config.account.authorizationUsername).toBe(replacement.terminal.sipUsername);
    });

    it('a rotated secret replaces the old one at once', async () => {
      nextMinute();
      const before = (await staff(technician, 'POST', `/api/console/provisioning/terminals/${u2}/secret`)).json<Issued>();
      const after = (await staff(technician, 'POST', `/api/console/provisioning/terminals/${u2}/secret`)).json<Issued>();
      expect((await fetchAs(before.paths.json)).statusCode).toBe(404);
      expect((await fetchAs(after.paths.json)).statusCode).toBe(200);
    });

    it('unassigning a unit revokes its device', async () => {
      const response = await staff(technician, 'POST', `/api/console/provisioning/terminals/${u2}/unassign`, { reason: 'returned' });
      expect(response.statusCode).toBe(200);
      expect(await listDevices(service.ctx.db, ['6100'])).toEqual([]);
    });
  });
});
