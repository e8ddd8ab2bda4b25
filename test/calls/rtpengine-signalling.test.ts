import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { allHeaders, RawPhone } from '../support/raw-phone.js';
import { digestAuthorization, header, randomToken, statusLine } from '../support/raw-sip.js';
import { rtpengineAvailable, startRtpengine, type Rtpengine } from '../support/rtpengine.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/** What a desk phone offers: plain RTP/AVP, no ICE, no DTLS. */
const plainOffer = [
  'v=0',
  'o=- 120925655 834822870 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 36312 RTP/AVP 0 8',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=sendrecv',
  '',
].join('\r\n');

/**
 * The proxy's decisions as SIP shows them, with a real rtpengine on loopback: a plain-RTP phone (a
 * raw UDP phone) calling a browser-like client over WebSocket (SIP.js) is offered rtpengine's SDP;
 * a CANCEL ends the call on rtpengine; two plain phones never involve it; and without rtpengine the
 * caller hears 488 with the reason.
 */
describe.skipIf(!rtpengineAvailable)('media bridging decisions at the SIP level', { timeout: 60_000 }, () => {
  let rtpengine: Rtpengine;
  let bridged: SipTestService;
  let unbridged: SipTestService;
  const closers: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    rtpengine = await startRtpengine();
    bridged = await startSipTestService({ numbers: ['7200', '7201', '7202'], env: { RTPENGINE_URL: rtpengine.url } });
    unbridged = await startSipTestService({ numbers: ['7300', '7301'] });
  }, 240_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await bridged?.close();
    await unbridged?.close();
    await rtpengine?.stop();
  });

  async function rawPhone(service: SipTestService, number: string): Promise<RawPhone> {
    const phone = await RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort });
    closers.push(() => phone.close());
    await phone.register();
    return phone;
  }

  async function browserLike(service: SipTestService, number: string): Promise<SipJsParty> {
    const party = await startSipJsParty(service.wsUrl, service.domain, number);
    closers.push(() => party.stop());
    return party;
  }

  /** Sends an INVITE with `sdp`, answers the 407, and returns the authenticated INVITE as sent. */
  async function invite(phone: RawPhone, callee: string, domain: string, sdp: string): Promise<string> {
    const uri = `sip:${callee}@${domain}`;
    const callId = randomToken();
    const fromTag = randomToken();
    const build = (cseq: number, auth?: string) =>
      [
        `INVITE ${uri} SIP/2.0`,
        `Via: ${phone.via()}`,
        'Max-Forwards: 70',
        `From: <sip:${phone.number}@${domain}>;tag=${fromTag}`,
        `To: <${uri}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} INVITE`,
        `Contact: ${phone.contact}`,
        ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
        'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(sdp)}`,
        '',
        sdp,
      ].join('\r\n');
    phone.send(build(1));
    const challenge = await phone.nextResponse(/^SIP\/2\.0 407/);
    phone.ackNon2xx(challenge, uri);
    const line = challenge.split('\r\n').find((l) => /^Proxy-Authenticate:.*algorithm=MD5/i.test(l))!;
    const authenticated = build(
      2,
      digestAuthorization({ challenge: line, username: phone.number, password: `pw${phone.number}`, method: 'INVITE', uri }),
    );
    phone.send(authenticated);
    return authenticated;
  }

  const offersFor = (callId: string) =>
    rtpengine
      .log()
      .split('\n')
      .filter((line) => line.includes(`[${callId}]`) && line.includes("Received command 'offer'")).length;

  async function rtpengineCalls(): Promise<string[]> {
    const outcome = await rtpengine.client.request('list');
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.reply.calls as string[];
  }

  it('a plain-RTP phone calls a WebSocket client: the client is offered rtpengine’s ICE and DTLS-SRTP; the caller’s CANCEL deletes the call on rtpengine', async () => {
    const [desk, browser] = await Promise.all([rawPhone(bridged, '7200'), browserLike(bridged, '7201')]);
    desk.autoAnswer = false;
    const sent = await invite(desk, '7201', bridged.domain, plainOffer);
    const callId = header(sent, 'Call-ID')!;
    await eventually(() => browser.invitations.length === 1, 'the INVITE reaches the WebSocket client');
    const offered = browser.invitations[0]!.request.body;
    expect(offered).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 8/m);
    expect(offered).toMatch(/^a=ice-ufrag:/m);
    expect(offered).toMatch(/^a=fingerprint:sha-256 /m);
    expect(offered).toMatch(/^a=rtcp-mux/m);
    expect(offered).not.toContain('36312');
    expect(await rtpengineCalls()).toContain(callId);
    expect(bridged.sip!.proxy.bridgedCalls).toBe(1);

    // §9.1: the CANCEL copies the INVITE's Request-URI, Via, From, To, Call-ID and CSeq number.
    const copy = (name: string) => `${name}: ${header(sent, name)!}`;
    desk.send(
      [
        sent.split('\r\n')[0]!.replace('INVITE', 'CANCEL'),
        copy('Via'),
        'Max-Forwards: 70',
        copy('From'),
        copy('To'),
        copy('Call-ID'),
        'CSeq: 2 CANCEL',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(statusLine(await desk.nextResponse(/^SIP\/2\.0 487/))).toBe('SIP/2.0 487 Request Terminated');
    await eventually(() => bridged.sip!.proxy.bridgedCalls === 0, 'the bridge forgets the call');
    for (let tries = 0; tries < 50 && (await rtpengineCalls()).includes(callId); tries++) await new Promise((r) => setTimeout(r, 100));
    expect(await rtpengineCalls()).not.toContain(callId);
    expect(rtpengine.log()).toMatch(new RegExp(`\\[${callId}\\]: \\[control\\] Received command 'delete'`));
  });

  it('the WebSocket client answers: the phone gets plain RTP/AVP; a re-INVITE from the phone is rewritten both ways; BYE deletes the call on rtpengine', async () => {
    const [desk, browser] = await Promise.all([rawPhone(bridged, '7202'), browserLike(bridged, '7201')]);
    desk.autoAnswer = false;
    const sent = await invite(desk, '7201', bridged.domain, plainOffer);
    const callId = header(sent, 'Call-ID')!;
    await eventually(() => browser.invitations.length === 1, 'the INVITE reaches the WebSocket client');
    await browser.invitations[0]!.accept();
    const ok = await desk.nextResponse(/^SIP\/2\.0 200/);
    const answer = ok.slice(ok.indexOf('\r\n\r\n') + 4);
    // The client answered UDP/TLS/RTP/SAVPF; the phone sees rtpengine's plain answer.
    expect(answer).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(answer).not.toMatch(/^a=(ice-ufrag|fingerprint|candidate):/m);
    const call = {
      callId,
      fromTag: /;tag=([^;>\s]+)/.exec(header(sent, 'From')!)![1]!,
      toTag: /;tag=([^;>\s]+)/.exec(header(ok, 'To')!)![1]!,
      remoteTarget: /<([^>]+)>/.exec(header(ok, 'Contact')!)![1]!,
      routeSet: [...allHeaders(ok, 'Record-Route')].reverse(),
      answer: ok,
      cseq: 2,
    };
    desk.send(desk.inDialog('ACK', call, { cseq: 2 }));

    // A re-INVITE from the phone (say, hold): the client gets it as WebRTC, the phone's 200 as plain RTP.
    const hold = plainOffer.replace('a=sendrecv', 'a=sendonly').replace('834822870', '834822871');
    desk.send(
      desk
        .inDialog('INVITE', call)
        .replace(
          'Content-Length: 0\r\n\r\n',
          `Contact: ${desk.contact}\r\nContent-Type: application/sdp\r\nContent-Length: ${hold.length}\r\n\r\n${hold}`,
        ),
    );
    const reAnswer = await desk.nextResponse(/^SIP\/2\.0 200/);
    expect(reAnswer).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(browser.sdp.received.at(-1)).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
    expect(browser.sdp.received.at(-1)).toMatch(/^a=sendonly/m);
    expect(offersFor(callId)).toBe(2);
    desk.send(desk.inDialog('ACK', call, { cseq: call.cseq }));

    desk.send(desk.inDialog('BYE', call));
    await desk.nextResponse(/^SIP\/2\.0 200 .*\r\n[\s\S]*CSeq: \d+ BYE/);
    for (let tries = 0; tries < 50 && (await rtpengineCalls()).includes(callId); tries++) await new Promise((r) => setTimeout(r, 100));
    expect(await rtpengineCalls()).not.toContain(callId);
    expect(bridged.sip!.proxy.bridgedCalls).toBe(0);
  });

  it('two plain-RTP phones call each other without rtpengine', async () => {
    const [caller, callee] = await Promise.all([rawPhone(bridged, '7202'), rawPhone(bridged, '7200')]);
    const sent = await invite(caller, '7200', bridged.domain, plainOffer);
    const request = await callee.nextRequest(/^INVITE /);
    expect(request).toContain('m=audio 36312 RTP/AVP 0 8');
    await caller.nextResponse(/^SIP\/2\.0 200/);
    expect(offersFor(header(sent, 'Call-ID')!)).toBe(0);
    expect(bridged.sip!.proxy.bridgedCalls).toBe(0);
  });

  it('without rtpengine, a plain-RTP phone calling a WebSocket client hears 488 with the reason in English and Chinese; nothing rings', async () => {
    const [desk, browser] = await Promise.all([rawPhone(unbridged, '7300'), browserLike(unbridged, '7301')]);
    desk.autoAnswer = false;
    await invite(desk, '7301', unbridged.domain, plainOffer);
    const refusal = await desk.nextResponse(/^SIP\/2\.0 [3-6]\d\d/);
    expect(statusLine(refusal)).toBe('SIP/2.0 488 Not Acceptable Here');
    const warnings = refusal.split('\r\n').filter((line) => /^Warning:/i.test(line));
    expect(warnings).toEqual([
      expect.stringMatching(/^Warning: 302 \S+ "This call needs a media relay between a browser and a SIP phone, and none is configured"$/),
      expect.stringMatching(/^Warning: 302 \S+ "此通话需要在浏览器与 SIP 话机之间使用媒体中继，但未配置媒体中继"$/),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(browser.invitations).toHaveLength(0);
    const record = await unbridged.ctx.db.selectFrom('call_records').selectAll().where('caller', '=', '7300').executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'failed', final_status: 488 });
  });
});
