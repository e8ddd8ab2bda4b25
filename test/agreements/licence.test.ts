import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LICENCE_VERSIONS, type LicenceVersion } from '../../src/agreements/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/** A later version, in force from 1 April: the test hook for "a new version is published with a release". */
const version2: LicenceVersion = {
  version: 2,
  effectiveAt: new Date('2026-04-01T00:00:00+08:00'),
  summary: { 'zh-CN': '测试用第2版', en: 'Version 2, for the test' },
  texts: { 'zh-CN': '客户端软件许可协议（第2版，测试文本）', en: 'Client Software Licence (version 2, test text)' },
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Clause 3. Alice opens the softphone on her laptop: it shows the licence, and until she accepts it
 * the softphone gets no SIP credentials. She accepts version 1 (twice: one record), and her laptop
 * gets credentials; her tablet, which has not accepted, does not. Version 2 takes effect on 1 April:
 * the laptop is refused again until she accepts version 2, and version 1 can no longer be accepted.
 * Support sees the versions and her acceptances; a technician may not.
 */
describe.each(engines)('the client software licence (clause 3) on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;
    const laptop = randomUUID();
    const tablet = randomUUID();
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 licence-test';

    const portal = (method: 'GET' | 'POST', url: string, payload?: object) =>
      service.app.inject({ method, url, headers: { cookie: alice.cookie, 'user-agent': userAgent }, ...(payload ? { payload } : {}) });
    const credentialsFor = (licenceDeviceId?: string) =>
      portal('POST', '/api/portal/devices', { name: 'Chrome (Linux)', ...(licenceDeviceId ? { licenceDeviceId } : {}) });
    const accept = (version: number, deviceId: string, language?: 'zh-CN' | 'en') =>
      portal('POST', '/api/portal/licence/acceptances', { version, deviceId, ...(language ? { language } : {}) });

    beforeAll(async () => {
      service = await startTestService(engine, { licenceVersions: [...LICENCE_VERSIONS, version2] });
      alice = await activeIndividual(service, await signInCookie(service, await addStaff(service, ['verification_reviewer'])), '李爱丽');
    });
    afterAll(() => service?.close());

    it('shows version 1 in Chinese by default and in English on request, not yet accepted on the laptop', async () => {
      const zh = await portal('GET', `/api/portal/licence?deviceId=${laptop}`);
      expect(zh.statusCode).toBe(200);
      expect(zh.json()).toMatchObject({ version: 1, language: 'zh-CN', accepted: false });
      expect(zh.json().text).toContain('对本软件进行反向工程、反编译');
      expect(zh.json().textSha256).toBe(sha256(zh.json().text));
      const en = await portal('GET', `/api/portal/licence?lang=en&deviceId=${laptop}`);
      expect(en.json()).toMatchObject({ version: 1, language: 'en', accepted: false });
      expect(en.json().text).toContain('reverse engineer');
    });

    it('refuses SIP credentials before the licence is accepted, with a problem in Chinese and English', async () => {
      for (const deviceId of [laptop, undefined]) {
        const refused = await credentialsFor(deviceId);
        expect(refused.statusCode).toBe(403);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(refused.json()).toMatchObject({
          code: 'licence-not-accepted',
          currentVersion: 1,
          messages: { 'zh-CN': expect.stringContaining('许可协议'), en: expect.stringContaining('licence') },
        });
      }
      expect(await service.ctx.db.selectFrom('sip_device_credentials').select('username').execute()).toEqual([]);
    });

    it('refuses a version that is not in force with 409, and records nothing', async () => {
      for (const version of [2, 7]) {
        const refused = await accept(version, laptop);
        expect(refused.statusCode).toBe(409);
        expect(refused.json()).toMatchObject({
          code: 'licence-version-not-current',
          currentVersion: 1,
          messages: { 'zh-CN': expect.stringContaining('当前版本'), en: expect.stringContaining('current') },
        });
      }
      expect(await service.ctx.db.selectFrom('licence_acceptances').select('id').execute()).toEqual([]);
    });

    it('records an acceptance once per version and device: accepting again returns the first record', async () => {
      const first = await accept(1, laptop);
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({
        version: 1,
        deviceId: laptop,
        userAgent,
        language: 'zh-CN',
        textSha256: sha256(LICENCE_VERSIONS[0]!.texts['zh-CN']),
        acceptedAt: service.clock.now().toISOString(),
      });
      service.clock.advance({ minutes: 5 });
      const again = await accept(1, laptop, 'en');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await service.ctx.db.selectFrom('licence_acceptances').select('id').execute()).toHaveLength(1);
      expect((await portal('GET', `/api/portal/licence?deviceId=${laptop}`)).json().accepted).toBe(true);
      expect((await portal('GET', `/api/portal/licence?deviceId=${tablet}`)).json().accepted).toBe(false);
      const audit = await service.ctx.db
        .selectFrom('audit_log')
        .select(['actor_id', 'detail'])
        .where('action', '=', 'licence.accept')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor_id).toBe(alice.id);
    });

    it('opens the credential path on the device that accepted, and keeps it shut on one that did not', async () => {
      const laptopCredentials = await credentialsFor(laptop);
      expect(laptopCredentials.statusCode).toBe(201);
      expect(laptopCredentials.json()).toMatchObject({ number: alice.number, password: expect.any(String) });
      expect((await credentialsFor(tablet)).json()).toMatchObject({ status: 403, code: 'licence-not-accepted' });
      // Credentials the portal issues for a terminal name no softphone device: Alice's acceptance is enough.
      expect((await credentialsFor()).statusCode).toBe(201);
    });

    it('asks again once version 2 is in force: the laptop is refused until Alice accepts version 2', async () => {
      service.clock.set(new Date('2026-04-01T00:00:00+08:00'));
      alice = { ...alice, cookie: await portalCookie(service, alice.phone) };
      const shown = await portal('GET', `/api/portal/licence?deviceId=${laptop}`);
      expect(shown.json()).toMatchObject({ version: 2, accepted: false, text: version2.texts['zh-CN'] });
      expect((await credentialsFor(laptop)).json()).toMatchObject({ status: 403, code: 'licence-not-accepted', currentVersion: 2 });
      expect((await accept(1, laptop)).json()).toMatchObject({ status: 409, code: 'licence-version-not-current', currentVersion: 2 });

      expect((await accept(2, laptop, 'en')).statusCode).toBe(201);
      expect((await portal('GET', `/api/portal/licence?deviceId=${laptop}`)).json().accepted).toBe(true);
      expect((await credentialsFor(laptop)).statusCode).toBe(201);
    });

    it('lets support see the versions and Alice’s acceptances, and not a technician', async () => {
      const support = await signInCookie(service, await addStaff(service, ['support_agent']));
      const versions = await service.app.inject({ method: 'GET', url: '/api/console/licence-versions', headers: { cookie: support } });
      expect(versions.statusCode).toBe(200);
      expect(
        versions.json().versions.map((v: { version: number; current: boolean; accepted: object }) => [v.version, v.current, v.accepted]),
      ).toEqual([
        [2, true, { subscribers: 1, devices: 1 }],
        [1, false, { subscribers: 1, devices: 1 }],
      ]);
      expect(versions.json().versions[1].textSha256.en).toBe(sha256(LICENCE_VERSIONS[0]!.texts.en));

      const acceptances = await service.app.inject({
        method: 'GET',
        url: `/api/console/subscribers/${alice.id}/licence-acceptances`,
        headers: { cookie: support },
      });
      expect(
        acceptances
          .json()
          .acceptances.map((a: { version: number; deviceId: string; language: string; userAgent: string }) => [
            a.version,
            a.deviceId,
            a.language,
            a.userAgent,
          ]),
      ).toEqual([
        [2, laptop, 'en', userAgent],
        [1, laptop, 'zh-CN', userAgent],
      ]);
      expect(acceptances.json().acceptances[0].textSha256).toBe(sha256(version2.texts.en));

      const technician = await signInCookie(service, await addStaff(service, ['technician']));
      const refused = await service.app.inject({ method: 'GET', url: '/api/console/licence-versions', headers: { cookie: technician } });
      expect(refused.statusCode).toBe(403);
    });

    it('gives Alice her acceptances in her own-data export', async () => {
      const data = await portal('GET', '/api/portal/my-data');
      expect(data.json().licenceAcceptances.map((a: { version: number; deviceId: string }) => [a.version, a.deviceId])).toEqual([
        [2, laptop],
        [1, laptop],
      ]);
    });

    it('keeps acceptances as evidence: the table refuses changes', async () => {
      await expect(service.ctx.db.deleteFrom('licence_acceptances').execute()).rejects.toThrow(/append-only/);
    });
  });
});
