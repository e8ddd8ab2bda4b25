import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JsSIP from 'jssip';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import {
  eventually,
  installJsSipPeerConnection,
  installNodeWebSocket,
  startSipJsParty,
  type SdpLog,
  type SipJsParty,
} from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

type JsSipSession = {
  isEstablished(): boolean;
  isEnded(): boolean;
  answer(options: unknown): void;
  terminate(options?: unknown): void;
  on(event: string, listener: (event: { cause?: string; originator?: string }) => void): void;
  direction: 'incoming' | 'outgoing';
};

/** JsSIP, a second SIP stack we did not write, against our server and a SIP.js peer. */
describe('JsSIP through our registrar and proxy', () => {
  let service: SipTestService;
  let carol: InstanceType<typeof JsSIP.UA>;
  let alice: SipJsParty;
  const carolSdp: SdpLog = { sent: [], received: [] };
  const carolIncoming: JsSipSession[] = [];

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['1000', '1002'] });
    installNodeWebSocket();
    installJsSipPeerConnection('1002', carolSdp);
    JsSIP.debug.disable();
    alice = await startSipJsParty(service.wsUrl, service.domain, '1000');
    carol = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(service.wsUrl)],
      uri: `sip:1002@${service.domain}`,
      password: 'pw1002',
      register: true,
      session_timers: false,
    });
    carol.on('newRTCSession', (event: { session: JsSipSession; originator: string }) => {
      if (event.originator === 'remote') carolIncoming.push(event.session);
    });
    const registered = new Promise<void>((resolve, reject) => {
      carol.on('registered', () => resolve());
      carol.on('registrationFailed', (event) => reject(new Error(`JsSIP registration failed: ${String(event.cause)}`)));
    });
    carol.start();
    await registered;
  });
  afterAll(async () => {
    carol?.stop();
    await alice?.stop();
    await service?.close();
  });

  it('registers with digest authentication over WebSocket', () => {
    expect(service.sip!.location.lookup('1002', service.clock.now().getTime())).toHaveLength(1);
  });

  it('Carol (JsSIP) calls Alice (SIP.js); Alice answers; the SDP crosses; Carol hangs up', async () => {
    const session = carol.call(`sip:1000@${service.domain}`, {
      mediaConstraints: { audio: false, video: false },
    }) as unknown as JsSipSession;
    let ended: string | undefined;
    session.on('ended', (event) => (ended = event.originator));
    await eventually(() => alice.invitations.length === 1, 'Alice to ring');
    await alice.invitations[0]!.accept();
    await eventually(() => session.isEstablished(), 'the JsSIP call to be established');
    expect(carolSdp.sent).toContain(alice.sdp.received.at(-1));
    expect(carolSdp.received.at(-1)).toBe(alice.sdp.sent.at(-1));

    session.terminate();
    await eventually(() => alice.invitations[0]!.state === SessionState.Terminated, "Alice's side to end");
    expect(ended).toBe('local');
    // The record is written after the BYE is relayed (batched, up to 50 ms on).
    await expect
      .poll(() => service.ctx.db.selectFrom('call_records').selectAll().where('caller', '=', '1002').executeTakeFirst())
      .toMatchObject({ callee: '1000', status: 'completed', hung_up_by: 'caller' });
  });

  it('Alice (SIP.js) calls Carol (JsSIP); Carol answers; Alice hangs up', async () => {
    const inviter = new Inviter(alice.ua, UserAgent.makeURI(`sip:1002@${service.domain}`)!);
    await inviter.invite();
    await eventually(() => carolIncoming.length === 1, 'Carol to ring');
    const incoming = carolIncoming[0]!;
    incoming.answer({ mediaConstraints: { audio: false, video: false } });
    await eventually(() => inviter.state === SessionState.Established, 'the call to be established');
    await inviter.bye();
    await eventually(() => incoming.isEnded(), "Carol's side to end");
  });

  it('Carol declines a call from Alice with 603; Alice hears the decline', async () => {
    let status: number | undefined;
    const inviter = new Inviter(alice.ua, UserAgent.makeURI(`sip:1002@${service.domain}`)!);
    await inviter.invite({ requestDelegate: { onReject: (response) => (status = response.message.statusCode) } });
    await eventually(() => carolIncoming.length === 2, 'Carol to ring');
    carolIncoming[1]!.terminate({ status_code: 603, reason_phrase: 'Decline' });
    await eventually(() => status !== undefined, 'the decline');
    expect(status).toBe(603);
  });
});
