import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSipAccountStatus } from '../../src/calls/index.js';
import { allHeaders, RawPhone } from '../support/raw-phone.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

describe('the proxy at its edges', () => {
  let service: SipTestService;
  let peer: RawUdpPeer;

  beforeAll(async () => {
    // A UDP limit below the 64 KiB a datagram can carry, so an oversized one can be sent.
    service = await startSipTestService({ numbers: ['3000', '3001'], env: { SIP_MAX_MESSAGE_BYTES_UDP: '16384' } });
    peer = await RawUdpPeer.open();
  });
  afterAll(async () => {
    peer?.close();
    await service?.close();
  });

  function request(method: string, uri: string, extra: string[] = [], options: { from?: string; cseqMethod?: string } = {}): string {
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
      `From: <sip:${options.from ?? '3000'}@${service.domain}>;tag=${randomToken()}`,
      `To: <${uri}>`,
      `Call-ID: ${randomToken()}`,
      `CSeq: 1 ${options.cseqMethod ?? method}`,
      `Contact: <sip:3000@127.0.0.1:${peer.port}>`,
      ...extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  /** Alice (3000) and Bob (3001) as raw phones, Bob active again: the policy case below suspends him. */
  async function openAliceAndBob(): Promise<[RawPhone, RawPhone]> {
    const open = (number: string) => RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort });
    const phones: [RawPhone, RawPhone] = [await open('3000'), await open('3001')];
    await setSipAccountStatus(service.ctx.db, '3001', 'active', null, service.clock.now());
    service.sip!.accounts.forget('3001');
    return phones;
  }

  it('answers OPTIONS to the server itself with 200 and its capabilities', async () => {
    peer.send(request('OPTIONS', `sip:${service.domain}`, ['Max-Forwards: 70']), service.sipPort);
    const ok = await peer.next();
    expect(statusLine(ok)).toBe('SIP/2.0 200 OK');
    expect(header(ok, 'Allow')).toContain('INVITE');
    // Only what is implemented is offered: no GRUU (RFC 5627) is ever handed out here.
    expect(header(ok, 'Supported')).toBe('path, outbound');
  });

  it('as a UAS, refuses OPTIONS to itself whose Require names an extension it does not understand (§8.2.2.3)', async () => {
    peer.send(
      request('OPTIONS', `sip:${service.domain}`, ['Max-Forwards: 70', 'Require: foo-bar, outbound', 'Require: baz']),
      service.sipPort,
    );
    const refused = await peer.next();
    expect(statusLine(refused)).toBe('SIP/2.0 420 Bad Extension');
    expect(header(refused, 'Unsupported')).toBe('foo-bar, baz');
    // Also when it answers for a request whose Max-Forwards ran out (§16.3 step 3).
    peer.send(request('OPTIONS', `sip:3001@${service.domain}`, ['Max-Forwards: 0', 'Require: foo-bar']), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 420 Bad Extension');
    // What it supports may be required.
    peer.send(request('OPTIONS', `sip:${service.domain}`, ['Max-Forwards: 70', 'Require: Outbound']), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 200 OK');
  });

  it('answers a request that only exists within a dialog, sent outside one, 481; not 405, whose Allow lists it', async () => {
    for (const method of ['BYE', 'PRACK', 'UPDATE', 'INFO', 'NOTIFY']) {
      peer.send(request(method, `sip:3001@${service.domain}`, ['Max-Forwards: 70']), service.sipPort);
      expect(statusLine(await peer.next()), method).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    }
    // A method this server does not allow at all is 405 with what it does allow.
    peer.send(request('SUBSCRIBE', `sip:3001@${service.domain}`, ['Max-Forwards: 70', 'Event: presence']), service.sipPort);
    const notAllowed = await peer.next();
    expect(statusLine(notAllowed)).toBe('SIP/2.0 405 Method Not Allowed');
    expect(header(notAllowed, 'Allow')!.split(', ')).not.toContain('SUBSCRIBE');
  });

  it('refuses a request whose Max-Forwards reached 0 with 483 (§16.3)', async () => {
    peer.send(request('MESSAGE', `sip:3001@${service.domain}`, ['Max-Forwards: 0']), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 483 Too Many Hops');
  });

  it('refuses a Proxy-Require extension it does not support with 420 and Unsupported', async () => {
    const invite = request('INVITE', `sip:3001@${service.domain}`, ['Max-Forwards: 70', 'Proxy-Require: foo-bar']);
    peer.send(invite, service.sipPort);
    const refused = await peer.next(/^SIP\/2\.0 4/);
    expect(statusLine(refused)).toBe('SIP/2.0 420 Bad Extension');
    expect(header(refused, 'Unsupported')).toBe('foo-bar');
    // §17.1.1.3: the ACK for a non-2xx answer (same branch, the response's To): without it the
    // server's INVITE transaction retransmits the 420 (§17.2.1), into a later test's wait.
    const ack = invite
      .replace(/^INVITE /, 'ACK ')
      .replace(/^To: .*$/m, `To: ${header(refused, 'To')}`)
      .replace(/^CSeq: 1 INVITE$/m, 'CSeq: 1 ACK')
      .replace(/^Proxy-Require: .*\r\n/m, '');
    peer.send(ack, service.sipPort);
  });

  it('refuses a Request-URI scheme it does not route with 416', async () => {
    peer.send(request('MESSAGE', 'tel:+8613800000000', ['Max-Forwards: 70']), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 416 Unsupported URI Scheme');
  });

  it('answers a malformed request with 400 and a reason phrase naming the fault', async () => {
    peer.send(request('MESSAGE', `sip:3001@${service.domain}`, ['Max-Forwards: 70'], { cseqMethod: 'INVITE' }), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 400 CSeq method does not match request method');
  });

  it('drops garbage and oversized datagrams, and keeps answering', async () => {
    peer.send('\u0000\u0001 not SIP at all \r\n\r\n', service.sipPort);
    peer.send(request('OPTIONS', `sip:${service.domain}`, ['Max-Forwards: 70', `X-Padding: ${'x'.repeat(20_000)}`]), service.sipPort);
    peer.send(request('OPTIONS', `sip:${service.domain}`, ['Max-Forwards: 70']), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 200 OK');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(peer.received).toEqual([]);
  });

  it('challenges an INVITE with 407 and refuses to relay to a domain it does not serve', async () => {
    peer.send(request('INVITE', `sip:3001@${service.domain}`, ['Max-Forwards: 70']), service.sipPort);
    const challenge = await peer.next(/^SIP\/2\.0 4/);
    expect(statusLine(challenge)).toBe('SIP/2.0 407 Proxy Authentication Required');
    expect(challenge.split('\r\n').filter((line) => line.startsWith('Proxy-Authenticate:'))).toEqual([
      expect.stringMatching(/algorithm=MD5, qop="auth"$/),
    ]);
    peer.send(request('ACK', `sip:3001@${service.domain}`, ['Max-Forwards: 70']), service.sipPort);

    peer.send(request('MESSAGE', 'sip:someone@elsewhere.example', ['Max-Forwards: 70']), service.sipPort);
    expect(statusLine(await peer.next())).toBe('SIP/2.0 403 Relaying denied');
  });

  it('asks the policy hook before routing: a suspended caller hears why (403), a suspended callee is unavailable (480)', async () => {
    const authenticatedMessage = async (from: string, to: string) => {
      const first = request('MESSAGE', `sip:${to}@${service.domain}`, ['Max-Forwards: 70'], { from });
      peer.send(first, service.sipPort);
      const challenge = await peer.next(/^SIP\/2\.0 407/);
      const authorization = digestAuthorization({
        challenge: header(challenge, 'Proxy-Authenticate')!,
        username: from,
        password: `pw${from}`,
        method: 'MESSAGE',
        uri: `sip:${to}@${service.domain}`,
      });
      peer.send(
        request('MESSAGE', `sip:${to}@${service.domain}`, ['Max-Forwards: 70', `Proxy-Authorization: ${authorization}`], { from }),
        service.sipPort,
      );
      return peer.next(/^SIP\/2\.0 [3-6]/);
    };
    await setSipAccountStatus(service.ctx.db, '3000', 'suspended', 'judicial order', service.clock.now());
    service.sip!.accounts.forget('3000');
    expect(statusLine(await authenticatedMessage('3000', '3001'))).toBe('SIP/2.0 403 Caller account suspended: judicial order');
    await setSipAccountStatus(service.ctx.db, '3000', 'active', null, service.clock.now());
    await setSipAccountStatus(service.ctx.db, '3001', 'suspended', 'overdue payment', service.clock.now());
    service.sip!.accounts.forget('3000');
    service.sip!.accounts.forget('3001');
    expect(statusLine(await authenticatedMessage('3000', '3001'))).toBe('SIP/2.0 480 Callee unavailable');
  });

  it('keeps the Path a device registered through and sends its calls along it as a preloaded Route (RFC 3327 §5.3)', async () => {
    const [alice, bob] = await openAliceAndBob();
    try {
      // Bob sits behind an edge proxy (here Bob's own socket plays it): the REGISTER came through it
      // and carries its Path entry, and Bob said he supports Path.
      const edge = `<sip:edge-token@127.0.0.1:${bob.port};lr>`;
      const registered = await bob.register([`Path: ${edge}`, 'Supported: path']);
      expect(allHeaders(registered, 'Path')).toEqual([edge]);
      expect(service.sip!.location.lookup('3001', service.clock.now().getTime())[0]!.edgePath).toEqual([edge]);

      const call = alice.call('3001');
      const invite = await bob.nextRequest(/^INVITE /);
      // §16.6: the Request-URI is the registered contact; the Path is the Route, before our own entries.
      expect(statusLine(invite)).toBe(`INVITE sip:3001@127.0.0.1:${bob.port} SIP/2.0`);
      expect(allHeaders(invite, 'Route')).toEqual([edge]);
      await call;

      // A UA that did not say it supports Path is not shown it, but its registration keeps it: the 200 carries it only to a UA that supports Path.
      const quiet = await bob.register([`Path: ${edge}`]);
      expect(allHeaders(quiet, 'Path')).toEqual([]);
      expect(service.sip!.location.lookup('3001', service.clock.now().getTime())[0]!.edgePath).toEqual([edge]);
      // A Path that is not a SIP URI is refused: nothing could be routed along it.
      bob.send(
        [
          `REGISTER sip:${service.domain} SIP/2.0`,
          `Via: ${bob.via()}`,
          `From: <sip:3001@${service.domain}>;tag=${randomToken()}`,
          `To: <sip:3001@${service.domain}>`,
          `Call-ID: ${randomToken()}`,
          'CSeq: 1 REGISTER',
          `Contact: ${bob.contact}`,
          'Path: <tel:+8613800000000>',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      expect(statusLine(await bob.nextResponse(/^SIP\/2\.0 [2-6]/))).toBe('SIP/2.0 400 Bad Path header');
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('in Proceeding, the caller hears 100 (Trying) once the INVITE has gone on to a callee that says nothing yet (§17.2.1)', async () => {
    const [alice, bob] = await openAliceAndBob();
    try {
      bob.autoAnswer = false;
      await bob.register();
      const uri = `sip:3001@${service.domain}`;
      const invite = (lines: string[]) =>
        [
          `INVITE ${uri} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${alice.port};branch=z9hG4bK${randomToken()};rport`,
          'Max-Forwards: 70',
          `From: <sip:3000@${service.domain}>;tag=${randomToken()}`,
          `To: <${uri}>`,
          `Call-ID: ${randomToken()}`,
          'CSeq: 1 INVITE',
          `Contact: ${alice.contact}`,
          ...lines,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      alice.send(invite([]));
      const challenge = await alice.nextResponse(/^SIP\/2\.0 407/);
      alice.ackNon2xx(challenge, uri);
      const authorization = digestAuthorization({
        challenge: header(challenge, 'Proxy-Authenticate')!,
        username: '3000',
        password: 'pw3000',
        method: 'INVITE',
        uri,
      });
      const authenticated = invite([`Proxy-Authorization: ${authorization}`]);
      alice.send(authenticated);
      // §16.5: retargeted to Bob's registered contact.
      expect(statusLine(await bob.nextRequest(/^INVITE /))).toBe(`INVITE sip:3001@127.0.0.1:${bob.port} SIP/2.0`);
      await alice.nextResponse(/^SIP\/2\.0 100 Trying/);
      expect(alice.received).toEqual([]);
      // The caller gives up: CANCEL (§9.1, allowed once a provisional response came) ends it with 487.
      alice.send(
        authenticated
          .replace(/^INVITE /, 'CANCEL ')
          .replace('CSeq: 1 INVITE', 'CSeq: 1 CANCEL')
          .replace(/Proxy-Authorization: .*\r\n/, ''),
      );
      await alice.nextResponse(/^SIP\/2\.0 487/);
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('serves SIP over TCP on the same port, framing by Content-Length, answering a keep-alive ping with a pong', async () => {
    const socket = connect(service.sipPort, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const options = request('OPTIONS', `sip:${service.domain}`, ['Max-Forwards: 70']).replace('SIP/2.0/UDP', 'SIP/2.0/TCP');
    // Two messages and a keep-alive in awkward chunks.
    const stream = `${options}\r\n\r\n${options}`;
    for (let i = 0; i < stream.length; i += 37) socket.write(stream.slice(i, i + 37));
    const started = Date.now();
    while ((received.match(/SIP\/2\.0 200 OK/g) ?? []).length < 2 && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 10));
    expect((received.match(/SIP\/2\.0 200 OK/g) ?? []).length).toBe(2);
    // What is left once both responses are taken out is the RFC 5626 §4.4.1 pong: one CRLF.
    expect(received.replace(/SIP\/2\.0 200 OK[\s\S]*?Content-Length: 0\r\n\r\n/g, '')).toBe('\r\n');
    socket.destroy();
  });
});
