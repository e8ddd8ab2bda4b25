import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { suspend } from '../../src/entitlements/index.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/**
 * The customer page's one aggregate (issue #14): its header. Wang is active with a number; a judicial
 * order suspends him. Whoever reads subscribers sees his name masked, his number and the suspension
 * with its cause; the auditor, who does not read subscribers, is refused, and so is each section to a
 * role without that section's permission.
 */
describe('the customer header API', () => {
  let service: TestService;
  let wang: ActiveSubscriber;
  const cookies: Record<'clerk' | 'support' | 'technician' | 'auditor', string> = { clerk: '', support: '', technician: '', auditor: '' };

  beforeAll(async () => {
    service = await startTestService('pglite');
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    wang = await activeIndividual(service, reviewer, '王小明');
    await suspend(service.ctx, { subscriberId: wang.id, cause: 'judicial', reference: '(2026)京0105执123号', scope: 'all' }, systemActor);
    cookies.clerk = await signInCookie(service, await addStaff(service, ['billing_clerk']));
    cookies.support = await signInCookie(service, await addStaff(service, ['support_agent']));
    cookies.technician = await signInCookie(service, await addStaff(service, ['technician']));
    cookies.auditor = await signInCookie(service, await addStaff(service, ['auditor']));
  });
  afterAll(() => service?.close());

  const get = (url: string, cookie: string) => service.app.inject({ method: 'GET', url, headers: { cookie } });

  it('tells a billing clerk whose page it is: name masked, number, status and the judicial suspension with its cause', async () => {
    const response = await get(`/api/console/customers/${wang.id}`, cookies.clerk);
    expect(response.statusCode).toBe(200);
    const header = response.json();
    expect(header).toMatchObject({ id: wang.id, kind: 'individual', status: 'suspended', numbers: [wang.number] });
    expect(header.maskedName).not.toBe('王小明');
    expect(header.maskedName).toMatch(/^王\*/);
    expect(header.suspensions).toEqual([expect.objectContaining({ cause: 'judicial', blocks: 'all', reference: '(2026)京0105执123号' })]);
  });

  it('finds the customer from the videophone number a clerk types', async () => {
    const response = await get(`/api/console/customers/by-number/${wang.number}`, cookies.clerk);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: wang.id });
    expect((await get('/api/console/customers/by-number/7999999', cookies.clerk)).statusCode).toBe(404);
  });

  it('refuses the header to a role that does not read subscribers (the auditor, the technician) with 403', async () => {
    for (const cookie of [cookies.auditor, cookies.technician]) {
      const response = await get(`/api/console/customers/${wang.id}`, cookie);
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers 404 for an id that is no subscriber', async () => {
    expect((await get('/api/console/customers/00000000-0000-4000-8000-000000000000', cookies.clerk)).statusCode).toBe(404);
  });

  it('guards each section by its own permission: terminals for technicians, disputes for those who handle them', async () => {
    expect((await get(`/api/console/customers/${wang.id}/terminals`, cookies.clerk)).statusCode).toBe(403);
    expect((await get(`/api/console/customers/${wang.id}/terminals`, cookies.technician)).statusCode).toBe(200);
    expect((await get(`/api/console/customers/${wang.id}/disputes`, cookies.technician)).statusCode).toBe(403);
    expect((await get(`/api/console/customers/${wang.id}/disputes`, cookies.support)).statusCode).toBe(200);
    expect((await get(`/api/console/customers/${wang.id}/service`, cookies.auditor)).statusCode).toBe(403);
    const service_ = await get(`/api/console/customers/${wang.id}/service`, cookies.support);
    expect(service_.statusCode).toBe(200);
    expect(service_.json().order).toMatchObject({ planCode: 'standard', status: 'active' });
    expect(service_.json().agreements).toHaveLength(1);
  });
});
