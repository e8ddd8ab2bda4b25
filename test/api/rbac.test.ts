import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { guardedRoutesOf, installStaffGuard, roles, rolePermissions, type Permission, type Role } from '../../src/staff/index.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/**
 * Every back-office route, found by walking the running app's routes (so a new route is covered the
 * moment it exists), is called by every role: a role without the route's permission gets 403,
 * an anonymous caller 401, and a role with it is let through the guard.
 */
interface ConsoleRoute {
  method: string;
  url: string;
  permission: Permission | null;
}

describe('role-based access to the console', () => {
  let service: TestService;
  const routes: ConsoleRoute[] = [];
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    service = await startTestService('pglite');
    for (const route of collectConsoleRoutes(service)) routes.push(route);
    for (const role of roles) cookies.set(role, await signInCookie(service, await addStaff(service, [role])));
  });
  afterAll(() => service?.close());

  const call = (route: ConsoleRoute, cookie?: string) =>
    service.app.inject({
      method: route.method as 'GET',
      url: route.url.replace(':id', '00000000-0000-4000-8000-000000000000'),
      headers: cookie ? { cookie } : {},
      ...(route.method === 'GET' ? {} : { payload: {} }),
    });

  it('finds the console routes to check', () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toContain('GET /api/console/audit');
  });

  it('refuses an anonymous caller on every console route with 401', async () => {
    for (const route of routes) {
      const response = await call(route);
      expect({ route: `${route.method} ${route.url}`, status: response.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 401,
      });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers 403 to every role that lacks a route permission, and lets every role that has it through', async () => {
    const outcomes: string[] = [];
    for (const route of routes) {
      for (const role of roles) {
        const allowed = route.permission === null || rolePermissions[role].includes(route.permission);
        const response = await call(route, cookies.get(role));
        const passedGuard = response.statusCode !== 401 && response.statusCode !== 403;
        if (allowed !== passedGuard)
          outcomes.push(`${role} ${route.method} ${route.url} → ${response.statusCode} (${allowed ? 'should pass' : 'should be 403'})`);
        if (!allowed) expect(response.json()).toMatchObject({ code: 'forbidden', permission: route.permission });
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('refuses to register a console route that names no permission', async () => {
    const app = Fastify();
    installStaffGuard(app, service.ctx);
    expect(() => app.get('/api/console/forgotten', async () => ({}))).toThrow(/declares no staff permission/);
    expect(() => app.get('/api/console/remembered', { config: { staff: { permission: 'audit.read' } } }, async () => ({}))).not.toThrow();
    await app.close();
  });
});

function collectConsoleRoutes(service: TestService): ConsoleRoute[] {
  return guardedRoutesOf(service.app).filter((route) => route.url.startsWith('/api/console/'));
}
