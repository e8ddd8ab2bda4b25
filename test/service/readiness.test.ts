import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/process.js';
import { postgresReachable } from '../support/engines.js';
import { RawPhone } from '../support/raw-phone.js';
import { startTestService, type TestService } from '../support/test-service.js';

/**
 * /readyz tells a load balancer, a supervisor or a test when the node can take traffic. HTTP
 * listens first and SIP a moment later (after the node releases what an earlier run of it held):
 * in between, a node that said "ready" would take SIP on a port nothing reads yet.
 */
describe.skipIf(!(await postgresReachable()))('readiness of a starting node (PostgreSQL)', () => {
  const services: TestService[] = [];
  const phones: RawPhone[] = [];
  /** Lets go of the table lock the test holds, also when an assertion failed while holding it. */
  let unlock = () => {};
  afterEach(async () => {
    unlock();
    for (const phone of phones.splice(0)) phone.close();
    for (const service of services.splice(0)) await service.close();
  });

  it('is not ready while its SIP server has not started, though the database answers; ready once SIP answers', async () => {
    const [httpPort, sipPort] = [await freePort(), await freePort()];
    const service = await startTestService('postgres', {
      env: { HOST: '127.0.0.1', PORT: String(httpPort), SIP_HOST: '127.0.0.1', SIP_PORT: String(sipPort), DATABASE_POOL_SIZE: '4' },
    });
    services.push(service);

    // Hold the start-up at its first step: another session locks the table it clears first.
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    let locked!: () => void;
    const lockHeld = new Promise<void>((resolve) => (locked = resolve));
    const holder = service.ctx.db.transaction().execute(async (trx) => {
      await sql`lock table charging_reservations in access exclusive mode`.execute(trx);
      locked();
      await unlocked;
    });
    await lockHeld;

    const listening = service.listen();
    const readyz = () => fetch(`http://127.0.0.1:${httpPort}/readyz`, { signal: AbortSignal.timeout(5_000) });
    // HTTP is up (healthz answers) while SIP waits behind the lock.
    for (;;) {
      const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`).catch(() => null);
      if (health?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const starting = await readyz();
    expect(starting.status).toBe(503);
    expect(starting.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await starting.json()).toMatchObject({ code: 'unavailable', detail: expect.stringMatching(/SIP is not listening yet/) });

    unlock();
    await holder;
    await listening;
    expect((await readyz()).status).toBe(200);
    // Ready means SIP answers: a phone's first REGISTER is challenged.
    const phone = await RawPhone.open({ number: '6200', domain: service.config.sip.domain, proxyPort: sipPort });
    phones.push(phone);
    phone.send(
      [
        `REGISTER sip:${service.config.sip.domain} SIP/2.0`,
        `Via: ${phone.via()}`,
        'Max-Forwards: 70',
        `From: <sip:6200@${service.config.sip.domain}>;tag=r1`,
        `To: <sip:6200@${service.config.sip.domain}>`,
        'Call-ID: readiness-1',
        'CSeq: 1 REGISTER',
        `Contact: <sip:6200@127.0.0.1:${phone.port}>`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(await phone.nextResponse(/^SIP\/2\.0 401/)).toMatch(/WWW-Authenticate: Digest/);
  });
});
