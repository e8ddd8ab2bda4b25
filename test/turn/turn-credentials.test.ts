import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/platform/clock.js';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import { installProblemHandlers } from '../../src/platform/http/problem-handlers.js';
import { ProblemError } from '../../src/platform/http/problems.js';
import { issueTurnCredentials, turnPassword, turnRoutes, type TurnSettings } from '../../src/turn/index.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

const settings: TurnSettings = {
  secret: 'north-wind-secret-0001',
  urls: ['turn:127.0.0.1:3478?transport=udp'],
  credentialTtlSeconds: 3600,
};

describe('TURN REST credentials (draft-uberti-behave-turn-rest §2.2)', () => {
  it('names the expiry and the user in the username and signs it with HMAC-SHA1 as coturn recomputes it', () => {
    // 2026-03-01T01:00:00Z + 3600 s = 1772330400; the expected password was computed with
    // `printf '1772330400:10001' | openssl dgst -sha1 -hmac north-wind-secret-0001 -binary | base64`.
    const credentials = issueTurnCredentials(settings, '10001', new Date('2026-03-01T01:00:00Z'));
    expect(credentials).toEqual({
      username: '1772330400:10001',
      credential: '8sBTA3RDVimGaANvZp/lJ0HhKDg=',
      ttl: 3600,
      urls: ['turn:127.0.0.1:3478?transport=udp'],
    });
  });

  it('refuses a user with a colon, which coturn would misread as part of the expiry', () => {
    expect(() => issueTurnCredentials(settings, 'a:b', new Date())).toThrow(/colon/);
  });

  it('is configured by TURN_URLS and TURN_SECRET together, and refuses one without the other', () => {
    expect(loadConfig({}).turn).toBeNull();
    expect(loadConfig({ TURN_URLS: 'turn:t.example:3478, turns:t.example:5349', TURN_SECRET: 'x'.repeat(32) }).turn).toEqual({
      urls: ['turn:t.example:3478', 'turns:t.example:5349'],
      secret: 'x'.repeat(32),
      credentialTtlSeconds: 86400,
    });
    expect(() => loadConfig({ TURN_URLS: 'turn:t.example:3478' })).toThrow(ConfigError);
    expect(() => loadConfig({ TURN_SECRET: 'x'.repeat(32) })).toThrow(/TURN_URLS/);
    expect(() => loadConfig({ TURN_URLS: 'stun:t.example', TURN_SECRET: 'x'.repeat(32) })).toThrow(/turn: or turns:/);
  });
});

describe('GET /api/portal/turn-credentials', () => {
  async function appWith(turn: TurnSettings | null) {
    const clock = new TestClock('2026-03-01T01:00:00.000Z');
    const app = Fastify();
    installProblemHandlers(app);
    await app.register(turnRoutes, {
      clock,
      settings: turn,
      identify: async (request) => {
        if (request.headers['x-test-subscriber'] === undefined) throw new ProblemError('unauthenticated');
        return String(request.headers['x-test-subscriber']);
      },
    });
    return app;
  }

  it('gives a signed-in subscriber credentials that are not cached', async () => {
    const app = await appWith(settings);
    const response = await app.inject({ url: '/api/portal/turn-credentials', headers: { 'x-test-subscriber': '10001' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({ username: '1772330400:10001', credential: '8sBTA3RDVimGaANvZp/lJ0HhKDg=' });
  });

  it('answers problem+json 401 without a subscriber, and 503 when TURN is not configured', async () => {
    const app = await appWith(settings);
    const anonymous = await app.inject({ url: '/api/portal/turn-credentials' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');

    const unconfigured = await appWith(null);
    const response = await unconfigured.inject({ url: '/api/portal/turn-credentials', headers: { 'x-test-subscriber': '10001' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'unavailable', detail: 'TURN relay is not configured on this server' });
  });
});

describe('TURN credentials through the portal', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite', {
      env: {
        TURN_URLS: 'turn:turn.vp.test:3478?transport=udp',
        TURN_SECRET: 'portal-test-secret-0001',
        TURN_CREDENTIAL_TTL_SECONDS: '600',
      },
    });
  });
  afterAll(() => service?.close());

  it("are issued to a signed-in subscriber under their number, and signed with the operator's secret", async () => {
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    const subscriber = await activeIndividual(service, reviewer);
    const response = await service.app.inject({ url: '/api/portal/turn-credentials', headers: { cookie: subscriber.cookie } });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ username: string; credential: string; ttl: number; urls: string[] }>();
    const expiry = Math.floor(service.clock.now().getTime() / 1000) + 600;
    expect(body).toEqual({
      username: `${expiry}:${subscriber.number}`,
      credential: turnPassword('portal-test-secret-0001', `${expiry}:${subscriber.number}`),
      ttl: 600,
      urls: ['turn:turn.vp.test:3478?transport=udp'],
    });
    expect((await service.app.inject({ url: '/api/portal/turn-credentials' })).statusCode).toBe(401);
  });
});
