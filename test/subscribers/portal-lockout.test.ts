import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { available, engines } from '../support/engines.js';
import { demoOrder, uniqueMobile } from '../support/subscribers.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe.each(engines)('portal sign-in lockout on %s (the console rule: 5 failures lock for 15 minutes)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let phone: string;
    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-03-01T02:00:00Z' });
      await loadDemoCatalogue(service.ctx);
      phone = uniqueMobile();
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
    });
    afterAll(() => service?.close());

    const signIn = (password: string) =>
      service.app.inject({ method: 'POST', url: '/api/portal/sign-in', payload: { login: phone, password } });

    it('five wrong passwords sent at once all count: the account locks, even the right password is refused, and it opens after 15 minutes', async () => {
      const wrong = await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(`wrong password ${i}`)));
      expect(wrong.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);

      const locked = await signIn(demoOrder.password);
      expect(locked.statusCode).toBe(423);
      expect(locked.headers['content-type']).toContain('application/problem+json');
      expect(locked.json()).toMatchObject({ code: 'account-locked' });
      expect(new Date(locked.json().lockedUntil).getTime()).toBe(service.clock.now().getTime() + 15 * 60_000);

      const audited = await service.ctx.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'portal.sign-in')
        .where('outcome', '=', 'failure')
        .execute();
      expect(audited).toHaveLength(5);
      expect(audited.filter((a) => (a.detail as { lockedUntil?: string }).lockedUntil)).toHaveLength(1);

      service.clock.advance({ minutes: 15, seconds: 1 });
      // A lock that has run out starts the count afresh: one more failure does not lock again.
      expect((await signIn('wrong again')).statusCode).toBe(401);
      expect((await signIn(demoOrder.password)).statusCode).toBe(200);
    });
  });
});
