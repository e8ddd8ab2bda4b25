import { Inviter, SessionState, UserAgent, type Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceCredentials } from '../../src/calls/index.js';
import { available, engines } from '../support/engines.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { addStaff, signInCookie } from '../support/test-service.js';
import { advanceTo, billFor, local, realSubscriberOn30 } from '../billing/support.js';

const orderPdf = Buffer.from('%PDF-1.4\n% order\n%%EOF\n', 'latin1');
const AUTHORITY = '北京市朝阳区人民法院';
const CASE = '(2026)京0105刑初123号';
const NEUTRAL = 'Service suspended; please contact customer service';

/**
 * Issue #13's story over real SIP (SIP.js phones on the service's WebSocket): "A judicial order
 * against Carol takes effect: her registered phone's next INVITE is refused within 5 s of the order;
 * her call in progress is ended; February's rent is charged in full; lifting the order lets her call
 * again within 5 s."
 */
describe.each(engines)('a judicial order against Carol, over SIP, on %s (clause 10)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: SipTestService;
    let carol: SipJsParty;
    let bob: SipJsParty;
    let carolId: string;

    beforeAll(async () => {
      service = await startSipTestService({ engine, numbers: ['7188888'], start: '2026-01-01T00:00:00Z' });
      const person = await realSubscriberOn30(service);
      carolId = person.id;
      const device = await issueDeviceCredentials(service.ctx.db, {
        number: person.number,
        realm: service.domain,
        deviceName: 'phone',
        now: service.clock.now(),
      });
      service.clock.set(local('2026-02-10 10:00'));
      carol = await startSipJsParty(service.wsUrl, service.domain, person.number, {
        credentials: { username: device.authorizationUsername, password: device.password },
      });
      bob = await startSipJsParty(service.wsUrl, service.domain, '7188888');
    }, 60_000);
    afterAll(async () => {
      await carol?.stop();
      await bob?.stop();
      await service?.close();
    });

    /** Carol calls Bob; resolves with the final status she got, or 'ringing' once Bob's phone rings. */
    async function carolCallsBob(): Promise<{ inviter: Inviter; outcome: Promise<{ status: number; reason: string } | 'ringing'> }> {
      const ringsBefore = bob.invitations.length;
      const inviter = new Inviter(carol.ua, UserAgent.makeURI(`sip:7188888@${service.domain}`)!);
      let refusal: { status: number; reason: string } | undefined;
      await inviter.invite({
        requestDelegate: {
          onReject: (response) => (refusal = { status: response.message.statusCode ?? 0, reason: response.message.reasonPhrase ?? '' }),
        },
      });
      const outcome = (async () => {
        await eventually(() => refusal !== undefined || bob.invitations.length > ringsBefore, 'a refusal or Bob ringing', 5_000);
        return refusal ?? ('ringing' as const);
      })();
      return { inviter, outcome };
    }

    it('ends her call in progress, refuses her next INVITE within 5 s, lets her call again within 5 s of the lift, and charges February in full', async () => {
      // Carol and Bob are talking.
      const byes: { party: string; reason: string | undefined }[] = [];
      const first = await carolCallsBob();
      expect(await first.outcome).toBe('ringing');
      first.inviter.delegate = { onBye: (bye) => void byes.push({ party: 'carol', reason: bye.request.getHeader('Reason') }) };
      const invitation: Invitation = bob.invitations.at(-1)!;
      invitation.delegate = { onBye: (bye) => void byes.push({ party: 'bob', reason: bye.request.getHeader('Reason') }) };
      await invitation.accept();
      await eventually(() => first.inviter.state === SessionState.Established, 'the call to be established');

      // The legal officer records the order, effective now, ending calls in progress.
      const legal = await signInCookie(service, await addStaff(service, ['legal_officer']));
      const placedAt = Date.now();
      const placed = await service.app.inject({
        method: 'POST',
        url: '/api/console/legal/judicial-orders',
        headers: { cookie: legal },
        payload: {
          subscriberId: carolId,
          authority: AUTHORITY,
          caseNumber: CASE,
          legalBasis: '《刑事诉讼法》第一百四十三条',
          scope: 'all',
          endCallsInProgress: true,
          discloseToSubscriber: false,
          document: { contentType: 'application/pdf', base64: orderPdf.toString('base64') },
        },
      });
      expect(placed.statusCode, placed.body).toBe(201);
      const orderId = placed.json().id as string;

      // Both phones are hung up by the proxy, told only the neutral reason.
      await eventually(
        () => first.inviter.state === SessionState.Terminated && invitation.state === SessionState.Terminated,
        'both phones to be hung up',
        5_000,
      );
      expect(byes.map((bye) => bye.party).sort()).toEqual(['bob', 'carol']);
      for (const bye of byes) {
        expect(bye.reason).toContain(NEUTRAL);
        expect(bye.reason).not.toContain(CASE);
      }
      const record = async () =>
        service.ctx.db.selectFrom('call_records').selectAll().where('callee', '=', '7188888').executeTakeFirstOrThrow();
      for (let tries = 0; tries < 50 && (await record()).status !== 'completed'; tries += 1) await new Promise((r) => setTimeout(r, 100));
      expect(await record()).toMatchObject({ status: 'completed', hung_up_by: 'system', end_reason: NEUTRAL });

      // Her registered phone's next INVITE is refused, within 5 s of the order, naming no authority or case.
      const refused = await carolCallsBob();
      const refusal = await refused.outcome;
      expect(Date.now() - placedAt).toBeLessThan(5_000);
      expect(refusal).toEqual({ status: 403, reason: `Caller account suspended: ${NEUTRAL}` });
      expect(bob.invitations).toHaveLength(1);

      // Ten days later the order is lifted: she calls again within 5 s.
      service.clock.set(local('2026-02-20 10:00'));
      // Ten days on the test clock outlive Bob's registration (300 s): his phone registers again, as it would have.
      await bob.registerer.register();
      await eventually(() => service.sip!.location.lookup('7188888', service.clock.now().getTime()).length > 0, 'Bob to register again');
      const officer = await signInCookie(service, await addStaff(service, ['legal_officer']));
      const liftedAt = Date.now();
      const lifted = await service.app.inject({
        method: 'POST',
        url: `/api/console/legal/judicial-orders/${orderId}/lift`,
        headers: { cookie: officer },
        payload: { reason: '法院解除' },
      });
      expect(lifted.statusCode, lifted.body).toBe(200);
      const again = await carolCallsBob();
      expect(await again.outcome).toBe('ringing');
      expect(Date.now() - liftedAt).toBeLessThan(5_000);
      await bob.invitations.at(-1)!.reject();

      // Clause 10: the rent is still charged for the suspended days.
      await advanceTo(service, '2026-03-01 00:10');
      const february = await billFor(service, carolId, '2026-02-01');
      expect(february.lines.find((line) => line.kind === 'rent')).toMatchObject({ amountFen: 30_00 });
    }, 60_000);
  });
});
