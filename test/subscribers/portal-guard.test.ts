import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalRoutesOf } from '../../src/portal-auth/index.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/** Every portal route refuses a caller without a subscriber session, and a staff session is no substitute. */
describe('the portal guard', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(() => service?.close());

  it('answers 401 problem+json on every subscriber route, anonymously and with a staff cookie', async () => {
    const routes = portalRoutesOf(service.app);
    expect(routes.length).toBeGreaterThan(10);
    const staffCookie = await signInCookie(service, await addStaff(service, ['administrator']));
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, (name) => (name === ':version' ? '2' : '00000000-0000-4000-8000-000000000000'));
      for (const headers of [{}, { cookie: staffCookie }, { cookie: 'vp_portal=forged-token' }]) {
        const response = await service.app.inject({
          method: route.method as 'GET',
          url,
          headers,
          payload: route.method === 'GET' ? undefined : {},
        });
        expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({
          route: `${route.method} ${route.url}`,
          status: 401,
        });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
  });
});
