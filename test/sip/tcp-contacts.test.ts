import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { eventually } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/** A desk phone on TCP that registered and then dropped its connection is still reachable (§18.1.1). */
describe('a TCP contact whose connection closed', () => {
  let service: SipTestService;
  let phone: Server;
  let phonePort: number;
  const phoneReceived: string[] = [];

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['7000', '7001'] });
    phone = createServer((socket: Socket) => {
      socket.on('data', (chunk) => {
        const text = chunk.toString();
        phoneReceived.push(text);
        // Answer a MESSAGE with 200 on the same connection, copying the headers §8.2.6 asks for.
        if (text.startsWith('MESSAGE')) {
          const copy = (name: string) => text.split('\r\n').filter((line) => line.startsWith(`${name}:`));
          socket.write(
            [
              'SIP/2.0 200 OK',
              ...copy('Via'),
              ...copy('From'),
              `${copy('To')[0]};tag=phone`,
              ...copy('Call-ID'),
              ...copy('CSeq'),
              'Content-Length: 0',
              '',
              '',
            ].join('\r\n'),
          );
        }
      });
    });
    await new Promise<void>((resolve) => phone.listen(0, '127.0.0.1', () => resolve()));
    phonePort = (phone.address() as { port: number }).port;
  });
  afterAll(async () => {
    phone?.close();
    await service?.close();
  });

  it('keeps the registration after the phone hangs up its TCP connection, and opens a new connection to deliver a MESSAGE', async () => {
    const socket = connect(service.sipPort, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const register = (cseq: number, authorization?: string) =>
      [
        `REGISTER sip:${service.domain} SIP/2.0`,
        `Via: SIP/2.0/TCP 127.0.0.1:${phonePort};branch=z9hG4bK${randomToken()}`,
        'Max-Forwards: 70',
        `From: <sip:7000@${service.domain}>;tag=phone`,
        `To: <sip:7000@${service.domain}>`,
        'Call-ID: phone-registration',
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:7000@127.0.0.1:${phonePort};transport=tcp>`,
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    socket.write(register(1));
    await eventually(() => received.includes('401 Unauthorized'), 'the challenge');
    const challenge = received;
    received = '';
    const authorization = digestAuthorization({
      challenge: header(challenge, 'WWW-Authenticate')!,
      username: '7000',
      password: 'pw7000',
      method: 'REGISTER',
      uri: `sip:${service.domain}`,
    });
    socket.write(register(2, authorization));
    await eventually(() => received.includes('200 OK'), 'the registration');
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(service.sip!.location.lookup('7000', service.clock.now().getTime())).toHaveLength(1);

    const sender = await RawUdpPeer.open();
    try {
      const message = (authorization?: string) =>
        [
          `MESSAGE sip:7000@${service.domain} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${sender.port};branch=z9hG4bK${randomToken()};rport`,
          'Max-Forwards: 70',
          `From: <sip:7001@${service.domain}>;tag=sender`,
          `To: <sip:7000@${service.domain}>`,
          'Call-ID: message-to-desk-phone',
          `CSeq: ${authorization ? 2 : 1} MESSAGE`,
          ...(authorization ? [`Proxy-Authorization: ${authorization}`] : []),
          'Content-Type: text/plain',
          'Content-Length: 5',
          '',
          'hello',
        ].join('\r\n');
      sender.send(message(), service.sipPort);
      const proxyChallenge = await sender.next(/^SIP\/2\.0 407/);
      sender.send(
        message(
          digestAuthorization({
            challenge: header(proxyChallenge, 'Proxy-Authenticate')!,
            username: '7001',
            password: 'pw7001',
            method: 'MESSAGE',
            uri: `sip:7000@${service.domain}`,
          }),
        ),
        service.sipPort,
      );
      expect(statusLine(await sender.next(/^SIP\/2\.0 [2-6]/))).toBe('SIP/2.0 200 OK');
      expect(phoneReceived.some((text) => text.startsWith('MESSAGE') && text.endsWith('hello'))).toBe(true);
    } finally {
      sender.close();
    }
  });
});
