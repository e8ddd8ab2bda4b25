import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { activeSuspensions, liftSuspensions, suspend } from '../../src/entitlements/index.js';
import {
  allocateNumber,
  endNumberQuarantineJob,
  parseNumberRanges,
  releaseNumbers,
  subscriberIdForNumber,
} from '../../src/numbers/index.js';
import { completeTermination, requestTermination } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { startSipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import {
  acceptLicence,
  applyAsOrganisation,
  activeIndividual,
  portalCookie,
  signShownAgreement,
  uniqueMobile,
  demoOrder,
  demoPerson,
} from '../support/subscribers.js';
import { addStaff, signInCookie } from '../support/test-service.js';

const staffActor = { type: 'staff' as const, id: null, name: 'test' };

/**
 * A change to an account reaches the SIP layer's account store at once (it forgets the account) or, at
 * the latest, when its two-second cache lapses: ask the store until then, with a margin for a busy
 * machine, then REGISTER once. Polling with REGISTERs instead can succeed on the stale entry and leave
 * a binding behind.
 */
const withinCacheLifetime = { timeout: 4_000, interval: 100 };

/**
 * From application to a number that rings, and from suspension to termination: the subscriber's
 * life as the SIP server sees it (clauses 1, 9, 10, 11, 17).
 */
describe.each(engines)('a subscriber’s life on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: SipTestService;
    let reviewer: string;
    let peer: RawUdpPeer;

    beforeAll(async () => {
      service = await startSipTestService({ engine, env: { VP_NUMBER_RANGES: '7100000-7100099' } });
      reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      peer = await RawUdpPeer.open();
      await loadDemoCatalogue(service.ctx);
    });
    afterAll(async () => {
      peer?.close();
      await service?.close();
    });

    /** REGISTER over UDP with digest credentials; returns the final status line. */
    async function register(number: string, username: string, password: string, expires = 60): Promise<string> {
      const callId = randomToken();
      const request = (cseq: number, authorization?: string) =>
        [
          `REGISTER sip:${service.domain} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
          'Max-Forwards: 70',
          `From: <sip:${number}@${service.domain}>;tag=${randomToken()}`,
          `To: <sip:${number}@${service.domain}>`,
          `Call-ID: ${callId}`,
          `CSeq: ${cseq} REGISTER`,
          `Contact: <sip:${number}@127.0.0.1:${peer.port}>`,
          `Expires: ${expires}`,
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      peer.send(request(1), service.sipPort);
      const challenge = await peer.next(/^SIP\/2\.0 (401|403|404)/);
      if (!challenge.startsWith('SIP/2.0 401')) return statusLine(challenge);
      const authorization = digestAuthorization({
        challenge: header(challenge, 'WWW-Authenticate')!,
        username,
        password,
        method: 'REGISTER',
        uri: `sip:${service.domain}`,
      });
      peer.send(request(2, authorization), service.sipPort);
      return statusLine(await peer.next(/^SIP\/2\.0 [2-6]\d\d/));
    }

    async function newDevice(cookie: string, name: string) {
      // The softphone accepts the client licence (clause 3) on each device before it gets credentials.
      const licenceDeviceId = await acceptLicence(service, cookie);
      const response = await service.app.inject({
        method: 'POST',
        url: '/api/portal/devices',
        headers: { cookie },
        payload: { name, licenceDeviceId },
      });
      expect(response.statusCode).toBe(201);
      return response.json() as {
        deviceId: string;
        number: string;
        authorizationUsername: string;
        password: string;
        domain: string;
        wsUri: string;
      };
    }

    it('starts the service only when verified and signed, with a number from the operator’s range', async () => {
      const phone = uniqueMobile();
      const applied = await service.app.inject({
        method: 'POST',
        url: '/api/subscribers/applications',
        payload: { ...demoPerson, contactPhone: phone, ...demoOrder },
      });
      const id = applied.json().id;
      const cookie = await portalCookie(service, phone);
      // Not yet approved: signing is refused and nothing starts.
      expect((await signShownAgreement(service, cookie)).statusCode).toBe(409);
      await service.app.inject({
        method: 'POST',
        url: `/api/console/subscribers/${id}/verification`,
        headers: { cookie: reviewer },
        payload: { decision: 'approve' },
      });
      const me = async () => (await service.app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie } })).json();
      expect(await me()).toMatchObject({ status: 'approved', numbers: [] });
      const signed = await signShownAgreement(service, cookie);
      expect(signed.statusCode).toBe(201);
      expect(signed.json()).toMatchObject({ activated: true, number: expect.stringMatching(/^71000\d\d$/) });
      expect(await me()).toMatchObject({ status: 'active', numbers: [signed.json().number], displayName: demoPerson.fullName });
      // The videophone number is a login too.
      await portalCookie(service, signed.json().number);
    });

    it('refuses to sign a text other than the one shown', async () => {
      const subscriber = await activeIndividual(service, reviewer, '李雷');
      const response = await service.app.inject({
        method: 'POST',
        url: '/api/portal/agreement/signatures',
        headers: { cookie: subscriber.cookie },
        payload: { version: 1, language: 'zh-CN', textSha256: '0'.repeat(64) },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().detail).toMatch(/changed/);
    });

    it('gives each device its own SIP credentials, which register for the number and call with SIP.js', async () => {
      const alice = await activeIndividual(service, reviewer, '韩梅梅');
      const laptop = await newDevice(alice.cookie, 'laptop');
      const phone = await newDevice(alice.cookie, 'phone');
      expect(laptop.authorizationUsername).not.toBe(phone.authorizationUsername);
      expect(laptop.authorizationUsername.startsWith(`${alice.number}-`)).toBe(true);
      expect(await register(alice.number, laptop.authorizationUsername, laptop.password)).toBe('SIP/2.0 200 OK');
      // A device's credentials are for its own number only.
      expect(await register('7100099', laptop.authorizationUsername, laptop.password)).toMatch(/^SIP\/2\.0 (403|404)/);
      // Rotating a device's password retires the old one.
      expect(await register(alice.number, phone.authorizationUsername, phone.password)).toBe('SIP/2.0 200 OK');
      const rotated = await service.app.inject({
        method: 'POST',
        url: '/api/portal/devices',
        headers: { cookie: alice.cookie },
        payload: { name: 'phone', deviceId: phone.deviceId },
      });
      expect(rotated.json().authorizationUsername).toBe(phone.authorizationUsername);
      // The new password works at once, though the SIP account cache still holds the old hashes (a
      // reloaded softphone registers right after its rotation) ...
      expect(await register(alice.number, phone.authorizationUsername, rotated.json().password)).toBe('SIP/2.0 200 OK');
      // ... and the old one is refused once the cache's lifetime has passed.
      const { ha1_sha256: rotatedHash } = await service.ctx.db
        .selectFrom('sip_device_credentials')
        .select('ha1_sha256')
        .where('username', '=', phone.authorizationUsername)
        .executeTakeFirstOrThrow();
      await expect
        .poll(
          async () => (await service.sip!.accounts.findCredentials(phone.authorizationUsername))?.credentials.ha1['SHA-256'],
          withinCacheLifetime,
        )
        .toBe(rotatedHash);
      expect(await register(alice.number, phone.authorizationUsername, phone.password)).toBe('SIP/2.0 401 Unauthorized');

      const party = await startSipJsParty(service.wsUrl, service.domain, alice.number, {
        credentials: { username: laptop.authorizationUsername, password: laptop.password },
      });
      await party.stop();
    });

    it('refuses calls while suspended, with the reason, and lets them through once lifted', async () => {
      const bob = await activeIndividual(service, reviewer, '张三');
      const device = await newDevice(bob.cookie, 'browser');
      await suspend(service.ctx, { subscriberId: bob.id, cause: 'judicial', reason: 'judicial order (2026)京01执123号' }, staffActor);
      await expect.poll(() => service.sip!.accounts.find(bob.number), withinCacheLifetime).toMatchObject({ status: 'suspended' });
      expect(await register(bob.number, device.authorizationUsername, device.password)).toBe(
        'SIP/2.0 403 Account suspended: judicial order (2026)京01执123号',
      );
      const me = (await service.app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie: bob.cookie } })).json();
      expect(me).toMatchObject({ status: 'suspended', suspensions: [{ cause: 'judicial', blocks: 'all' }] });

      // An outgoing-only block (clause 9) lets the account register; a full block on top still wins.
      await suspend(service.ctx, { subscriberId: bob.id, cause: 'credit-limit', reason: 'credit limit reached' }, staffActor);
      expect(await liftSuspensions(service.ctx, { subscriberId: bob.id, cause: 'judicial' }, staffActor)).toBe(1);
      await expect
        .poll(() => service.sip!.accounts.find(bob.number), withinCacheLifetime)
        .toMatchObject({ status: 'active', outgoingBlockedReason: 'credit limit reached' });
      expect(await register(bob.number, device.authorizationUsername, device.password)).toBe('SIP/2.0 200 OK');
      const account = await service.ctx.db
        .selectFrom('sip_accounts')
        .selectAll()
        .where('number', '=', bob.number)
        .executeTakeFirstOrThrow();
      expect(account).toMatchObject({ status: 'active', outgoing_blocked_reason: 'credit limit reached' });
      await liftSuspensions(service.ctx, { subscriberId: bob.id, cause: 'credit-limit' }, staffActor);
      const lifted = await service.ctx.db.selectFrom('subscribers').select('status').where('id', '=', bob.id).executeTakeFirstOrThrow();
      expect(lifted.status).toBe('active');
    });

    it('ends the agreement only once settled, then revokes devices and quarantines the number', async () => {
      const carol = await activeIndividual(service, reviewer, '赵六');
      const device = await newDevice(carol.cookie, 'browser');
      expect(await register(carol.number, device.authorizationUsername, device.password)).toBe('SIP/2.0 200 OK');
      expect(service.sip!.location.lookup(carol.number, service.clock.now().getTime())).toHaveLength(1);

      const owing = { outstandingFen: async () => 12_34 };
      const waiting = await requestTermination(service.ctx, carol.id, { balance: owing, location: service.sip!.location }, staffActor);
      expect(waiting).toEqual({ ok: true, value: { status: 'awaiting-settlement', outstandingFen: 12_34 } });
      // While the final bill waits to be paid, Carol can be called but places no new calls.
      expect(
        (await service.ctx.db.selectFrom('subscribers').select('status').where('id', '=', carol.id).executeTakeFirstOrThrow()).status,
      ).toBe('suspended');
      expect((await activeSuspensions(service.ctx.db, carol.id)).map((s) => [s.cause, s.blocks])).toEqual([['termination', 'outgoing']]);

      const ended = await service.app.inject({ method: 'POST', url: '/api/portal/termination', headers: { cookie: carol.cookie } });
      expect(ended.json()).toMatchObject({ status: 'terminated' });
      expect(service.sip!.location.lookup(carol.number, service.clock.now().getTime())).toHaveLength(0);
      await expect.poll(() => service.sip!.accounts.findCredentials(device.authorizationUsername), withinCacheLifetime).toBeNull();
      expect(await register(carol.number, device.authorizationUsername, device.password)).toBe('SIP/2.0 401 Unauthorized');
      const number = await service.ctx.db.selectFrom('numbers').selectAll().where('number', '=', carol.number).executeTakeFirstOrThrow();
      expect(number.status).toBe('quarantined');
      expect(number.quarantined_until!.getTime() - number.released_at!.getTime()).toBe(90 * 86_400_000);
      // Idempotent: completing again changes nothing.
      await completeTermination(service.ctx, carol.id, 'again', { location: null }, staffActor);
      expect(
        (await service.ctx.db.selectFrom('subscribers').select('termination_reason').where('id', '=', carol.id).executeTakeFirstOrThrow())
          .termination_reason,
      ).toBe('requested by the subscriber');
    });

    it('reuses a released number only after its quarantine, and reports an exhausted range', async () => {
      const ranges = parseNumberRanges('7200000-7200001');
      const [a, b, c] = [
        await applyAsOrganisation(service, '号码甲有限公司'),
        await applyAsOrganisation(service, '号码乙有限公司'),
        await applyAsOrganisation(service, '号码丙有限公司'),
      ];
      const t0 = new Date('2026-01-10T00:00:00Z');
      const allocate = (subscriberId: string, now: Date) =>
        allocateNumber(service.ctx.db, { subscriberId, ranges, now, isTaken: async () => false });
      expect(await allocate(a, t0)).toBe('7200000');
      expect(await allocate(b, t0)).toBe('7200001');
      expect(await allocate(c, t0)).toBeNull();
      expect(await releaseNumbers(service.ctx.db, a, t0, 90)).toEqual(['7200000']);
      const job = endNumberQuarantineJob(service.ctx.db);
      await job.advanceTo(new Date('2026-04-09T23:59:59Z'));
      expect(await allocate(c, new Date('2026-04-09T23:59:59Z'))).toBeNull();
      await job.advanceTo(new Date('2026-04-10T00:00:00Z'));
      await job.advanceTo(new Date('2026-04-10T00:00:00Z'));
      expect(await allocate(c, new Date('2026-04-10T00:00:00Z'))).toBe('7200000');
      expect(await subscriberIdForNumber(service.ctx.db, '7200000')).toBe(c);
    });
  });
});
