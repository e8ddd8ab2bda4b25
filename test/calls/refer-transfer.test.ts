import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inviter, SessionState, UserAgent, type Info, type Invitation, type Referral, type Session } from 'sip.js';
import { RawUdpPeer, randomToken } from '../support/raw-sip.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/**
 * Keypad digits and blind transfer through our proxy, between SIP.js clients over WebSocket: INFO
 * (application/dtmf-relay) and REFER (RFC 3515) are in-dialog requests, routed by the route set;
 * the transferee's new INVITE is a call of its own, authorised and billed as the transferee's.
 */
describe('DTMF by INFO and blind transfer by REFER through the proxy', () => {
  let service: SipTestService;
  let alice: SipJsParty;
  let bob: SipJsParty;
  let carol: SipJsParty;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['3000', '3001', '3002'] });
    alice = await startSipJsParty(service.wsUrl, service.domain, '3000');
    bob = await startSipJsParty(service.wsUrl, service.domain, '3001');
    carol = await startSipJsParty(service.wsUrl, service.domain, '3002');
  });
  afterAll(async () => {
    for (const party of [alice, bob, carol]) await party?.stop();
    await service?.close();
  });

  const uri = (number: string) => UserAgent.makeURI(`sip:${number}@${service.domain}`)!;
  const records = () => service.ctx.db.selectFrom('call_records').selectAll().orderBy('invited_at').execute();

  /** Alice calls Bob and Bob answers; Alice follows any REFER Bob sends, reporting it to the test. */
  async function aliceCallsBob(): Promise<{ alice: Inviter; bob: Invitation; referrals: Referral[]; transferred: Inviter[] }> {
    bob.invitations.length = 0;
    const referrals: Referral[] = [];
    const transferred: Inviter[] = [];
    const inviter = new Inviter(alice.ua, uri('3001'));
    inviter.delegate = {
      // What a phone does with a blind transfer: accept (202), then call the target (RFC 5589 §6).
      onRefer: (referral) => {
        referrals.push(referral);
        void referral.accept().then(() => {
          const next = referral.makeInviter();
          transferred.push(next);
          return next.invite();
        });
      },
    };
    await inviter.invite();
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    const invitation = bob.invitations[0]!;
    await invitation.accept();
    await eventually(() => inviter.state === SessionState.Established, 'Alice and Bob to be in a call');
    return { alice: inviter, bob: invitation, referrals, transferred };
  }

  it('Alice presses 5, 0, # on her keypad: each INFO (application/dtmf-relay) reaches Bob through the proxy and is answered 200', async () => {
    const call = await aliceCallsBob();
    const received: Info[] = [];
    call.bob.delegate = {
      onInfo: (info) => {
        received.push(info);
        void info.accept();
      },
    };
    const answers: number[] = [];
    for (const digit of ['5', '0', '#']) {
      await call.alice.info({
        requestOptions: {
          body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${digit}\r\nDuration=160\r\n` },
        },
        requestDelegate: { onAccept: (response) => void answers.push(response.message.statusCode!) },
      });
    }
    await eventually(() => answers.length === 3, 'the three INFO answers');
    expect(answers).toEqual([200, 200, 200]);
    expect(received.map((info) => info.request.getHeader('Content-Type'))).toEqual(Array(3).fill('application/dtmf-relay'));
    expect(received.map((info) => /Signal=(.)/.exec(info.request.body)![1])).toEqual(['5', '0', '#']);
    await call.alice.bye();
    await eventually(() => call.bob.state === SessionState.Terminated, "Bob's side to end");
  });

  it('Alice calls Bob; Bob transfers her to Carol: Alice and Carol are in a call, Bob is out, and there are two call records, both paid by Alice', async () => {
    const before = (await records()).length;
    const call = await aliceCallsBob();
    carol.invitations.length = 0;
    const sipfrags: string[] = [];
    let referAnswer: number | undefined;
    await call.bob.refer(uri('3002'), {
      requestDelegate: { onAccept: (response) => void (referAnswer = response.message.statusCode) },
      onNotify: (notification) => {
        sipfrags.push(notification.request.body);
        void notification.accept();
      },
    });
    await eventually(() => referAnswer !== undefined, 'the REFER to be accepted');
    expect(referAnswer).toBe(202);
    // The REFER reached Alice with who refers her (RFC 3892), and her INVITE to Carol carries it on.
    expect(call.referrals[0]!.referTo.uri.user).toBe('3002');
    expect(call.referrals[0]!.referredBy).toContain('sip:3001@');
    await eventually(() => carol.invitations.length === 1, 'Carol to ring');
    const carolCall = carol.invitations[0]!;
    expect(carolCall.remoteIdentity.uri.user).toBe('3000');
    expect(carolCall.request.getHeader('Referred-By')).toContain('sip:3001@');
    await carolCall.accept();
    // RFC 3515 §2.4.5: the outcome of Alice's INVITE comes back to Bob as a message/sipfrag NOTIFY.
    await eventually(() => sipfrags.some((frag) => frag.startsWith('SIP/2.0 200')), 'the NOTIFY saying Carol answered');
    // Bob's part is done: he hangs up, as a transferor does after the final NOTIFY.
    await call.bob.bye();
    await eventually(() => call.alice.state === SessionState.Terminated, "the Alice–Bob call to end on Alice's side");
    const transferred = call.transferred[0]!;
    await eventually(() => transferred.state === SessionState.Established, 'Alice and Carol to be in a call');
    expect(carolCall.state).toBe(SessionState.Established);
    // Carol hears Alice: her SDP went to Carol end to end.
    expect(carol.sdp.received.at(-1)).toBe(alice.sdp.sent.at(-1));

    await transferred.bye();
    await eventually(() => carolCall.state === SessionState.Terminated, "Carol's side to end");
    // The transfer is two calls: Alice–Bob, ended by Bob; Alice–Carol, Alice's own call (she
    // authenticated its INVITE, so her account pays for it, as for any call she makes).
    let settled = (await records()).slice(before);
    for (let attempt = 0; attempt < 100 && settled.some((row) => row.status !== 'completed'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      settled = (await records()).slice(before);
    }
    expect(settled.map((row) => ({ caller: row.caller, callee: row.callee, status: row.status, hungUpBy: row.hung_up_by }))).toEqual([
      { caller: '3000', callee: '3001', status: 'completed', hungUpBy: 'callee' },
      { caller: '3000', callee: '3002', status: 'completed', hungUpBy: 'caller' },
    ]);
  });

  it('Bob transfers Alice to a number that does not exist: the proxy refuses her INVITE, Bob learns it in the NOTIFY, Alice and Bob stay in their call', async () => {
    const call = await aliceCallsBob();
    const sipfrags: string[] = [];
    await call.bob.refer(uri('3999'), {
      onNotify: (notification) => {
        sipfrags.push(notification.request.body);
        void notification.accept();
      },
    });
    await eventually(() => sipfrags.some((frag) => /^SIP\/2\.0 [4-6]\d\d/.test(frag)), 'the NOTIFY with the refusal');
    expect(sipfrags.at(-1)).toMatch(/^SIP\/2\.0 404/);
    expect(call.alice.state).toBe(SessionState.Established);
    expect(call.bob.state).toBe(SessionState.Established);
    await call.alice.bye();
    await eventually(() => call.bob.state === SessionState.Terminated, "Bob's side to end");
  });

  it('a REFER to a non-SIP URI, or one naming another referrer, is refused by the proxy with the reason, and never reaches Alice', async () => {
    const call = await aliceCallsBob();
    const refer = async (headers: string[]) => {
      let answer: { status: number; reason: string } | undefined;
      (call.bob as Session).dialog!.refer(
        {
          onAccept: (response) => void (answer = { status: response.message.statusCode!, reason: response.message.reasonPhrase! }),
          onReject: (response) => void (answer = { status: response.message.statusCode!, reason: response.message.reasonPhrase! }),
        },
        { extraHeaders: headers },
      );
      await eventually(() => answer !== undefined, 'the answer to the REFER');
      return answer!;
    };
    expect(await refer(['Refer-To: <tel:+861058881234>', `Referred-By: <sip:3001@${service.domain}>`])).toEqual({
      status: 416,
      reason: 'Refer-To must be a SIP URI',
    });
    expect(await refer([`Refer-To: <sip:3002@${service.domain}>`, `Referred-By: <sip:3002@${service.domain}>`])).toEqual({
      status: 403,
      reason: 'Referred-By must name the referrer',
    });
    expect(call.referrals).toHaveLength(0);
    await call.alice.bye();
    await eventually(() => call.bob.state === SessionState.Terminated, "Bob's side to end");
  });

  it('a REFER from outside any call is refused 403 with the reason, before any authentication', async () => {
    const peer = await RawUdpPeer.open();
    try {
      const branch = `z9hG4bK${randomToken()}`;
      peer.send(
        [
          `REFER sip:3000@${service.domain} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=${branch};rport`,
          'Max-Forwards: 70',
          `From: <sip:3001@${service.domain}>;tag=${randomToken()}`,
          `To: <sip:3000@${service.domain}>`,
          `Call-ID: ${randomToken()}@stranger`,
          'CSeq: 1 REFER',
          `Contact: <sip:3001@127.0.0.1:${peer.port}>`,
          `Refer-To: <sip:3002@${service.domain}>`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
        service.sipPort,
      );
      expect((await peer.next()).split('\r\n')[0]).toBe('SIP/2.0 403 REFER only within a call');
    } finally {
      peer.close();
    }
  });
});
