import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { signInSource } from '../../src/platform/sign-in-lockout.js';
import { available, engines } from '../support/engines.js';
import { demoOrder, uniqueMobile } from '../support/subscribers.js';
import { startTestService, type TestService } from '../support/test-service.js';

/** The stranger and the subscriber sign in from different addresses (documentation ranges, RFC 5737). */
const stranger = '198.51.100.66';
const home = '203.0.113.9';

describe.each(engines)(
  'portal sign-in lockout on %s (5 failures lock one address for 15 minutes; 12 from all addresses lock the account)',
  (engine) => {
    describe.skipIf(!available[engine])('', () => {
      let service: TestService;

      beforeAll(async () => {
        service = await startTestService(engine, { start: '2026-03-01T02:00:00Z', env: { VP_PORTAL_ACCOUNT_LOCKOUT_THRESHOLD: '12' } });
        await loadDemoCatalogue(service.ctx);
      });
      afterAll(() => service?.close());

      async function applicant(): Promise<{ phone: string; id: string }> {
        const phone = uniqueMobile();
        const applied = await service.app.inject({
          method: 'POST',
          url: '/api/subscribers/applications',
          payload: {
            ...demoOrder,
            kind: 'individual',
            fullName: '周小锁',
            birthDate: '1990-03-07',
            address: '上海市浦东新区世纪大道100号',
            idType: 'passport',
            idNumber: 'E12345678',
            contactPhone: phone,
          },
        });
        expect(applied.statusCode).toBe(201);
        return { phone, id: applied.json().id };
      }

      const signIn = (login: string, password: string, remoteAddress: string) =>
        service.app.inject({ method: 'POST', url: '/api/portal/sign-in', remoteAddress, payload: { login, password } });

      const failuresAudited = (subscriberId: string) =>
        service.ctx.db
          .selectFrom('audit_log')
          .select('detail')
          .where('action', '=', 'portal.sign-in')
          .where('outcome', '=', 'failure')
          .where('target_id', '=', subscriberId)
          .execute();

      it('a stranger sends five wrong passwords at once: all count, the stranger is locked out, the subscriber at home still signs in', async () => {
        const { phone, id } = await applicant();
        const wrong = await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(phone, `wrong password ${i}`, stranger)));
        expect(wrong.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);

        // Even the right password is refused from the stranger's address.
        const locked = await signIn(phone, demoOrder.password, stranger);
        expect(locked.statusCode).toBe(423);
        expect(locked.headers['content-type']).toContain('application/problem+json');
        expect(locked.json()).toMatchObject({ code: 'account-locked' });
        expect(new Date(locked.json().lockedUntil).getTime()).toBe(service.clock.now().getTime() + 15 * 60_000);

        // The subscriber, at their own address, is not locked out.
        expect((await signIn(phone, demoOrder.password, home)).statusCode).toBe(200);
        // …and signing in at home does not unlock the stranger.
        expect((await signIn(phone, demoOrder.password, stranger)).statusCode).toBe(423);

        // Every attempt is in the audit log: five wrong passwords (one of them locked the address) and two refusals while locked.
        const audited = (await failuresAudited(id)).map((a) => a.detail as { reason: string; scope?: string });
        expect(audited.filter((a) => a.reason === 'wrong-password')).toHaveLength(5);
        expect(audited.filter((a) => a.reason === 'wrong-password' && a.scope === 'address')).toHaveLength(1);
        expect(audited.filter((a) => a.reason === 'locked' && a.scope === 'address')).toHaveLength(2);

        service.clock.advance({ minutes: 15, seconds: 1 });
        // A lock that has run out starts the count afresh: one more failure does not lock again.
        expect((await signIn(phone, 'wrong again', stranger)).statusCode).toBe(401);
        expect((await signIn(phone, demoOrder.password, stranger)).statusCode).toBe(200);
      });

      it('guessing spread over many addresses locks the account for everyone once the account-wide threshold is reached', async () => {
        const { phone, id } = await applicant();
        // Three addresses, four guesses each: no single address reaches five, together they reach twelve.
        for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
          for (let n = 0; n < 4; n += 1) expect((await signIn(phone, `guess ${address} ${n}`, address)).statusCode).toBe(401);
        const atHome = await signIn(phone, demoOrder.password, home);
        expect(atHome.statusCode).toBe(423);
        expect(atHome.json()).toMatchObject({ code: 'account-locked' });
        const audited = (await failuresAudited(id)).map((a) => a.detail as { reason: string; scope?: string });
        expect(audited.filter((a) => a.scope === 'account')).toHaveLength(2);

        service.clock.advance({ minutes: 15, seconds: 1 });
        expect((await signIn(phone, demoOrder.password, home)).statusCode).toBe(200);
      });

      it('an unknown login is refused like a wrong password and audited without the login it named', async () => {
        const before = await service.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'portal.sign-in').execute();
        const response = await signIn('+8613900000000', 'whatever it is', stranger);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toMatchObject({ code: 'invalid-credentials' });
        const after = await service.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'portal.sign-in').execute();
        const added = after.filter((row) => !before.some((b) => b.id === row.id));
        expect(added).toHaveLength(1);
        expect(added[0]).toMatchObject({ outcome: 'failure', actor_type: 'anonymous', ip: stranger, detail: { reason: 'unknown-login' } });
        expect(JSON.stringify(added[0])).not.toContain('13900000000');
      });
    });
  },
);

describe('the source a portal sign-in is counted against', () => {
  it('is the IPv4 address, and for IPv6 the /64 the address lies in', () => {
    expect(signInSource('198.51.100.7')).toBe('198.51.100.7');
    expect(signInSource('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(signInSource('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(signInSource('2001:db8:aa:bb::9')).toBe(signInSource('2001:db8:aa:bb:ffff::1'));
    expect(signInSource('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(signInSource(null)).toBe('unknown');
  });
});
