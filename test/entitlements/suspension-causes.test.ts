import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipAccountStore } from '../../src/calls/index.js';
import {
  activeSuspensions,
  callPolicy,
  liftSuspensions,
  suspend,
  SUSPENSION_CAUSES,
  type SuspensionCause,
} from '../../src/entitlements/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { advanceTo, billFor, local, realSubscriberOn30 } from '../billing/support.js';

const staff = { type: 'staff' as const, id: null, name: 'test' };

/**
 * Each suspension cause blocks what the agreement says, whoever opens it: outgoing calls only for a
 * credit limit (clause 9, by default) and a requested termination (clause 11); everything for overdue
 * bills (clause 5), a judicial order (clause 10), false data (clause 1) and abuse (clause 3).
 */
const expectedScope: [SuspensionCause, 'outgoing' | 'all'][] = [
  ['overdue', 'all'],
  ['credit-limit', 'outgoing'],
  ['judicial', 'all'],
  ['false-data', 'all'],
  ['abuse', 'all'],
  ['termination', 'outgoing'],
];

describe.each(engines)('suspension causes on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;
    let policy: ReturnType<typeof callPolicy>;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await activeIndividual(service, reviewer, '李雷');
      bob = await activeIndividual(service, reviewer, '韩梅梅');
      // No cache: each question reads the rights entitlements wrote.
      policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
    });
    afterAll(() => service?.close());

    it.each(expectedScope)('a %s suspension blocks %s, and lifting it lets Alice call again', async (cause, scope) => {
      const at = service.clock.now();
      await suspend(service.ctx, { subscriberId: alice.id, cause }, staff);
      // No reason recorded: the refused caller hears the cause's own text.
      const reason = SUSPENSION_CAUSES[cause].refusal.en;
      expect((await activeSuspensions(service.ctx.db, alice.id)).map((s) => [s.cause, s.blocks, s.reason])).toEqual([
        [cause, scope, reason],
      ]);
      const aliceCalls = await policy.authorizeCall({ caller: alice.number, callee: bob.number, at });
      const bobCalls = await policy.authorizeCall({ caller: bob.number, callee: alice.number, at });
      const aliceRegisters = await policy.authorizeRegistration({ aor: alice.number, at });
      if (cause === 'credit-limit') {
        // Clause 9 is 402 with its own phrase, the answer charging gives when the headroom runs out.
        expect(aliceCalls).toEqual({ allow: false, status: 402, reason: 'Credit limit reached' });
        expect(bobCalls).toEqual({ allow: true });
        expect(aliceRegisters).toEqual({ allow: true });
      } else if (scope === 'outgoing') {
        expect(aliceCalls).toEqual({ allow: false, status: 403, reason: `Outgoing calls blocked: ${reason}` });
        expect(bobCalls).toEqual({ allow: true });
        expect(aliceRegisters).toEqual({ allow: true });
      } else {
        expect(aliceCalls).toEqual({ allow: false, status: 403, reason: `Caller account suspended: ${reason}` });
        expect(bobCalls).toEqual({ allow: false, status: 480, reason: 'Callee unavailable' });
        expect(aliceRegisters).toEqual({ allow: false, status: 403, reason: `Account suspended: ${reason}` });
      }
      expect(await liftSuspensions(service.ctx, { subscriberId: alice.id, cause }, staff)).toBe(1);
      expect(await policy.authorizeCall({ caller: alice.number, callee: bob.number, at })).toEqual({ allow: true });
      expect(await policy.authorizeCall({ caller: bob.number, callee: alice.number, at })).toEqual({ allow: true });
    });

    it("takes effect at once on this node, though its SIP account cache held Alice's rights a moment ago", async () => {
      const accounts = service.sip!.accounts;
      expect(await accounts.find(alice.number)).toMatchObject({ status: 'active' });
      await suspend(service.ctx, { subscriberId: alice.id, cause: 'judicial', reason: 'court order (2026)京01执7号' }, staff);
      expect(await accounts.find(alice.number)).toMatchObject({ status: 'suspended', statusReason: 'court order (2026)京01执7号' });
      await liftSuspensions(service.ctx, { subscriberId: alice.id, cause: 'judicial' }, staff);
      expect(await accounts.find(alice.number)).toMatchObject({ status: 'active', statusReason: null });
    });
  });
});

describe.each(engines)('credit limit with VP_CREDIT_LIMIT_SUSPENSION_SCOPE=all on %s (clause 9)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService(engine, { env: { VP_CREDIT_LIMIT_SUSPENSION_SCOPE: 'all' } });
    });
    afterAll(() => service?.close());

    it('suspends all of the service: the number can neither call nor register', async () => {
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      const alice = await activeIndividual(service, reviewer, '李雷');
      await suspend(service.ctx, { subscriberId: alice.id, cause: 'credit-limit', reason: 'credit limit reached' }, staff);
      expect((await activeSuspensions(service.ctx.db, alice.id)).map((s) => s.blocks)).toEqual(['all']);
      const policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
      expect(await policy.authorizeRegistration({ aor: alice.number, at: service.clock.now() })).toEqual({
        allow: false,
        status: 403,
        reason: 'Account suspended: credit limit reached',
      });
    });
  });
});

/**
 * Issue #18 item 6: the rent rule is the cause's, not the caller's. A judicial suspension opened by
 * code that still says `rentContinues: false` (as a caller could before) keeps charging rent.
 */
describe.each(engines)('rent under a judicial suspension, whoever opens it, on %s (clause 10)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let subscriber: { id: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      subscriber = await realSubscriberOn30(service);
    });
    afterAll(() => service?.close());

    it('suspended by court order from Feb 10 to Feb 20 by a caller saying rent stops → February is still the full 30.00', async () => {
      service.clock.set(local('2026-02-10 00:00'));
      // Not an object literal: the extra fields pass the compiler, as an old caller's input would.
      const fromAnOldCaller = {
        subscriberId: subscriber.id,
        cause: 'judicial' as const,
        blocks: 'outgoing',
        rentContinues: false,
        reason: 'court order (2026)京01执7号',
      };
      await suspend(service.ctx, fromAnOldCaller, staff);
      expect((await activeSuspensions(service.ctx.db, subscriber.id)).map((s) => [s.cause, s.blocks, s.rentContinues])).toEqual([
        ['judicial', 'all', true],
      ]);
      service.clock.set(local('2026-02-20 00:00'));
      await liftSuspensions(service.ctx, { subscriberId: subscriber.id, cause: 'judicial' }, staff);
      await advanceTo(service, '2026-03-01 00:10');
      const february = await billFor(service, subscriber.id, '2026-02-01');
      expect(february.lines.find((line) => line.kind === 'rent')).toMatchObject({ amountFen: 30_00 });
    });
  });
});
