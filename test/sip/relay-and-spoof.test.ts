import { createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, randomToken, statusLine } from '../support/raw-sip.js';
import { RawPhone } from '../support/raw-phone.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/**
 * An outside tester's relay and spoof attempts (issue #10). Alice (3100) and Bob (3101) are
 * registered phones; Mallory is an unauthenticated stranger on another address (127.0.0.2) with a
 * UDP and a TCP listener of her own. Whatever Mallory sends, nothing may leave the proxy toward Bob,
 * toward Mallory's listeners, or anywhere else.
 */
describe('the proxy is no relay, and only dialog parties end calls', () => {
  let service: SipTestService;
  let alice: RawPhone;
  let bob: RawPhone;
  let mallory: RawPhone;
  let trapUdp: Socket;
  let trapUdpPort: number;
  const trapUdpReceived: string[] = [];
  let trapTcp: Server;
  let trapTcpPort: number;
  let trapTcpConnections = 0;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['3100', '3101', '3102'] });
    const open = (number: string, address = '127.0.0.1') =>
      RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort, address });
    alice = await open('3100');
    bob = await open('3101');
    mallory = await open('3102', '127.0.0.2');
    await alice.register();
    await bob.register();
    trapUdp = createSocket('udp4');
    await new Promise<void>((resolve) => trapUdp.bind(0, '127.0.0.2', () => resolve()));
    trapUdpPort = trapUdp.address().port;
    trapUdp.on('message', (data) => trapUdpReceived.push(data.toString()));
    trapTcp = createServer((socket) => {
      trapTcpConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trapTcp.listen(0, '127.0.0.2', () => resolve()));
    trapTcpPort = (trapTcp.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const phone of [alice, bob, mallory]) phone?.close();
    trapUdp?.close();
    trapTcp?.close();
    await service?.close();
  });

  /** Waits long enough for anything the proxy might forward to arrive, then says what did. */
  async function whatLeftTheProxy(): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const leaked = [
      ...bob.requests.splice(0).map((m) => `Bob got ${m.split('\r\n')[0]}`),
      ...trapUdpReceived.splice(0).map((m) => `trap UDP got ${m.split('\r\n')[0]}`),
    ];
    if (trapTcpConnections > 0) leaked.push(`trap TCP got ${trapTcpConnections} connection(s)`);
    trapTcpConnections = 0;
    return leaked;
  }

  function strangerRequest(method: string, uri: string, lines: string[]): string {
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: ${mallory.via()}`,
      'Max-Forwards: 70',
      `From: "Bank 95588" <sip:95588@${service.domain}>;tag=${randomToken()}`,
      ...lines,
      `Call-ID: ${randomToken()}`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:95588@127.0.0.2:${mallory.port}>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  const bobAor = () => `sip:3101@${service.domain}`;
  const bobContact = () => `sip:3101@127.0.0.1:${bob.port}`;
  const variants: [string, () => { uri: string; lines: string[] }][] = [
    ['an INVITE with a To tag, to Bob', () => ({ uri: bobAor(), lines: [`To: <${bobAor()}>;tag=${randomToken()}`] })],
    ['an INVITE with a To tag, to Bob’s contact address', () => ({ uri: bobContact(), lines: [`To: <${bobAor()}>;tag=${randomToken()}`] })],
    [
      'an INVITE with a To tag, to an arbitrary TCP port',
      () => ({ uri: `sip:x@127.0.0.2:${trapTcpPort};transport=tcp`, lines: [`To: <sip:x@127.0.0.2>;tag=${randomToken()}`] }),
    ],
    ['an INVITE with a foreign Route', () => ({ uri: bobAor(), lines: [`Route: <sip:127.0.0.2:${trapUdpPort};lr>`, `To: <${bobAor()}>`] })],
    [
      'an INVITE with a foreign Route over TCP',
      () => ({ uri: bobAor(), lines: [`Route: <sip:127.0.0.2:${trapTcpPort};transport=tcp;lr>`, `To: <${bobAor()}>`] }),
    ],
    [
      'an INVITE whose Route names us, then a foreign hop',
      () => ({
        uri: bobAor(),
        lines: [`Route: <sip:127.0.0.1:${service.sipPort};lr>`, `Route: <sip:127.0.0.2:${trapUdpPort};lr>`, `To: <${bobAor()}>`],
      }),
    ],
    [
      'an INVITE with a To tag and a Route naming us with a forged flow token',
      () => ({
        uri: bobContact(),
        lines: [
          `Route: <sip:${Buffer.from(randomToken().repeat(8)).toString('base64url')}@127.0.0.1:${service.sipPort};lr>`,
          `To: <${bobAor()}>;tag=${randomToken()}`,
        ],
      }),
    ],
    ['a MESSAGE with a To tag, to Bob', () => ({ uri: bobAor(), lines: [`To: <${bobAor()}>;tag=${randomToken()}`] })],
    [
      'a BYE with a To tag, to an arbitrary UDP port',
      () => ({ uri: `sip:x@127.0.0.2:${trapUdpPort}`, lines: [`To: <sip:x@127.0.0.2>;tag=${randomToken()}`] }),
    ],
  ];

  it.each(variants)('%s is refused and forwards nothing', async (name, build) => {
    const { uri, lines } = build();
    const method = name.includes('MESSAGE') ? 'MESSAGE' : name.includes('BYE') ? 'BYE' : 'INVITE';
    mallory.send(strangerRequest(method, uri, lines));
    const answer = await mallory.nextResponse(/^SIP\/2\.0 [3-6]\d\d/);
    expect(statusLine(answer)).toMatch(/^SIP\/2\.0 (403|481) /);
    if (method === 'INVITE') mallory.ackNon2xx(answer, uri);
    mallory.received.splice(0);
    expect(await whatLeftTheProxy()).toEqual([]);
  });

  it('an ACK with a foreign Route or a To tag goes nowhere', async () => {
    mallory.send(strangerRequest('ACK', bobContact(), [`Route: <sip:127.0.0.2:${trapUdpPort};lr>`, `To: <${bobAor()}>;tag=x1`]));
    mallory.send(strangerRequest('ACK', `sip:x@127.0.0.2:${trapUdpPort}`, [`To: <${bobAor()}>;tag=x2`]));
    expect(await whatLeftTheProxy()).toEqual([]);
  });

  it('Alice calls Bob; Mallory’s BYE with the call’s Call-ID, tags and route set is refused; the call stays up; Alice’s BYE ends it', async () => {
    const call = await alice.call('3101');
    await bob.nextRequest(/^INVITE /);
    await bob.nextRequest(/^ACK /);
    const record = () => service.ctx.db.selectFrom('call_records').selectAll().where('call_id', '=', call.callId).executeTakeFirstOrThrow();
    await until(async () => (await record()).status === 'answered', 'the call to be answered');

    // Mallory knows everything Alice knows, and sends Alice's own BYE from her address.
    mallory.received.splice(0);
    mallory.send(alice.inDialog('BYE', call, { via: mallory.via() }));
    const refused = await mallory.nextResponse(/^SIP\/2\.0 /);
    expect(statusLine(refused)).toBe('SIP/2.0 403 Not a party to this dialog');
    expect(await whatLeftTheProxy()).toEqual([]);
    expect((await record()).status).toBe('answered');

    // A CANCEL or a re-INVITE from Mallory does no better.
    mallory.received.splice(0);
    mallory.send(alice.inDialog('INVITE', call, { via: mallory.via() }));
    expect(statusLine(await mallory.nextResponse(/^SIP\/2\.0 /))).toBe('SIP/2.0 403 Not a party to this dialog');
    expect(await whatLeftTheProxy()).toEqual([]);

    const answeredAt = (await record()).answered_at!;
    service.clock.advance({ seconds: 42 });
    alice.send(alice.inDialog('BYE', call));
    expect(header(await bob.nextRequest(/^BYE /), 'Call-ID')).toBe(call.callId);
    expect(statusLine(await alice.nextResponse(/^SIP\/2\.0 200/))).toBe('SIP/2.0 200 OK');
    await until(async () => (await record()).status === 'completed', 'the call to be completed');
    const ended = await record();
    expect(ended.hung_up_by).toBe('caller');
    expect(ended.ended_at!.getTime() - answeredAt.getTime()).toBe(42_000);
    expect(ended.duration_ms).toBe(42_000);
  });

  it('a route set from one call does not carry a request of another', async () => {
    const first = await alice.call('3101');
    await bob.nextRequest(/^ACK /);
    const second = await alice.call('3101');
    await bob.nextRequest(/^ACK /);
    bob.requests.splice(0);
    alice.send(alice.inDialog('BYE', second, { routes: first.routeSet }));
    expect(statusLine(await alice.nextResponse(/^SIP\/2\.0 4/))).toBe('SIP/2.0 403 Route issued for another dialog');
    expect(await whatLeftTheProxy()).toEqual([]);
    for (const call of [first, second]) {
      alice.send(alice.inDialog('BYE', call));
      await alice.nextResponse(/^SIP\/2\.0 200/);
      await bob.nextRequest(/^BYE /);
    }
  });

  it('a CANCEL for Alice’s ringing call from Mallory is refused and leaves nothing behind; Alice’s own CANCEL ends the call', async () => {
    bob.autoAnswer = false;
    try {
      const callId = randomToken();
      const branch = `z9hG4bK${randomToken()}`;
      const via = `SIP/2.0/UDP 127.0.0.1:${alice.port};branch=${branch};rport`;
      const invite = (auth?: string) =>
        [
          `INVITE sip:3101@${service.domain} SIP/2.0`,
          `Via: ${via}`,
          'Max-Forwards: 70',
          `From: <sip:3100@${service.domain}>;tag=ct1`,
          `To: <sip:3101@${service.domain}>`,
          `Call-ID: ${callId}`,
          'CSeq: 1 INVITE',
          `Contact: ${alice.contact}`,
          ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      // Authenticate as Alice would (same branch for the CANCEL to match).
      const { digestAuthorization } = await import('../support/raw-sip.js');
      alice.send(invite().replace(branch, `${branch}x`));
      const challenge = await alice.nextResponse(/^SIP\/2\.0 407/);
      const md5 =
        challenge.split('\r\n').find((l) => l.startsWith('Proxy-Authenticate:') && /MD5/.test(l)) ??
        header(challenge, 'Proxy-Authenticate')!;
      alice.send(
        invite(
          digestAuthorization({
            challenge: md5,
            username: '3100',
            password: 'pw3100',
            method: 'INVITE',
            uri: `sip:3101@${service.domain}`,
          }),
        ),
      );
      // Bob rings, so the proxy stops retransmitting the INVITE: a retransmission is not a leak.
      bob.respond(await bob.nextRequest(/^INVITE /), 180, 'Ringing');
      await alice.nextResponse(/^SIP\/2\.0 180/);
      const cancel = invite()
        .replace(/^INVITE /, 'CANCEL ')
        .replace('CSeq: 1 INVITE', 'CSeq: 1 CANCEL');
      mallory.received.splice(0);
      mallory.send(cancel);
      expect(statusLine(await mallory.nextResponse(/^SIP\/2\.0 /))).toBe('SIP/2.0 403 Not the caller');
      expect(await whatLeftTheProxy()).toEqual([]);
      const record = () =>
        service.ctx.db.selectFrom('call_records').select('status').where('call_id', '=', callId).executeTakeFirstOrThrow();
      expect((await record()).status).toBe('ringing');
      // Mallory's attempt left nothing behind: Alice's own CANCEL (same branch) still works.
      alice.send(cancel);
      await alice.nextResponse(/^SIP\/2\.0 200 [\s\S]*CSeq: 1 CANCEL/);
      expect(statusLine(await alice.nextResponse(/^SIP\/2\.0 487/))).toBe('SIP/2.0 487 Request Terminated');
      await until(async () => (await record()).status === 'cancelled', 'the call to be recorded cancelled');
    } finally {
      bob.autoAnswer = true;
    }
  });
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
