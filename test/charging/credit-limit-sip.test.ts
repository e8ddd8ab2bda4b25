import { Inviter, SessionState, UserAgent, type Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { correctAccountPlan, findBillingAccount } from '../../src/billing/index.js';
import { issueDeviceCredentials } from '../../src/calls/index.js';
import { changeCreditLimit } from '../../src/charging/index.js';
import { addPlan } from '../billing/support.js';
import { available } from '../support/engines.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie } from '../support/test-service.js';

/**
 * Clause 9 over real SIP: SIP.js phones on the service's WebSocket, the service's clock following
 * the wall clock. Alice pays 6.00 a minute in 6-second increments and may owe 1.20: two increments.
 */
describe('a call cut at the credit limit, over SIP', () => {
  let service: SipTestService;
  let alice: SipJsParty;
  let bob: SipJsParty;
  let aliceId: string;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    service = await startSipTestService({
      engine: available.postgres ? 'postgres' : 'pglite',
      numbers: ['7188888'],
      env: { VP_CREDIT_SLICE_SECONDS: '6' },
      // Behind the wall clock: signing in moves the test clock on, and it must not pass the wall.
      start: new Date(Date.now() - 600_000).toISOString(),
    });
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    const person = await activeIndividual(service, reviewer, '爱丽丝');
    aliceId = person.id;
    // The charging clock is the service's: from here on it follows the wall clock.
    service.clock.set(new Date());
    ticker = setInterval(() => {
      if (Date.now() > service.clock.now().getTime()) service.clock.set(new Date());
    }, 2);
    await service.jobs.runOnce('billing.cycle');
    expect(await findBillingAccount(service.ctx.db, aliceId)).not.toBeNull();
    await correctAccountPlan(
      service.ctx,
      aliceId,
      await addPlan(service, { perMinuteRatePrecise: 600_0000, billingIncrementSeconds: 6, includedMinutes: 0 }),
    );
    const limited = await changeCreditLimit(
      service.ctx,
      service.charging,
      { subscriberId: aliceId, limitFen: 1_20, by: 'staff' },
      systemActor,
    );
    expect(limited.ok).toBe(true);
    const device = await issueDeviceCredentials(service.ctx.db, {
      number: person.number,
      realm: service.domain,
      deviceName: 'test',
      now: service.clock.now(),
    });
    alice = await startSipJsParty(service.wsUrl, service.domain, person.number, {
      credentials: { username: device.authorizationUsername, password: device.password },
    });
    bob = await startSipJsParty(service.wsUrl, service.domain, '7188888');
  }, 60_000);
  afterAll(async () => {
    clearInterval(ticker);
    await alice?.stop();
    await bob?.stop();
    await service?.close();
  });

  it('ends the answered call with a BYE to both phones when the 1.20 is spent, records why, and refuses the next INVITE with 402', async () => {
    const byes: { party: string; request: { getHeader(name: string): string | undefined } }[] = [];
    const inviter = new Inviter(alice.ua, UserAgent.makeURI(`sip:7188888@${service.domain}`)!);
    inviter.delegate = { onBye: (bye) => void byes.push({ party: 'alice', request: bye.request }) };
    await inviter.invite();
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    const invitation: Invitation = bob.invitations[0]!;
    invitation.delegate = { onBye: (bye) => void byes.push({ party: 'bob', request: bye.request }) };
    await invitation.accept();
    const answeredAt = Date.now();
    await eventually(() => inviter.state === SessionState.Established, 'the call to be established');
    // Two increments of 6 s are paid for: the proxy hangs up just before 12 s.
    await eventually(
      () => inviter.state === SessionState.Terminated && invitation.state === SessionState.Terminated,
      'both phones to be hung up',
      20_000,
    );
    const cutAfterMs = Date.now() - answeredAt;
    expect(cutAfterMs).toBeGreaterThan(10_000);
    expect(byes.map((b) => b.party).sort()).toEqual(['alice', 'bob']);
    for (const { request } of byes) expect(request.getHeader('Reason')).toMatch(/cause=402/);

    // The record is written behind the BYE (the recorder batches): wait for it.
    const readRecord = () =>
      service.ctx.db.selectFrom('call_records').selectAll().where('callee', '=', '7188888').executeTakeFirstOrThrow();
    for (let tries = 0; tries < 50 && (await readRecord()).status !== 'completed'; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const record = await readRecord();
    expect(record).toMatchObject({ status: 'completed', hung_up_by: 'system', end_reason: 'credit-limit' });
    expect(Number(record.duration_ms)).toBeGreaterThan(11_000);
    expect(Number(record.duration_ms)).toBeLessThanOrEqual(12_000);
    // Settled as it ended, at the limit and not a fen beyond.
    const settled = async () =>
      Number(
        (await service.ctx.db.selectFrom('charging_months').select('settled_fen').where('subscriber_id', '=', aliceId).executeTakeFirst())
          ?.settled_fen ?? 0,
      );
    for (let tries = 0; tries < 50 && (await settled()) === 0; tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await settled()).toBe(1_20);

    // The next call is refused before anything rings, with the status and reason the README names.
    let refusal: { status: number; reason: string } | undefined;
    const again = new Inviter(alice.ua, UserAgent.makeURI(`sip:7188888@${service.domain}`)!);
    await again.invite({
      requestDelegate: {
        onReject: (response) => (refusal = { status: response.message.statusCode ?? 0, reason: response.message.reasonPhrase ?? '' }),
      },
    });
    await eventually(() => refusal !== undefined, 'the refusal');
    expect(refusal).toEqual({ status: 402, reason: 'Credit limit reached' });
    expect(bob.invitations).toHaveLength(1);
  });
});
