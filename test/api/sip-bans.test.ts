import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/** Staff see the SIP bans of this node and lift them; each lift is audited. */
describe('SIP bans in the console', () => {
  let service: TestService;
  let technician: string;
  let support: string;
  let billing: string;

  beforeAll(async () => {
    service = await startTestService('pglite', { env: { SIP_BAN_SOURCE_FAILURES: '2', SIP_BAN_USERNAME_FAILURES: '50' } });
    technician = await signInCookie(service, await addStaff(service, ['technician'], 'tech-bans'));
    support = await signInCookie(service, await addStaff(service, ['support_agent'], 'support-bans'));
    billing = await signInCookie(service, await addStaff(service, ['billing_clerk'], 'billing-bans'));
  });
  afterAll(() => service?.close());

  it('lists a ban to support and technicians, refuses billing, lets a technician lift it and audits the lift', async () => {
    const bans = service.sip!.bans;
    for (let i = 0; i < 2; i += 1) await bans.recordFailure({ address: '192.0.2.7', username: '6000', reason: 'wrong-response' });

    const listed = await service.app.inject({ method: 'GET', url: '/api/console/sip/bans', headers: { cookie: support } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ kind: 'source', value: '192.0.2.7', failures: 2, reason: 'wrong-response' }),
    ]);
    const refused = await service.app.inject({ method: 'GET', url: '/api/console/sip/bans', headers: { cookie: billing } });
    expect(refused.statusCode).toBe(403);

    const url = '/api/console/sip/bans/source/192.0.2.7';
    expect((await service.app.inject({ method: 'DELETE', url, headers: { cookie: support } })).statusCode).toBe(403);
    expect(bans.isBanned('source', '192.0.2.7')).toBe(true);
    expect((await service.app.inject({ method: 'DELETE', url, headers: { cookie: technician } })).statusCode).toBe(204);
    expect(bans.isBanned('source', '192.0.2.7')).toBe(false);
    const again = await service.app.inject({ method: 'DELETE', url, headers: { cookie: technician } });
    expect(again.statusCode).toBe(404);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);

    const audit = await service.app.inject({
      method: 'GET',
      url: '/api/console/audit?action=sip.ban',
      headers: { cookie: await signInCookie(service, await addStaff(service, ['auditor'], 'auditor-bans')) },
    });
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        action: 'sip.ban.lift',
        actorName: expect.stringContaining('tech-bans'),
        targetId: 'source:192.0.2.7',
        outcome: 'success',
      }),
    ]);
  });
});
