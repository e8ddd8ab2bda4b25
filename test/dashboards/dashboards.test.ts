import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAsOrganisation } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/** Two applications arrive; the supervisor's dashboard counts them, the technician's shows the network. */
describe('the overview dashboards', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite');
    await applyAsOrganisation(service, '仪表盘测试公司一');
    await applyAsOrganisation(service, '仪表盘测试公司二');
  });
  afterAll(() => service?.close());

  it('gives managers subscribers by status and the money figures', async () => {
    const cookie = await signInCookie(service, await addStaff(service, ['billing_supervisor']));
    const response = await service.app.inject({ method: 'GET', url: '/api/console/dashboard/business', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.json().subscribersByStatus).toEqual([{ status: 'applied', count: 2 }]);
    expect(response.json().money).toMatchObject({ receivablesFen: 0, overdueAccounts: 0, arpuFen: null });
  });

  it('gives technicians the network figures, and not the business ones', async () => {
    const cookie = await signInCookie(service, await addStaff(service, ['technician']));
    const operations = await service.app.inject({ method: 'GET', url: '/api/console/dashboard/operations', headers: { cookie } });
    expect(operations.json()).toEqual({ registrations: 0, callsInProgress: 0, days: [] });
    const business = await service.app.inject({ method: 'GET', url: '/api/console/dashboard/business', headers: { cookie } });
    expect(business.statusCode).toBe(403);
  });
});
