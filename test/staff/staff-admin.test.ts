import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/index.js';
import { totpCodeAt } from '../../src/staff/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/** The code an authenticator app would show, computed independently of the server's own TOTP helper. */
function authenticatorCode(secretBase32: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
}

describe.each(engines)('staff administration on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let root: TestStaff;
    let rootCookie: string;

    beforeAll(async () => {
      service = await startTestService(engine);
      root = await addStaff(service, ['administrator'], 'root');
      rootCookie = await signInCookie(service, root);
    });
    afterAll(() => service?.close());

    const login = (body: Record<string, unknown>) => service.app.inject({ method: 'POST', url: '/api/auth/staff/login', payload: body });
    const sessionOf = (cookie: string) => service.app.inject({ method: 'GET', url: '/api/auth/staff/session', headers: { cookie } });
    const asAdmin = (method: 'POST' | 'PUT', url: string, payload: unknown = {}, cookie = rootCookie) =>
      service.app.inject({ method, url, headers: { cookie }, payload: payload as Record<string, unknown> });
    const issueLink = async (staffId: string) => {
      const issued = await asAdmin('POST', `/api/console/staff/${staffId}/password-reset`);
      expect(issued.statusCode).toBe(201);
      return issued.json<{ token: string; expiresAt: string }>();
    };
    const preview = (token: string) =>
      service.app.inject({ method: 'POST', url: '/api/auth/staff/password-reset/preview', payload: { token } });
    const complete = (token: string, password: string) =>
      service.app.inject({ method: 'POST', url: '/api/auth/staff/password-reset', payload: { token, password } });
    const staffRow = async (username: string) => {
      const list = await service.app.inject({ method: 'GET', url: '/api/console/staff', headers: { cookie: rootCookie } });
      return (list.json().items as { username: string; totpEnrolled: boolean; status: string; roles: string[] }[]).find(
        (item) => item.username === username,
      );
    };

    describe('password reset by a one-time link', () => {
      it('Root issues a link for Bob; Bob chooses a new password; his sessions end, the old password stops working, the new one signs him in, and the link works once', async () => {
        const bob = await addStaff(service, ['support_agent'], 'bob');
        const bobCookie = await signInCookie(service, bob);

        const link = await issueLink(bob.id);
        expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(new Date(link.expiresAt).getTime() - service.clock.now().getTime()).toBe(24 * 3_600_000);
        expect((await preview(link.token)).json()).toEqual({ username: 'bob', displayName: 'Test bob', expiresAt: link.expiresAt });

        const tooShort = await complete(link.token, 'short');
        expect(tooShort.statusCode).toBe(400);
        expect(tooShort.json().errors).toEqual([expect.objectContaining({ field: 'password', code: 'too-short', params: { limit: 12 } })]);

        const done = await complete(link.token, 'a brand new passphrase');
        expect(done.statusCode).toBe(200);
        expect(done.json()).toEqual({ username: 'bob', totpEnrolmentRequired: false });
        expect((await sessionOf(bobCookie)).statusCode).toBe(401);

        service.clock.advance({ seconds: 30 });
        const code = totpCodeAt(bob.totpSecret, service.clock.now());
        expect((await login({ username: 'bob', password: bob.password, totpCode: code })).json().code).toBe('invalid-credentials');
        service.clock.advance({ seconds: 30 });
        const signedIn = await login({
          username: 'bob',
          password: 'a brand new passphrase',
          totpCode: totpCodeAt(bob.totpSecret, service.clock.now()),
        });
        expect(signedIn.statusCode).toBe(200);

        const again = await complete(link.token, 'yet another passphrase');
        expect(again.statusCode).toBe(410);
        expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(again.json().code).toBe('reset-link-used');
        expect((await preview(link.token)).json().code).toBe('reset-link-used');
      });

      it('stores only a hash of the token, and the audit trail names who issued and who used the link but never the token', async () => {
        const erin = await addStaff(service, ['auditor'], 'erin');
        const link = await issueLink(erin.id);
        await complete(link.token, 'erin chose this one');

        const rows = await service.ctx.db.selectFrom('staff_password_resets').selectAll().where('staff_id', '=', erin.id).execute();
        expect(rows).toHaveLength(1);
        expect(JSON.stringify(rows)).not.toContain(link.token);
        expect(rows[0]).toMatchObject({ issued_by: root.id });

        const trail = await listAudit(service.ctx.db, {
          limit: 10,
          action: 'staff.password-reset',
          target: { type: 'staff', id: erin.id },
        });
        expect(trail.map((entry) => [entry.action, entry.actorName])).toEqual([
          ['staff.password-reset.complete', 'erin'],
          ['staff.password-reset.issue', 'root'],
        ]);
        expect(JSON.stringify(trail)).not.toContain(link.token);
        expect(JSON.stringify(trail)).not.toContain('erin chose this one');
      });

      it('a link stops working when the hours of the setting have passed on the clock', async () => {
        const frank = await addStaff(service, ['technician'], 'frank');
        const link = await issueLink(frank.id);
        service.clock.advance({ hours: 23, minutes: 59 });
        expect((await preview(link.token)).statusCode).toBe(200);
        service.clock.advance({ minutes: 1 });
        const expired = await complete(link.token, 'too late for this one');
        expect(expired.statusCode).toBe(410);
        expect(expired.json().code).toBe('reset-link-expired');
        // A day has passed: Root's console session ended meanwhile.
        rootCookie = await signInCookie(service, root);
        service.clock.advance({ seconds: 30 });
        expect(
          (await login({ username: 'frank', password: frank.password, totpCode: totpCodeAt(frank.totpSecret, service.clock.now()) }))
            .statusCode,
        ).toBe(200);
      });

      it('a newer link revokes the older one, and a made-up token is unknown', async () => {
        const gina = await addStaff(service, ['billing_clerk'], 'gina');
        const first = await issueLink(gina.id);
        const second = await issueLink(gina.id);
        const revoked = await complete(first.token, 'from the first link');
        expect(revoked.statusCode).toBe(410);
        expect(revoked.json().code).toBe('reset-link-revoked');
        expect((await complete(second.token, 'from the second link')).statusCode).toBe(200);

        const unknown = await preview('x'.repeat(43));
        expect(unknown.statusCode).toBe(404);
        expect(unknown.json().code).toBe('reset-link-unknown');
      });

      it('only staff managers may issue a link', async () => {
        const clerk = await addStaff(service, ['billing_clerk']);
        const auditor = await addStaff(service, ['auditor']);
        const refused = await asAdmin('POST', `/api/console/staff/${clerk.id}/password-reset`, {}, await signInCookie(service, auditor));
        expect(refused.statusCode).toBe(403);
        expect(
          await service.ctx.db.selectFrom('staff_password_resets').select('id').where('staff_id', '=', clerk.id).execute(),
        ).toHaveLength(0);
      });
    });

    describe('second factor reset and enrolment', () => {
      it('Root resets Carol’s authenticator; her session ends; at the next sign-in she is shown a QR code and secret, and is signed in only with a valid code from it', async () => {
        const carol = await addStaff(service, ['technician'], 'carol');
        const carolCookie = await signInCookie(service, carol);

        const reset = await asAdmin('POST', `/api/console/staff/${carol.id}/totp-reset`);
        expect(reset.statusCode).toBe(200);
        expect(reset.json().staff.totpEnrolled).toBe(false);
        expect((await sessionOf(carolCookie)).statusCode).toBe(401);

        const asked = await login({ username: 'carol', password: carol.password });
        expect(asked.statusCode).toBe(401);
        expect(asked.json().code).toBe('totp-enrolment-required');
        const enrolment = asked.json().enrolment as { secret: string; uri: string; qrDataUrl: string };
        expect(enrolment.secret).not.toBe(carol.totpSecret);
        expect(enrolment.uri).toMatch(new RegExp(`^otpauth://totp/Videophone:carol\\?.*secret=${enrolment.secret}`));
        expect(Buffer.from(enrolment.qrDataUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).toMatch(/^<svg/);
        // Asking again (the page reloaded) shows the same secret: a code already scanned stays good.
        expect((await login({ username: 'carol', password: carol.password })).json().enrolment.secret).toBe(enrolment.secret);

        service.clock.advance({ seconds: 30 });
        const oldApp = await login({
          username: 'carol',
          password: carol.password,
          totpCode: authenticatorCode(carol.totpSecret, service.clock.now()),
        });
        expect(oldApp.json().code).toBe('invalid-totp');
        expect((await staffRow('carol'))?.totpEnrolled).toBe(false);

        service.clock.advance({ seconds: 30 });
        const enrolled = await login({
          username: 'carol',
          password: carol.password,
          totpCode: authenticatorCode(enrolment.secret, service.clock.now()),
        });
        expect(enrolled.statusCode).toBe(200);
        expect((await staffRow('carol'))?.totpEnrolled).toBe(true);

        // From now on she is asked for a code as usual, and the new app's codes are the ones that work.
        expect((await login({ username: 'carol', password: carol.password })).json().code).toBe('totp-required');
        service.clock.advance({ seconds: 30 });
        expect(
          (await login({ username: 'carol', password: carol.password, totpCode: authenticatorCode(enrolment.secret, service.clock.now()) }))
            .statusCode,
        ).toBe(200);

        const trail = await listAudit(service.ctx.db, { limit: 20, action: 'staff.totp', target: { type: 'staff', id: carol.id } });
        expect(trail.map((entry) => [entry.action, entry.actorName])).toEqual([
          ['staff.totp.enrol', 'carol'],
          ['staff.totp.reset', 'root'],
        ]);
      });

      it('the password is still checked first: a wrong password reveals no enrolment secret', async () => {
        const hank = await addStaff(service, ['support_agent'], 'hank');
        await asAdmin('POST', `/api/console/staff/${hank.id}/totp-reset`);
        const wrong = await login({ username: 'hank', password: 'not hank’s password' });
        expect(wrong.json().code).toBe('invalid-credentials');
        expect(wrong.json().enrolment).toBeUndefined();
      });

      it('a new account’s enrolment carries a QR code too', async () => {
        const created = await asAdmin('POST', '/api/console/staff', {
          username: 'ivy',
          displayName: 'Ivy',
          password: 'ivy has a long password',
          roles: ['auditor'],
        });
        expect(created.statusCode).toBe(201);
        expect(created.json().totp.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
        expect(created.json().staff.totpEnrolled).toBe(true);
      });
    });

    describe('disable, enable and roles, with the last administrator kept', () => {
      it('the only active administrator can neither disable himself nor drop his own role, and the refusal says why', async () => {
        const disable = await asAdmin('POST', `/api/console/staff/${root.id}/disable`);
        expect(disable.statusCode).toBe(409);
        expect(disable.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(disable.json().code).toBe('last-administrator');
        const demote = await asAdmin('PUT', `/api/console/staff/${root.id}/roles`, { roles: ['auditor'] });
        expect(demote.statusCode).toBe(409);
        expect(demote.json().code).toBe('last-administrator');
        expect((await staffRow('root'))?.roles).toEqual(['administrator']);
      });

      it('with two administrators, Dave disables Root; then Dave is the last one and is refused likewise; enabling Root and changing roles are audited', async () => {
        const dave = await addStaff(service, ['administrator'], 'dave');
        const daveCookie = await signInCookie(service, dave);
        expect((await asAdmin('POST', `/api/console/staff/${root.id}/disable`, {}, daveCookie)).statusCode).toBe(200);
        const last = await asAdmin('PUT', `/api/console/staff/${dave.id}/roles`, { roles: ['auditor'] }, daveCookie);
        expect(last.json().code).toBe('last-administrator');

        expect((await asAdmin('POST', `/api/console/staff/${root.id}/enable`, {}, daveCookie)).statusCode).toBe(200);
        rootCookie = await signInCookie(service, root);
        const demoted = await asAdmin('PUT', `/api/console/staff/${dave.id}/roles`, { roles: ['auditor'] });
        expect(demoted.statusCode).toBe(200);
        expect(demoted.json().staff.roles).toEqual(['auditor']);

        const trail = await listAudit(service.ctx.db, { limit: 50, action: 'staff.', target: { type: 'staff', id: root.id } });
        const changes = trail.filter((entry) => ['staff.disable', 'staff.enable'].includes(entry.action));
        expect(changes.map((entry) => [entry.action, entry.actorName, entry.after])).toEqual([
          ['staff.enable', 'dave', { status: 'active' }],
          ['staff.disable', 'dave', { status: 'disabled' }],
        ]);
        const roleChange = (
          await listAudit(service.ctx.db, { limit: 5, action: 'staff.roles.change', target: { type: 'staff', id: dave.id } })
        )[0];
        expect(roleChange).toMatchObject({ actorName: 'root', before: { roles: ['administrator'] }, after: { roles: ['auditor'] } });
      });

      it('two administrators disabling each other at the same moment: exactly one succeeds', async () => {
        const kim = await addStaff(service, ['administrator'], 'kim');
        const kimCookie = await signInCookie(service, kim);
        // Root's is now the only other active administrator account: the race is between Root and Kim.
        const [byRoot, byKim] = await Promise.all([
          asAdmin('POST', `/api/console/staff/${kim.id}/disable`),
          asAdmin('POST', `/api/console/staff/${root.id}/disable`, {}, kimCookie),
        ]);
        // The loser is refused by the guard (409), or, when the winner committed before its request was
        // even authenticated, because its own account is disabled by then (401).
        const outcomes = [byRoot.statusCode, byKim.statusCode].sort();
        expect(outcomes[0]).toBe(200);
        expect([401, 409]).toContain(outcomes[1]);
        const active = await service.ctx.db
          .selectFrom('staff_accounts')
          .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff_accounts.id')
          .select('username')
          .where('role', '=', 'administrator')
          .where('status', '=', 'active')
          .execute();
        expect(active).toHaveLength(1);
      });
    });
  });
});
