import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../src/staff/permissions.js';
import { available, engines } from '../support/engines.js';
import { applyAsOrganisation, portalCookie, uniqueContactPhone } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { totpCodeAt } from '../../src/staff/index.js';

interface OpenApiParameter {
  in: 'query' | 'path' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: { type?: string; default?: unknown; enum?: unknown[] };
}

/** Numbers a hostile or careless client sends: overflow, negative, beyond 2^64, not a number, a fraction. */
const hostileNumbers = ['1e309', '-1', '99999999999999999999', 'NaN', '1.5', 'Infinity'];

const METRICS_TOKEN = 'scrape-me-0123456789abcdef';
const PARTNER = 'https://www.operator.example';
const EVIL = 'https://evil.example';

const isProblem = (response: { headers: Record<string, unknown> }) =>
  String(response.headers['content-type'] ?? '').startsWith('application/problem+json');

describe.each(engines)('HTTP hardening on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let everyRole: TestStaff;
    let admin: string;
    let phone: string;
    let subscriber: string;

    beforeAll(async () => {
      service = await startTestService(engine, {
        start: '2026-03-01T02:00:00Z',
        env: { HTTP_ALLOWED_ORIGINS: PARTNER, METRICS_TOKEN },
      });
      everyRole = await addStaff(service, [...roles]);
      admin = await signInCookie(service, everyRole);
      phone = uniqueContactPhone();
      await applyAsOrganisation(service, 'Hardening Test Co.', phone);
      subscriber = await portalCookie(service, phone);
    });
    afterAll(() => service?.close());

    describe('requests a browser sends on behalf of another site', () => {
      const createStaff = (headers: Record<string, string>, username: string) =>
        service.app.inject({
          method: 'POST',
          url: '/api/console/staff',
          headers: { cookie: admin, ...headers },
          payload: { username, displayName: 'Mallory', password: 'a long enough password', roles: ['administrator'] },
        });
      const staffNames = async () =>
        (await service.ctx.db.selectFrom('staff_accounts').select('username').execute()).map((row) => row.username);

      it('a signed-in administrator lured to evil.example creates no staff account: Origin or Sec-Fetch-Site says where it came from', async () => {
        for (const [headers, username] of [
          [{ origin: EVIL }, 'mallory-1'],
          [{ 'sec-fetch-site': 'cross-site' }, 'mallory-2'],
          [{ origin: EVIL, 'sec-fetch-site': 'cross-site' }, 'mallory-3'],
          // A sibling subdomain is "same-site" to the browser, but not us.
          [{ origin: 'http://shop.localhost', 'sec-fetch-site': 'same-site' }, 'mallory-4'],
          [{ 'sec-fetch-site': 'same-site' }, 'mallory-5'],
          // A sandboxed frame or a cross-origin redirect sends the opaque origin.
          [{ origin: 'null' }, 'mallory-6'],
        ] as const) {
          const response = await createStaff(headers, username);
          expect(response.statusCode, JSON.stringify(headers)).toBe(403);
          expect(isProblem(response)).toBe(true);
          expect(response.json()).toMatchObject({ code: 'cross-site-request', status: 403 });
        }
        expect((await staffNames()).filter((name) => name.startsWith('mallory'))).toEqual([]);
      });

      it('the portal refuses a forged device request and a forged sign-in (login CSRF), and so does the console sign-in', async () => {
        const device = await service.app.inject({
          method: 'POST',
          url: '/api/portal/devices',
          headers: { cookie: subscriber, origin: EVIL },
          payload: { label: 'forged' },
        });
        expect(device.json()).toMatchObject({ code: 'cross-site-request' });
        const portalSignIn = await service.app.inject({
          method: 'POST',
          url: '/api/portal/sign-in',
          headers: { 'sec-fetch-site': 'cross-site' },
          payload: { login: phone, password: 'correct horse battery' },
        });
        expect(portalSignIn.statusCode).toBe(403);
        expect(portalSignIn.headers['set-cookie']).toBeUndefined();
        const staffSignIn = await service.app.inject({
          method: 'POST',
          url: '/api/auth/staff/login',
          headers: { origin: EVIL },
          payload: {
            username: everyRole.username,
            password: everyRole.password,
            totpCode: totpCodeAt(everyRole.totpSecret, service.clock.now()),
          },
        });
        expect(staffSignIn.statusCode).toBe(403);
        expect(staffSignIn.json().code).toBe('cross-site-request');
      });

      it('accepts our own pages (by Host, or as https behind a TLS proxy), the configured partner origin, and clients that are no browser', async () => {
        const accepted: Record<string, string>[] = [
          { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
          { host: 'vp.example', origin: 'https://vp.example' },
          { host: 'vp.example:8443', origin: 'https://vp.example:8443', 'sec-fetch-site': 'same-origin' },
          { origin: PARTNER, 'sec-fetch-site': 'cross-site' },
          { 'sec-fetch-site': 'same-origin' },
          { 'sec-fetch-site': 'none' },
          {},
        ];
        for (const [i, headers] of accepted.entries()) {
          const response = await createStaff(headers, `welcome-${i}`);
          expect(response.statusCode, JSON.stringify(headers)).toBe(201);
        }
      });

      it('believes X-Forwarded-Host only under TRUST_PROXY: an untrusted one cannot make evil.example our own origin', async () => {
        const response = await createStaff({ 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', origin: EVIL }, 'mallory-7');
        expect(response.statusCode).toBe(403);
      });

      it('lets reads through whatever their origin (they change nothing; CORS keeps the answer from the other site)', async () => {
        const response = await service.app.inject({ method: 'GET', url: '/api/console/staff', headers: { cookie: admin, origin: EVIL } });
        expect(response.statusCode).toBe(200);
      });
    });

    describe('caching of personal data', () => {
      it('marks portal, console and sign-in answers no-store, errors included; public documents keep their caching', async () => {
        const personal = [
          await service.app.inject({ method: 'GET', url: '/api/portal/my-data', headers: { cookie: subscriber } }),
          await service.app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie: subscriber } }),
          await service.app.inject({ method: 'GET', url: '/api/portal/me' }),
          await service.app.inject({ method: 'GET', url: '/api/console/staff', headers: { cookie: admin } }),
          await service.app.inject({ method: 'GET', url: '/api/auth/staff/session', headers: { cookie: admin } }),
          await service.app.inject({
            method: 'POST',
            url: '/api/auth/staff/login',
            payload: { username: 'nobody', password: 'nothing at all' },
          }),
          await service.app.inject({
            method: 'POST',
            url: '/api/portal/sign-in',
            payload: { login: phone, password: 'correct horse battery' },
          }),
        ];
        expect(personal.map((r) => r.statusCode)).toEqual([200, 200, 401, 200, 200, 401, 200]);
        for (const response of personal) {
          expect(response.headers['cache-control']).toBe('no-store');
          expect(response.headers.pragma).toBe('no-cache');
        }
        const priceList = await service.app.inject({ method: 'GET', url: '/api/catalog/price-list' });
        expect(priceList.headers['cache-control']).not.toBe('no-store');
      });
    });

    describe('/metrics', () => {
      it('answers a scraper on this machine, and one elsewhere only with the bearer token; everyone else gets 404', async () => {
        const scrape = (remoteAddress: string, headers: Record<string, string> = {}) =>
          service.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });
        expect((await scrape('127.0.0.1')).statusCode).toBe(200);
        expect((await scrape('::1')).statusCode).toBe(200);
        expect((await scrape('203.0.113.5', { authorization: `Bearer ${METRICS_TOKEN}` })).statusCode).toBe(200);

        const refused = [
          await scrape('203.0.113.5'),
          await scrape('203.0.113.5', { authorization: 'Bearer wrong-token-0123456789' }),
          await scrape('203.0.113.5', { authorization: `Basic ${METRICS_TOKEN}` }),
          // A reverse proxy on this host connects from loopback, but forwards someone else.
          await scrape('127.0.0.1', { 'x-forwarded-for': '203.0.113.5' }),
          await scrape('127.0.0.1', { forwarded: 'for=203.0.113.5' }),
        ];
        for (const response of refused) {
          expect(response.statusCode).toBe(404);
          expect(response.body).not.toContain('videophone_http_request_duration_seconds');
        }
      });
    });

    describe('numeric parameters', () => {
      it('every numeric parameter of every GET route answers hostile numbers with 400 and the field at fault, every path id with a 4xx, never 500', async () => {
        const document = (await service.app.inject('/api/openapi.json')).json() as {
          paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
        };
        const cookie = `${admin}; ${subscriber}`;
        const failures: string[] = [];
        let numericProbes = 0;
        for (const [template, operations] of Object.entries(document.paths)) {
          const parameters = operations.get?.parameters ?? [];
          // A harmless value for every path parameter but the one probed.
          const fill = (probed: string, value: string) =>
            template.replace(/\{(\w+)\}/g, (_, name: string) =>
              name === probed ? encodeURIComponent(value) : '00000000-0000-4000-8000-000000000000',
            );
          for (const parameter of parameters) {
            const numeric = parameter.schema?.type === 'integer' || parameter.schema?.type === 'number';
            if (!(parameter.in === 'path' || (parameter.in === 'query' && numeric))) continue;
            for (const value of hostileNumbers) {
              // Other required query parameters get a harmless value, so the answer is about the one probed.
              const requiredQuery = parameters
                .filter(
                  (other) => other.in === 'query' && other.required && other.schema?.default === undefined && other.name !== parameter.name,
                )
                .map((other) => {
                  const harmless =
                    other.schema?.enum?.[0] ?? (other.schema?.type === 'integer' || other.schema?.type === 'number' ? 1 : 'abc');
                  return `&${other.name}=${encodeURIComponent(String(harmless))}`;
                })
                .join('');
              const url =
                parameter.in === 'path'
                  ? fill(parameter.name, value)
                  : `${fill('', '')}?${parameter.name}=${encodeURIComponent(value)}${requiredQuery}`;
              const response = await service.app.inject({ method: 'GET', url, headers: { cookie } });
              const label = `GET ${url} → ${response.statusCode}`;
              if (response.statusCode >= 500) failures.push(`${label} ${response.body}`);
              else if (numeric) {
                numericProbes += 1;
                const fields: string[] = isProblem(response) ? (response.json().errors ?? []).map((e: { field: string }) => e.field) : [];
                if (response.statusCode !== 400 || !fields.some((field) => field.endsWith(parameter.name)))
                  failures.push(`${label} fields ${JSON.stringify(fields)}`);
              } else if (response.statusCode < 400) failures.push(`${label} accepted`);
            }
          }
        }
        expect(numericProbes).toBeGreaterThan(30);
        expect(failures).toEqual([]);
      });

      it('answers 1e309 and 2^70 in a JSON body with 400 and the field at fault', async () => {
        for (const amount of ['1e309', '1180591620717411303424']) {
          const response = await service.app.inject({
            method: 'POST',
            url: '/api/console/billing/payments',
            headers: { cookie: admin, 'content-type': 'application/json' },
            payload: `{"subscriberId":"00000000-0000-4000-8000-000000000000","amountFen":${amount},"reference":"overflow-${amount.length}"}`,
          });
          expect(response.statusCode, amount).toBe(400);
          expect(response.json()).toMatchObject({ code: 'invalid-request', errors: [{ pointer: '/body/amountFen', field: 'amountFen' }] });
        }
      });
    });
  });
});
