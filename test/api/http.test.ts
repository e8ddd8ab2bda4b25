import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemCatalog } from '../../src/platform/http/problems.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

describe('the HTTP API', () => {
  let service: TestService;
  let adminCookie: string;

  beforeAll(async () => {
    service = await startTestService('pglite');
    adminCookie = await signInCookie(service, await addStaff(service, ['administrator']));
  });
  afterAll(() => service?.close());

  it('answers liveness and readiness, naming the database engine', async () => {
    expect((await service.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await service.app.inject('/readyz')).json()).toEqual({ status: 'ready', database: 'pglite' });
  });

  it('reports not ready with 503 problem+json when the database is gone', async () => {
    const broken = await startTestService('pglite');
    await broken.database.close();
    const response = await broken.app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'unavailable' });
    await broken.app.close();
  });

  it('exposes Prometheus metrics, including request durations by route template', async () => {
    await service.app.inject('/healthz');
    const response = await service.app.inject('/metrics');
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(/videophone_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it('describes itself in OpenAPI 3.1, generated from the route schemas', async () => {
    const document = (await service.app.inject('/api/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/auth/staff/login', '/api/console/staff', '/api/console/audit', '/readyz']),
    );
    expect(document.paths['/api/auth/staff/login'].post.requestBody.content['application/json'].schema.required).toEqual([
      'username',
      'password',
    ]);
  });

  it('answers a malformed JSON body with 400 malformed-json, not a crash', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/api/auth/staff/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'malformed-json', type: '/api/problems/malformed-json', status: 400 });
  });

  it('answers an invalid body with the fields at fault', async () => {
    const response = await service.app.inject({ method: 'POST', url: '/api/auth/staff/login', payload: { username: 'a' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'invalid-request', errors: [{ pointer: '/body/password', field: 'password' }] });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/api/auth/staff/login',
      headers: { 'content-type': 'text/xml' },
      payload: '<a/>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('unsupported-media-type');
  });

  it('answers an unknown API route with 404 problem+json', async () => {
    const response = await service.app.inject('/api/nothing/here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not-found' });
  });

  it('explains every problem type at its type URI', async () => {
    for (const [code, entry] of Object.entries(problemCatalog)) {
      const response = await service.app.inject(`/api/problems/${code}`);
      expect(response.json()).toEqual({ code, ...entry });
    }
  });

  it('lets an administrator create a staff member, with validation errors per field and a conflict on a taken name', async () => {
    const invalid = await service.app.inject({
      method: 'POST',
      url: '/api/console/staff',
      headers: { cookie: adminCookie },
      payload: { username: 'X', displayName: ' ', password: 'short', roles: ['auditor'] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { field: string }) => e.field)).toEqual(['username', 'displayName', 'password']);

    const body = { username: 'frank', displayName: 'Frank', password: 'a long enough password', roles: ['auditor'] };
    const created = await service.app.inject({
      method: 'POST',
      url: '/api/console/staff',
      headers: { cookie: adminCookie },
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().totp.uri).toMatch(/^otpauth:\/\/totp\/Videophone:frank\?/);
    expect(created.json().staff).not.toHaveProperty('passwordHash');

    const again = await service.app.inject({ method: 'POST', url: '/api/console/staff', headers: { cookie: adminCookie }, payload: body });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
  });

  it('refuses an unknown role by schema, before any work is done', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/api/console/staff',
      headers: { cookie: adminCookie },
      payload: { username: 'grace', displayName: 'Grace', password: 'a long enough password', roles: ['overlord'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid-request');
  });

  it('records staff changes in the audit log with before and after', async () => {
    const target = await addStaff(service, ['support_agent']);
    await service.app.inject({
      method: 'PUT',
      url: `/api/console/staff/${target.id}/roles`,
      headers: { cookie: adminCookie },
      payload: { roles: ['support_agent', 'technician'] },
    });
    const audit = await service.app.inject({
      method: 'GET',
      url: `/api/console/audit?targetType=staff&targetId=${target.id}&action=staff.roles`,
      headers: { cookie: adminCookie },
    });
    expect(audit.json().items[0]).toMatchObject({
      action: 'staff.roles.change',
      actorType: 'staff',
      before: { roles: ['support_agent'] },
      after: { roles: ['support_agent', 'technician'] },
      ip: '127.0.0.1',
    });
  });

  it('lists the operator settings and the scheduled jobs', async () => {
    const settings = (await service.app.inject({ method: 'GET', url: '/api/console/settings', headers: { cookie: adminCookie } })).json()
      .settings;
    expect(settings).toMatchObject({ lateFeeRatePerDay: '0.003', currency: 'CNY', timeZone: 'Asia/Shanghai', warrantyMonths: 12 });
    const jobs = (await service.app.inject({ method: 'GET', url: '/api/console/jobs', headers: { cookie: adminCookie } })).json().items;
    expect(jobs.map((j: { name: string }) => j.name)).toEqual(expect.arrayContaining(['staff.expire-sessions', 'notices.deliver']));
  });

  it('sends security headers: a strict content security policy, no framing, no sniffing', async () => {
    const response = await service.app.inject('/healthz');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('sign-in rate limit per client address', () => {
  it('answers 429 problem+json once an address exceeds its sign-in attempts per minute, without affecting other addresses', async () => {
    const limited = await startTestService('pglite', { env: { SIGN_IN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const attempt = (remoteAddress: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/staff/login',
          remoteAddress,
          payload: { username: 'nobody', password: 'guess guess guess' },
        });
      for (let n = 0; n < 3; n += 1) expect((await attempt('198.51.100.7')).statusCode).toBe(401);
      const refused = await attempt('198.51.100.7');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json().code).toBe('too-many-requests');
      // Another address is not affected.
      expect((await attempt('198.51.100.8')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
