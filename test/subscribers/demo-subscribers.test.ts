import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSubscriberPassword, loadDemoSubscribers } from '../../src/demo/demo-subscribers.js';
import { loadDemo } from '../../src/demo/load-demo.js';
import { acceptLicence, portalCookie } from '../support/subscribers.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe('the demo subscribers (DESIGN §3: a newcomer can call within a minute)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(() => service?.close());

  it('are two active subscribers with numbers, created once however often the demo is loaded', async () => {
    await loadDemo(service.ctx);
    const options = { sipDomain: service.config.sip.domain, seal: service.seal };
    const first = await loadDemoSubscribers(service.ctx, options);
    const second = await loadDemoSubscribers(service.ctx, options);
    expect(second).toEqual(first);
    expect(first).toHaveLength(2);
    expect(new Set(first.map((s) => s.number)).size).toBe(2);
    for (const subscriber of first) expect(subscriber.number).toMatch(/^71\d{5}$/);
    const rows = await service.ctx.db.selectFrom('subscribers').select('status').execute();
    expect(rows.map((r) => r.status)).toEqual(['active', 'active']);

    // The printed credentials work: sign in, get device credentials for the web phone.
    const cookie = await portalCookie(service, first[0]!.contactPhone, demoSubscriberPassword);
    const licenceDeviceId = await acceptLicence(service, cookie);
    const device = await service.app.inject({
      method: 'POST',
      url: '/api/portal/devices',
      headers: { cookie },
      payload: { name: 'demo', licenceDeviceId },
    });
    expect(device.statusCode).toBe(201);
    expect(device.json().number).toBe(first[0]!.number);
  });
});
