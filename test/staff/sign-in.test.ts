import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/index.js';
import { totpCodeAt } from '../../src/staff/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, sessionToken, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

describe.each(engines)('staff sign-in on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: TestStaff;

    beforeAll(async () => {
      service = await startTestService(engine);
      alice = await addStaff(service, ['billing_clerk'], 'alice');
    });
    afterAll(() => service?.close());

    const login = (body: Record<string, unknown>) => service.app.inject({ method: 'POST', url: '/api/auth/staff/login', payload: body });
    const currentCode = (staff: TestStaff) => totpCodeAt(staff.totpSecret, service.clock.now());

    it('Alice gives her password, is asked for her code, gives it, and gets a session that shows her roles and permissions', async () => {
      const first = await login({ username: 'alice', password: alice.password });
      expect(first.statusCode).toBe(401);
      expect(first.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(first.json()).toMatchObject({ code: 'totp-required', status: 401 });

      service.clock.advance({ seconds: 30 });
      const second = await login({ username: 'Alice', password: alice.password, totpCode: currentCode(alice) });
      expect(second.statusCode).toBe(200);
      expect(second.json().staff).toMatchObject({ username: 'alice', roles: ['billing_clerk'] });
      expect(second.json().staff.permissions).toContain('payments.record');
      const cookie = second.cookies.find((c) => c.name === 'vp_staff_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });

      const session = await service.app.inject({
        method: 'GET',
        url: '/api/auth/staff/session',
        cookies: { vp_staff_session: sessionToken(second) },
      });
      expect(session.statusCode).toBe(200);
      expect(session.json().staff.id).toBe(alice.id);
    });

    it('a one-time code that was already used is refused, even with the right password', async () => {
      service.clock.advance({ seconds: 30 });
      const code = currentCode(alice);
      expect((await login({ username: 'alice', password: alice.password, totpCode: code })).statusCode).toBe(200);
      const replay = await login({ username: 'alice', password: alice.password, totpCode: code });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe('invalid-totp');
    });

    it('a wrong password and an unknown user get the same answer, and both are audited as failures', async () => {
      const wrong = await login({ username: 'alice', password: 'not her password at all', totpCode: '000000' });
      const unknown = await login({ username: 'mallory', password: 'whatever it is here', totpCode: '000000' });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().code).toBe('invalid-credentials');
      expect(unknown.json().code).toBe('invalid-credentials');

      const failures = (await listAudit(service.ctx.db, { limit: 20, action: 'staff.sign-in' })).filter((r) => r.outcome === 'failure');
      expect(failures.map((f) => f.detail)).toEqual(expect.arrayContaining([{ reason: 'wrong-password' }, { reason: 'unknown-user' }]));
      expect(failures.find((f) => (f.detail as { reason: string }).reason === 'unknown-user')).toMatchObject({
        actorType: 'anonymous',
        actorName: 'mallory',
      });
      // The audit trail records the attempt but never the password that was tried.
      expect(JSON.stringify(failures)).not.toContain('not her password');
    });

    it('five failures in a row lock Bob out for fifteen minutes, even with the right password; afterwards he can sign in again', async () => {
      const bob = await addStaff(service, ['support_agent'], 'bob');
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        expect((await login({ username: 'bob', password: 'wrong password ' + attempt })).json().code).toBe('invalid-credentials');
      }
      service.clock.advance({ seconds: 30 });
      const fifth = await login({ username: 'bob', password: bob.password, totpCode: '123456' === currentCode(bob) ? '654321' : '123456' });
      expect(fifth.json().code).toBe('invalid-totp');

      service.clock.advance({ seconds: 30 });
      const locked = await login({ username: 'bob', password: bob.password, totpCode: currentCode(bob) });
      expect(locked.statusCode).toBe(423);
      expect(locked.json()).toMatchObject({ code: 'account-locked' });
      expect(new Date(locked.json().lockedUntil).getTime()).toBeGreaterThan(service.clock.now().getTime());

      service.clock.advance({ minutes: 15 });
      const after = await login({ username: 'bob', password: bob.password, totpCode: currentCode(bob) });
      expect(after.statusCode).toBe(200);
    });

    it('an administrator can unlock a locked account before the lock runs out', async () => {
      const carol = await addStaff(service, ['technician'], 'carol');
      for (let attempt = 0; attempt < 5; attempt += 1) await login({ username: 'carol', password: 'wrong password xx' });
      service.clock.advance({ seconds: 30 });
      expect((await login({ username: 'carol', password: carol.password, totpCode: currentCode(carol) })).statusCode).toBe(423);

      const admin = await addStaff(service, ['administrator']);
      const cookie = await signInCookie(service, admin);
      const unlocked = await service.app.inject({
        method: 'POST',
        url: `/api/console/staff/${carol.id}/unlock`,
        headers: { cookie },
        payload: {},
      });
      expect(unlocked.statusCode).toBe(200);
      expect(unlocked.json().staff.lockedUntil).toBeNull();
      service.clock.advance({ seconds: 30 });
      expect((await login({ username: 'carol', password: carol.password, totpCode: currentCode(carol) })).statusCode).toBe(200);
    });

    it('a session ends after an hour of inactivity, and signing out ends it at once', async () => {
      const dave = await addStaff(service, ['auditor'], 'dave');
      const cookie = await signInCookie(service, dave);
      const session = () => service.app.inject({ method: 'GET', url: '/api/console/audit', headers: { cookie } });
      expect((await session()).statusCode).toBe(200);
      service.clock.advance({ minutes: 59 });
      expect((await session()).statusCode).toBe(200);
      service.clock.advance({ minutes: 61 });
      expect((await session()).statusCode).toBe(401);

      const again = await signInCookie(service, dave);
      const out = await service.app.inject({ method: 'POST', url: '/api/auth/staff/logout', headers: { cookie: again } });
      expect(out.statusCode).toBe(204);
      expect((await service.app.inject({ method: 'GET', url: '/api/console/audit', headers: { cookie: again } })).statusCode).toBe(401);
    });

    it('disabling an account signs it out everywhere and refuses new sign-ins', async () => {
      const erin = await addStaff(service, ['support_agent'], 'erin');
      const erinCookie = await signInCookie(service, erin);
      const admin = await addStaff(service, ['administrator']);
      const adminCookie = await signInCookie(service, admin);
      const disabled = await service.app.inject({
        method: 'POST',
        url: `/api/console/staff/${erin.id}/disable`,
        headers: { cookie: adminCookie },
        payload: {},
      });
      expect(disabled.json().staff.status).toBe('disabled');
      expect(
        (await service.app.inject({ method: 'GET', url: '/api/auth/staff/session', headers: { cookie: erinCookie } })).statusCode,
      ).toBe(401);
      service.clock.advance({ seconds: 30 });
      const refused = await login({ username: 'erin', password: erin.password, totpCode: currentCode(erin) });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('account-disabled');
    });

    it('the TOTP secret is sealed in the database, never stored in clear', async () => {
      const row = await service.ctx.db
        .selectFrom('staff_accounts')
        .select('totp_secret_sealed')
        .where('id', '=', alice.id)
        .executeTakeFirstOrThrow();
      expect(row.totp_secret_sealed).not.toContain(alice.totpSecret);
      expect(row.totp_secret_sealed).toMatch(/^v1\.test\./);
    });
  });
});
