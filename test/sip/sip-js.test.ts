import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inviter, Messager, SessionState, UserAgent, type Session } from 'sip.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/** SIP.js (a real SIP stack we did not write) registers and calls through our server over WebSocket. */
describe('SIP.js clients through our registrar and proxy', () => {
  let service: SipTestService;
  let alice: SipJsParty;
  let bob: SipJsParty;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['1000', '1001', '1002', '1003'] });
    alice = await startSipJsParty(service.wsUrl, service.domain, '1000');
    bob = await startSipJsParty(service.wsUrl, service.domain, '1001');
  });
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await service?.close();
  });

  const call = (from: SipJsParty, to: string) => new Inviter(from.ua, UserAgent.makeURI(`sip:${to}@${service.domain}`)!);
  const stateOf = (session: Session) => session.state;
  const records = () => service.ctx.db.selectFrom('call_records').selectAll().orderBy('invited_at').execute();
  /** Alice's latest call's record. Records are written after the messages are relayed (batched, up to 50 ms on), so tests poll it. */
  const latestOfAlice = async () => (await records()).filter((r) => r.caller === '1000').at(-1);

  it('both register with digest authentication; the server holds one binding each, bound to their WebSocket', () => {
    const now = service.clock.now().getTime();
    expect(service.sip!.location.lookup('1000', now)).toHaveLength(1);
    expect(service.sip!.location.lookup('1001', now)[0]!.flow.protocol).toBe('WS');
  });

  it('Alice calls Bob; the SDP passes end to end both ways; Alice puts him on hold and resumes; Bob hangs up', async () => {
    const inviter = call(alice, '1001');
    await inviter.invite();
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    const invitation = bob.invitations[0]!;
    expect(invitation.remoteIdentity.uri.user).toBe('1000');
    // Two Record-Route entries (one per side), whose flow tokens reveal no address to the callee.
    const recordRoutes = invitation.request.getHeaders('record-route');
    expect(recordRoutes).toHaveLength(2);
    for (const entry of recordRoutes) {
      const token = /sip:([^@]+)@/.exec(entry)![1]!;
      expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('127.0.0.1');
    }
    await invitation.accept();
    await eventually(() => stateOf(inviter) === SessionState.Established, 'the call to be established');

    expect(bob.sdp.received.at(-1)).toBe(alice.sdp.sent.at(-1));
    expect(alice.sdp.received.at(-1)).toBe(bob.sdp.sent.at(-1));

    // Hold and resume are re-INVITEs inside the dialog, routed by the route set. The caller holds:
    // her dialog is confirmed the moment she sends the ACK, so no offer can cross it.
    // SIP.js may still be settling the previous re-INVITE's ACK and answer 500 (§14.2); like any
    // client it then tries again (§14.1).
    const reInvite = async (hold: boolean) => {
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        let outcome: 'accepted' | 'retry' | undefined;
        await inviter.invite({
          sessionDescriptionHandlerOptions: { hold } as never,
          requestDelegate: {
            onAccept: () => (outcome = 'accepted'),
            onReject: (response) => (outcome = [491, 500].includes(response.message.statusCode!) ? 'retry' : undefined),
          },
        });
        await eventually(() => outcome !== undefined, `an answer to the ${hold ? 'hold' : 'resume'} offer`);
        if (outcome === 'accepted') return;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
      throw new Error('the re-INVITE was never accepted');
    };
    await reInvite(true);
    expect(bob.sdp.received.at(-1)).toContain('a=sendonly');
    await reInvite(false);
    expect(bob.sdp.received.at(-1)).toContain('a=sendrecv');
    expect(stateOf(inviter)).toBe(SessionState.Established);
    expect(stateOf(invitation)).toBe(SessionState.Established);

    await invitation.bye();
    await eventually(() => stateOf(inviter) === SessionState.Terminated, "Alice's side to end");
    await expect
      .poll(async () => (await records()).find((r) => r.caller === '1000' && r.callee === '1001'))
      .toMatchObject({ status: 'completed', hung_up_by: 'callee', final_status: 200, answered_at: expect.any(Date) });
  });

  it('Alice hangs up a call herself; the record says the caller hung up', async () => {
    bob.invitations.length = 0;
    const inviter = call(alice, '1001');
    await inviter.invite();
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    await bob.invitations[0]!.accept();
    await eventually(() => stateOf(inviter) === SessionState.Established, 'the call to be established');
    await inviter.bye();
    await eventually(() => stateOf(bob.invitations[0]!) === SessionState.Terminated, "Bob's side to end");
    await expect.poll(latestOfAlice).toMatchObject({ status: 'completed', hung_up_by: 'caller' });
  });

  it('Alice cancels before Bob answers; Bob stops ringing; the record says cancelled', async () => {
    bob.invitations.length = 0;
    const inviter = call(alice, '1001');
    await inviter.invite();
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    await inviter.cancel();
    await eventually(() => stateOf(bob.invitations[0]!) === SessionState.Terminated, "Bob's ringing to stop");
    await eventually(() => stateOf(inviter) === SessionState.Terminated, "Alice's attempt to end");
    await expect.poll(latestOfAlice).toMatchObject({ status: 'cancelled', final_status: 487 });
  });

  it('Bob is busy: his 486 reaches Alice', async () => {
    bob.invitations.length = 0;
    let rejected: number | undefined;
    const inviter = call(alice, '1001');
    await inviter.invite({ requestDelegate: { onReject: (response) => (rejected = response.message.statusCode) } });
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    await bob.invitations[0]!.reject({ statusCode: 486 });
    await eventually(() => rejected !== undefined, 'the rejection');
    expect(rejected).toBe(486);
  });

  it('calling an unknown number gets 404; calling a number with no registered device gets 480', async () => {
    // Keyed by target: the two refusals may arrive in either order (the 404 first asks whether the
    // number moved, clause 7).
    const outcomes: Record<string, number> = {};
    // Every response each attempt saw, for the failure message: which one went unanswered, and how far it got.
    const seen: Record<string, number[]> = { '9999': [], '1003': [] };
    for (const target of ['9999', '1003']) {
      await call(alice, target).invite({
        requestDelegate: {
          onProgress: (response) => void seen[target]!.push(response.message.statusCode!),
          onReject: (response) => {
            seen[target]!.push(response.message.statusCode!);
            outcomes[target] = response.message.statusCode!;
          },
        },
      });
    }
    await eventually(
      () => Object.keys(outcomes).length === 2,
      () => `both refusals; responses so far: ${JSON.stringify(seen)}`,
    );
    expect(outcomes).toEqual({ '9999': 404, '1003': 480 });
  });

  it('Bob on two devices: both ring, he answers on the second, the first stops with "answered elsewhere"', async () => {
    const bobTablet = await startSipJsParty(service.wsUrl, service.domain, '1001', { instance: '-tablet' });
    try {
      bob.invitations.length = 0;
      const cancelReasons: string[] = [];
      const inviter = call(alice, '1001');
      await inviter.invite();
      await eventually(() => bob.invitations.length === 1 && bobTablet.invitations.length === 1, 'both devices to ring');
      bob.invitations[0]!.delegate = { onCancel: (cancel) => void cancelReasons.push(cancel.request.getHeader('Reason') ?? '') };
      await bobTablet.invitations[0]!.accept();
      await eventually(() => stateOf(inviter) === SessionState.Established, 'the call to be established');
      await eventually(() => stateOf(bob.invitations[0]!) === SessionState.Terminated, 'the other device to stop ringing');
      expect(cancelReasons[0]).toMatch(/cause=200/);
      expect(cancelReasons[0]).toMatch(/completed elsewhere/i);
      await inviter.bye();
      await expect.poll(async () => (await latestOfAlice())?.callee_device).toContain('tablet');
    } finally {
      await bobTablet.stop();
    }
  });

  it('Alice sends Bob an instant message (RFC 3428 MESSAGE)', async () => {
    await new Messager(alice.ua, UserAgent.makeURI(`sip:1001@${service.domain}`)!, '你好, Bob').message();
    await eventually(() => bob.messages.length === 1, 'the message');
    expect(bob.messages[0]!.request.body).toBe('你好, Bob');
  });

  it('after Bob unregisters, calls to him get 480', async () => {
    await bob.registerer.unregister();
    await eventually(() => service.sip!.location.lookup('1001', service.clock.now().getTime()).length === 0, 'the binding to go');
    let status: number | undefined;
    await call(alice, '1001').invite({ requestDelegate: { onReject: (response) => (status = response.message.statusCode) } });
    await eventually(() => status !== undefined, 'the refusal');
    expect(status).toBe(480);
  });
});
