import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { metricValue } from '../support/test-service.js';

/**
 * Local overload control (src/sip/transaction/overload.ts) with requests really waiting in the
 * server's UDP receive queue. The server runs in this test's thread, and Node reads at most 32
 * datagrams from a socket per turn of its event loop; so the test makes each turn long (a busy
 * stretch of 50 ms) and sends 64 new REGISTERs per turn: the queue grows as it does when more
 * arrives than a server can handle, and the server's probes measure how long it makes them wait.
 */
describe('SIP overload control', () => {
  let service: SipTestService;
  let peer: RawUdpPeer;

  beforeAll(async () => {
    service = await startSipTestService({
      numbers: ['2100', '2101'],
      env: { SIP_OVERLOAD_CONTROL: 'true', SIP_RATE_LIMIT_EXEMPT: '127.0.0.1' },
    });
    peer = await RawUdpPeer.open();
  });
  afterAll(async () => {
    peer?.close();
    await service?.close();
  });

  const metric = (series: string) => metricValue(service, series);

  function request(method: string, options: { toTag?: string; authorization?: string; callId?: string } = {}): string {
    const uri = method === 'REGISTER' ? `sip:${service.domain}` : `sip:2101@${service.domain}`;
    const to = method === 'REGISTER' ? `<sip:2100@${service.domain}>` : `<sip:2101@${service.domain}>`;
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
      'Max-Forwards: 70',
      `From: <sip:2100@${service.domain}>;tag=${randomToken()}`,
      `To: ${to}${options.toTag ? `;tag=${options.toTag}` : ''}`,
      `Call-ID: ${options.callId ?? randomToken()}`,
      `CSeq: 1 ${method}`,
      ...(method === 'REGISTER' ? [`Contact: <sip:2100@127.0.0.1:${peer.port}>`] : []),
      ...(options.authorization ? [`Authorization: ${options.authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  /** Turns of the event loop, each with a busy stretch and 64 new REGISTERs, until `done` holds (or 20 s pass). */
  async function overload(done: () => boolean): Promise<boolean> {
    const started = Date.now();
    while (!done()) {
      if (Date.now() - started > 20_000) return false;
      for (let i = 0; i < 64; i += 1) peer.send(request('REGISTER'), service.sipPort);
      const end = performance.now() + 50;
      while (performance.now() < end) {
        // The turn's other work waits here, as it would behind a flood.
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    return true;
  }

  /** The control admits all, and ten new REGISTERs in a row are challenged, none refused. */
  async function expectEveryRequestAdmitted(): Promise<void> {
    expect(await metric('videophone_sip_overload_admitted_ratio')).toBe(1);
    peer.received.length = 0;
    for (let i = 0; i < 10; i += 1) {
      peer.send(request('REGISTER'), service.sipPort);
      expect(statusLine(await peer.next(/^SIP\/2\.0/))).toBe('SIP/2.0 401 Unauthorized');
    }
  }

  const responsesTo = (callId: string) => peer.received.filter((message) => header(message, 'Call-ID') === callId);

  it('refuses new requests with 503 and Retry-After while requests wait too long, serves what is under way, and admits all again after', async () => {
    // Unloaded: a REGISTER is challenged as usual.
    peer.send(request('REGISTER'), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 401/))).toBe('SIP/2.0 401 Unauthorized');

    // Overloaded: new REGISTERs faster than they are read, until one is refused.
    const refused = () => peer.received.find((message) => message.startsWith('SIP/2.0 503'));
    expect(await overload(() => refused() !== undefined)).toBe(true);
    const refusal = refused()!;
    expect(statusLine(refusal)).toBe('SIP/2.0 503 Service Unavailable');
    const retryAfter = Number(header(refusal, 'Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(5);
    expect(retryAfter).toBeLessThanOrEqual(15);
    expect(header(refusal, 'To')).toMatch(/;tag=sl/);
    expect(header(refusal, 'CSeq')).toBe('1 REGISTER');

    // Still overloaded: requests within a dialog, CANCELs and answers to a challenge are served
    // (481, 481, 401 for a stale answer), never refused, while new REGISTERs sent alongside them
    // still meet refusals.
    const four = () => Array.from({ length: 4 }, () => randomToken());
    const [byes, cancels, answers, alongside] = [four(), four(), four(), [...four(), ...four(), ...four()]];
    for (let i = 0; i < 4; i += 1) {
      peer.send(request('BYE', { toTag: randomToken(), callId: byes[i]! }), service.sipPort);
      peer.send(request('CANCEL', { callId: cancels[i]! }), service.sipPort);
      peer.send(
        request('REGISTER', {
          callId: answers[i]!,
          authorization: `Digest username="2100", realm="${service.domain}", nonce="stale", uri="sip:${service.domain}", response="00000000000000000000000000000000"`,
        }),
        service.sipPort,
      );
    }
    for (const callId of alongside) peer.send(request('REGISTER', { callId }), service.sipPort);
    const everyCall = [...byes, ...cancels, ...answers, ...alongside];
    expect(await overload(() => everyCall.every((callId) => responsesTo(callId).length > 0))).toBe(true);
    const statusOf = (callId: string) => statusLine(responsesTo(callId)[0]!).split(' ')[1];
    expect(byes.map(statusOf)).toEqual(['481', '481', '481', '481']);
    expect(cancels.map(statusOf)).toEqual(['481', '481', '481', '481']);
    expect(answers.map(statusOf)).toEqual(['401', '401', '401', '401']);
    expect(alongside.some((callId) => statusLine(responsesTo(callId)[0]!).startsWith('SIP/2.0 503'))).toBe(true);
    expect(await metric('videophone_sip_overload_refused_total{method="REGISTER"}')).toBeGreaterThanOrEqual(2);
    expect(await metric('videophone_sip_overload_admitted_ratio')).toBeLessThan(1);

    // Idle again: within a few seconds the episode ends, and every new request is admitted.
    for (let attempt = 0; attempt < 100 && (await metric('videophone_sip_overload_admitted_ratio')) < 1; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expectEveryRequestAdmitted();
  });

  it('takes no forged probe for its own: a datagram shaped like one, without the key, reports no wait', async () => {
    // A probe is NUL, a 16-byte key and a monotonic timestamp in ns; these claim a 10 s wait.
    for (let i = 0; i < 30; i += 1) {
      const forged = Buffer.alloc(25);
      randomBytes(16).copy(forged, 1);
      forged.writeBigUInt64BE(process.hrtime.bigint() - 10_000_000_000n, 17);
      peer.sendBytes(forged, service.sipPort);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expectEveryRequestAdmitted();
  });
});
