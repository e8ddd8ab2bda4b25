import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { migrations } from '../../src/migrations.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createService, type Service } from '../../src/service.js';
import { freePort } from '../support/process.js';
import { PrivatePostgres, privatePostgresAvailable } from '../support/private-postgres.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';

/**
 * The service against a PostgreSQL server of the test's own, which the test stops, starts and
 * freezes. The database is a dependency: while it is gone the process stays up, says it is not
 * ready, keeps SIP going for subscribers it knows, and loses no call record.
 */
describe.skipIf(!privatePostgresAvailable)('the service while its PostgreSQL is down', () => {
  let postgres: PrivatePostgres;
  const services: Service[] = [];
  const parties: SipJsParty[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.create();
  }, 60_000);
  afterEach(async () => {
    for (const party of parties.splice(0)) await party.stop();
    for (const service of services.splice(0)) await service.close();
  });
  afterAll(async () => {
    await postgres?.destroy();
  });

  async function startService(): Promise<{ service: Service; base: string; sipPort: number }> {
    const httpPort = await freePort();
    const sipPort = await freePort();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-outage-')),
      DATA_KEYS: `test:${randomBytes(32).toString('base64')}`,
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: '5',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '2000',
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
      // As for every test service (test/support/test-service.ts): on a machine busy with other test
      // files, a receive queue held past the control's bound would refuse this test's INVITEs 503.
      SIP_OVERLOAD_CONTROL: 'false',
    });
    const service = await createService(config, { logger: pino({ level: 'silent' }), webRoot: null });
    services.push(service);
    await service.listen();
    return { service, base: `http://127.0.0.1:${httpPort}`, sipPort };
  }

  const status = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;

  /** Milliseconds until `url` answers `expected`, polling every 50 ms; throws after `limitMs`. */
  async function untilStatus(url: string, expected: number, limitMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if ((await status(url).catch(() => 0)) === expected) return Date.now() - started;
      if (Date.now() - started > limitMs) throw new Error(`${url} did not answer ${expected} within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('starts while PostgreSQL is stopped: alive, not ready; once PostgreSQL starts it migrates and becomes ready', async () => {
    const { service, base } = await startService();
    expect(await status(`${base}/healthz`)).toBe(200);
    expect(await status(`${base}/readyz`)).toBe(503);
    const api = await fetch(`${base}/api/catalog/price-list`);
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(await api.json()).toMatchObject({ code: 'database-unavailable', status: 503 });

    await postgres.start();
    await untilStatus(`${base}/readyz`, 200, 15_000);
    const applied = await service.ctx.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(applied).toHaveLength(Object.keys(migrations).length);
  }, 60_000);

  it('stopped for 20 s while subscribers call: the process stays up, SIP goes on, and every call is recorded exactly once', async () => {
    await postgres.ensureStarted();
    const { service, base, sipPort } = await startService();
    await untilStatus(`${base}/readyz`, 200, 15_000);
    const domain = service.config.sip.domain;
    await provisionSipAccounts(
      service.ctx.db,
      domain,
      ['7000', '7001', '7002', '7003'].map((number) => ({ number, password: `pw${number}` })),
      new Date(),
    );
    const wsUrl = `${base.replace('http', 'ws')}/sip`;
    const alice = await startSipJsParty(wsUrl, domain, '7000');
    const bob = await startSipJsParty(wsUrl, domain, '7001');
    const carol = await startSipJsParty(wsUrl, domain, '7002');
    parties.push(alice, bob, carol);

    const call = async (from: SipJsParty, to: SipJsParty) => {
      const before = to.invitations.length;
      const inviter = new Inviter(from.ua, UserAgent.makeURI(`sip:${to.number}@${domain}`)!);
      await inviter.invite();
      await eventually(() => to.invitations.length === before + 1, `${to.number} to ring`, 15_000);
      return { inviter, invitation: to.invitations[before]! };
    };

    // Alice and Bob are talking when the database goes away.
    const first = await call(alice, bob);
    await first.invitation.accept();
    await eventually(() => first.inviter.state === SessionState.Established, 'the first call');

    await postgres.stop();
    const stoppedAt = Date.now();
    expect(await untilStatus(`${base}/readyz`, 503, 1_000)).toBeLessThanOrEqual(1_000);
    expect(await status(`${base}/healthz`)).toBe(200);

    // HTTP that needs the database says so: 503, come back in 5 s.
    const signIn = await fetch(`${base}/api/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'a long enough password', totpCode: '000000' }),
    });
    expect(signIn.status).toBe(503);
    expect(signIn.headers.get('retry-after')).toBe('5');
    expect(await signIn.json()).toMatchObject({ code: 'database-unavailable' });

    // Alice hangs up: Bob hears the BYE and Alice gets her 200.
    await first.inviter.bye();
    await eventually(() => first.invitation.state === SessionState.Terminated, 'Bob to hear the hang-up', 15_000);
    await eventually(() => first.inviter.state === SessionState.Terminated, 'Alice to see the call end', 15_000);

    // Known subscribers still call each other once what the server cached about them is out of date
    // (its 2 s TTL has passed): it serves the stale entries. Bob hangs up this time.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const second = await call(alice, bob);
    await second.invitation.accept();
    await eventually(() => second.inviter.state === SessionState.Established, 'the second call');
    await second.invitation.bye();
    await eventually(() => second.inviter.state === SessionState.Terminated, 'Alice to hear the hang-up', 15_000);

    // Carol gives up while Bob's phone rings.
    const third = await call(carol, bob);
    await third.inviter.cancel();
    await eventually(() => third.invitation.state === SessionState.Terminated, "Bob's phone to stop ringing", 15_000);

    // A subscriber the server has never seen cannot be checked now: 503 with Retry-After, not 500.
    const peer = await RawUdpPeer.open();
    try {
      const register = (extra: string[]) =>
        [
          `REGISTER sip:${domain} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
          `From: <sip:7003@${domain}>;tag=${randomToken()}`,
          `To: <sip:7003@${domain}>`,
          `Call-ID: ${randomToken()}`,
          'CSeq: 1 REGISTER',
          `Contact: <sip:7003@127.0.0.1:${peer.port}>`,
          'Max-Forwards: 70',
          ...extra,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      peer.send(register([]), sipPort);
      const challenge = await peer.next(/^SIP\/2\.0 401/);
      const authorization = digestAuthorization({
        challenge: header(challenge, 'WWW-Authenticate')!,
        username: '7003',
        password: 'pw7003',
        method: 'REGISTER',
        uri: `sip:${domain}`,
      });
      peer.send(register([`Authorization: ${authorization}`]), sipPort);
      const refused = await peer.next(/^SIP\/2\.0 [2-6]/, 10_000);
      expect(statusLine(refused)).toBe('SIP/2.0 503 Service Unavailable');
      expect(header(refused, 'Retry-After')).toBe('5');
    } finally {
      peer.close();
    }

    // The outage lasts 20 s in all; the process is still there and still not ready.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20_000 - (Date.now() - stoppedAt))));
    expect(await status(`${base}/healthz`)).toBe(200);
    expect(await status(`${base}/readyz`)).toBe(503);

    await postgres.start();
    expect(await untilStatus(`${base}/readyz`, 200, 2_000)).toBeLessThanOrEqual(2_000);

    const callIds = [first.inviter, second.inviter, third.inviter].map((inviter) => inviter.request.callId);
    const records = async () =>
      service.ctx.db
        .selectFrom('call_records')
        .select(['call_id', 'caller', 'callee', 'status', 'hung_up_by', 'answered_at'])
        .orderBy('invited_at')
        .execute();
    let rows = await records();
    const started = Date.now();
    // The journal is emptied just after its last entries are applied: the rows can be seen a moment
    // before it reports nothing pending, so both are waited for.
    const settled = () => !rows.some((row) => row.status === 'ringing' || row.status === 'answered') && rows.length >= 3;
    while (!settled() || service.sip!.recorder.journalPending) {
      if (Date.now() - started > 15_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      rows = await records();
    }
    expect(rows.map(({ answered_at: _answered, ...row }) => row)).toEqual([
      { call_id: callIds[0], caller: '7000', callee: '7001', status: 'completed', hung_up_by: 'caller' },
      { call_id: callIds[1], caller: '7000', callee: '7001', status: 'completed', hung_up_by: 'callee' },
      { call_id: callIds[2], caller: '7002', callee: '7001', status: 'cancelled', hung_up_by: null },
    ]);
    expect(rows[2]!.answered_at).toBeNull();
    expect(service.sip!.recorder.journalPending).toBe(false);
  }, 120_000);

  it('frozen (SIGSTOP): /readyz answers 503 within a second, never hangs; thawed, it is ready again within 2 s', async () => {
    await postgres.ensureStarted();
    const { base } = await startService();
    await untilStatus(`${base}/readyz`, 200, 15_000);
    postgres.freeze();
    try {
      for (let i = 0; i < 5; i += 1) {
        const started = Date.now();
        expect(await status(`${base}/readyz`)).toBe(503);
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(await status(`${base}/healthz`)).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    } finally {
      postgres.thaw();
    }
    expect(await untilStatus(`${base}/readyz`, 200, 2_000)).toBeLessThanOrEqual(2_000);
  }, 60_000);
});
