import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { correctAccountPlan } from '../../src/billing/index.js';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { changeCreditLimit } from '../../src/charging/index.js';
import { addPlan } from '../billing/support.js';
import { RawPhone } from '../support/raw-phone.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie } from '../support/test-service.js';

/** A phone for each number, the callee's registered. */
async function registeredPair(service: SipTestService, caller: string, callee: string) {
  const open = (number: string) => RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort });
  const pair = { caller: await open(caller), callee: await open(callee) };
  await pair.callee.register();
  return pair;
}

/**
 * Calls from `caller` to `callee` (answered by `answerer`) whose INVITE and 200 each carry 32 KB that
 * nothing needs, so that keeping either shows; and V8's collector, to measure after it ran.
 */
function paddedCalls(caller: RawPhone, answerer: RawPhone, callee: string) {
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;
  const padding = (name: string) => `${name}: ${'p'.repeat(32_768)}`;
  answerer.answerHeaders = [padding('X-Answer-Padding')];
  const place = async (count: number) => {
    for (let call = 0; call < count; call += 1) {
      await caller.call(callee, [padding('X-Offer-Padding')]);
      // The test's own phones keep what they receive: not the proxy's to answer for.
      answerer.requests.length = 0;
      caller.received.length = 0;
    }
  };
  return { place, collectGarbage };
}

/**
 * What an answered call costs the proxy for as long as it lasts (issue #17: a node holds thousands
 * of calls for minutes or hours). What it keeps of a call (the dialog for keep-alives and hang-ups,
 * the meter, the record's bookkeeping) must be strings of its own: a Call-ID or a From read from
 * the INVITE is a slice of the INVITE's text, and V8 keeps a slice's whole string alive, SDP and
 * all. Here each INVITE and each 200 carries 32 KB that nothing needs; once the transactions are
 * over (short RFC 3261 timers, so Timer L ends within the test), what stays per call is measured.
 */
describe('the heap an answered call holds', () => {
  let service: SipTestService;
  let alice: RawPhone;
  let bob: RawPhone;
  const T1 = 20;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['3401'], sipTimers: { T1, T2: 160, T4: 200 } });
    // Alice is a subscriber with a credit limit, so her calls are metered too (clause 9): the meter
    // keeps each call until it ends.
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    const person = await activeIndividual(service, reviewer, '爱丽丝');
    await service.jobs.runOnce('billing.cycle');
    await correctAccountPlan(service.ctx, person.id, await addPlan(service, { perMinuteRatePrecise: 10_0000, includedMinutes: 0 }));
    const limited = await changeCreditLimit(
      service.ctx,
      service.charging,
      { subscriberId: person.id, limitFen: 100_000_00, by: 'staff' },
      systemActor,
    );
    expect(limited.ok).toBe(true);
    await provisionSipAccounts(
      service.ctx.db,
      service.domain,
      [{ number: person.number, password: `pw${person.number}` }],
      service.clock.now(),
    );
    ({ caller: alice, callee: bob } = await registeredPair(service, person.number, '3401'));
  }, 60_000);
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await service?.close();
  });

  it('keeps no INVITE or 200 alive: under 16 KB per call once its transactions are over', async () => {
    const { place, collectGarbage } = paddedCalls(alice, bob, '3401');
    /** Past Timer L (64·T1, RFC 6026) of the last call's transactions, and its record written. */
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve, 64 * T1 * 3));
      collectGarbage();
    };
    // The first calls also compile the code they run (V8 counts that in the heap too).
    await place(40);
    await settle();
    const before = process.memoryUsage().heapUsed;
    const count = 150;
    await place(count);
    await settle();
    const perCall = (process.memoryUsage().heapUsed - before) / count;
    // Every call is still up, metered and kept alive by the proxy.
    expect(service.sip!.proxy.meteredCalls).toBe(40 + count);
    console.log(`heap held per answered call: ${Math.round(perCall)} bytes`);
    expect(perCall).toBeLessThan(16_384);
    // And the measurement sees the calls at all (each keeps its dialog, meter and timers): a heap
    // that shrank meanwhile would pass any bound.
    expect(perCall).toBeGreaterThan(1_024);
  }, 120_000);
});

/**
 * The same while the transactions are still there: after a 2xx both INVITE transactions stay for
 * 64*T1 (RFC 6026 Accepted, 32 s with the default T1), the fork that passes on retransmitted 2xx
 * with them. At hundreds of calls a second that is tens of thousands of calls' worth, all of it in
 * V8's old generation; what they keep of the INVITE and the 200 is what a response needs, no more.
 */
describe('the heap an answered call holds while its transactions are in Accepted', () => {
  let service: SipTestService;
  let alice: RawPhone;
  let bob: RawPhone;

  beforeAll(async () => {
    // The default timers: Timer L and M run 32 s, longer than the calls below take.
    service = await startSipTestService({ numbers: ['3501', '3502'] });
    ({ caller: alice, callee: bob } = await registeredPair(service, '3501', '3502'));
  }, 60_000);
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await service?.close();
  });

  it('keeps no INVITE or 200 in its transactions: under 16 KB per call within Timer L', async () => {
    const { place, collectGarbage } = paddedCalls(alice, bob, '3502');
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      collectGarbage();
    };
    await place(20);
    await settle();
    const before = process.memoryUsage().heapUsed;
    const transactionsBefore = service.sip!.transactions.serverTransactionCount;
    const count = 100;
    const started = Date.now();
    await place(count);
    await settle();
    const perCall = (process.memoryUsage().heapUsed - before) / count;
    // Measured within Timer L of every call: their INVITE transactions are all still there.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(service.sip!.transactions.serverTransactionCount - transactionsBefore).toBeGreaterThanOrEqual(count);
    console.log(`heap held per answered call within Timer L: ${Math.round(perCall)} bytes`);
    expect(perCall).toBeLessThan(16_384);
    expect(perCall).toBeGreaterThan(1_024);
  }, 120_000);
});
