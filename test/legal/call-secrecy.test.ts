import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/index.js';
import { CallRecorder } from '../../src/calls/index.js';
import type { Role } from '../../src/staff/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/**
 * Clause 10, secrecy of communication: call records and quality reports are read only by the
 * subscriber and by staff with `calls.read`; every staff view is audited with the subscriber whose
 * calls were read as the target.
 */
describe.each(engines)('secrecy of call records on %s (clause 10)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;
    const callId = 'secrecy-call-1';

    beforeAll(async () => {
      service = await startTestService(engine);
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await activeIndividual(service, reviewer, '爱丽丝');
      bob = await activeIndividual(service, reviewer, '鲍勃');
      const recorder = new CallRecorder(service.ctx.db);
      const id = await recorder.started({
        callId,
        fromTag: 'a',
        caller: alice.number,
        callee: bob.number,
        callerDevice: null,
        at: service.clock.now(),
        sessionExpiresSeconds: null,
      });
      await recorder.answered(callId, id, service.clock.now(), null);
    });
    afterAll(() => service?.close());

    it('staff who read subscribers but not calls (administrator, reviewer, billing, legal) get 403 for a number’s calls and for a call', async () => {
      const without: Role[] = ['administrator', 'verification_reviewer', 'billing_clerk', 'billing_supervisor', 'legal_officer', 'auditor'];
      for (const role of without) {
        const cookie = await signInCookie(service, await addStaff(service, [role]));
        for (const url of [`/api/console/calls?number=${alice.number}`, `/api/console/calls/${callId}`]) {
          const response = await service.app.inject({ url, headers: { cookie } });
          expect([role, url, response.statusCode]).toEqual([role, url, 403]);
        }
      }
      expect(await listAudit(service.ctx.db, { limit: 10, action: 'calls.' })).toEqual([]);
    });

    it("support (calls.read) reads Alice's history and one call; each view is audited against the subscribers concerned", async () => {
      const agent = await addStaff(service, ['support_agent']);
      const cookie = await signInCookie(service, agent);
      const history = await service.app.inject({ url: `/api/console/calls?number=${alice.number}`, headers: { cookie } });
      expect(history.statusCode).toBe(200);
      expect(history.json().calls).toMatchObject([{ callId, caller: alice.number, callee: bob.number }]);
      const aliceAudit = await listAudit(service.ctx.db, {
        limit: 10,
        action: 'calls.history.view',
        target: { type: 'subscriber', id: alice.id },
      });
      expect(aliceAudit).toMatchObject([{ actorId: agent.id, detail: { number: alice.number, calls: 1 } }]);

      const call = await service.app.inject({ url: `/api/console/calls/${callId}`, headers: { cookie } });
      expect(call.statusCode).toBe(200);
      for (const party of [alice, bob]) {
        const entries = await listAudit(service.ctx.db, {
          limit: 10,
          action: 'calls.call.view',
          target: { type: 'subscriber', id: party.id },
        });
        expect(entries).toMatchObject([{ actorId: agent.id, detail: { callId } }]);
      }
    });

    it('a subscriber reads only their own calls in the portal', async () => {
      const carol = await activeIndividual(
        service,
        await signInCookie(service, await addStaff(service, ['verification_reviewer'])),
        '卡罗尔',
      );
      const own = await service.app.inject({ url: '/api/portal/calls', headers: { cookie: alice.cookie } });
      expect(own.json().calls).toMatchObject([{ callId }]);
      const other = await service.app.inject({ url: '/api/portal/calls', headers: { cookie: carol.cookie } });
      expect(other.json().calls).toEqual([]);
    });
  });
});
