import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSipAccountStatus } from '../../src/calls/index.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { addStaff, signInCookie } from '../support/test-service.js';

/** Numbers with one device each, for what every registration costs. */
const manyNumbers = Array.from({ length: 250 }, (_, index) => String(3000 + index));

/** RFC 3261 §10.3 over UDP, with a bare peer that writes every byte itself. */
describe('the registrar', () => {
  let service: SipTestService;
  let peer: RawUdpPeer;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['2000', '2001', '2002', '2003', '2004', ...manyNumbers] });
    peer = await RawUdpPeer.open();
  });
  afterAll(async () => {
    peer?.close();
    await service?.close();
  });

  function register(
    number: string,
    options: {
      callId?: string;
      cseq?: number;
      contact?: string;
      expires?: string;
      authorization?: string;
      userAgent?: string;
      headers?: string[];
    } = {},
  ): string {
    return [
      `REGISTER sip:${service.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
      'Max-Forwards: 70',
      `From: <sip:${number}@${service.domain}>;tag=${randomToken()}`,
      `To: <sip:${number}@${service.domain}>`,
      `Call-ID: ${options.callId ?? randomToken()}`,
      `CSeq: ${options.cseq ?? 1} REGISTER`,
      `Contact: ${options.contact ?? `<sip:${number}@127.0.0.1:${peer.port}>`}`,
      ...(options.expires !== undefined ? [`Expires: ${options.expires}`] : []),
      ...(options.authorization ? [`Authorization: ${options.authorization}`] : []),
      ...(options.userAgent ? [`User-Agent: ${options.userAgent}`] : []),
      ...(options.headers ?? []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  /** Sends a REGISTER without credentials and computes an answer to its challenge. */
  async function challengeFor(
    number: string,
    credentials: { username: string; password: string; uri?: string },
  ): Promise<{ callId: string; authorization: string }> {
    const callId = randomToken();
    peer.send(register(number, { callId }), service.sipPort);
    const challenge = await peer.next(/^SIP\/2\.0 401/);
    const authorization = digestAuthorization({
      challenge: header(challenge, 'WWW-Authenticate')!,
      username: credentials.username,
      password: credentials.password,
      method: 'REGISTER',
      uri: credentials.uri ?? `sip:${service.domain}`,
    });
    return { callId, authorization };
  }

  /** REGISTER, answer the challenge, return the final response. */
  async function registerWithAuth(number: string, options: Parameters<typeof register>[1] & { password?: string } = {}): Promise<string> {
    const callId = options.callId ?? randomToken();
    peer.send(register(number, { ...options, callId, cseq: 1 }), service.sipPort);
    const challenge = await peer.next(/^SIP\/2\.0 401/);
    const authorization = digestAuthorization({
      challenge: header(challenge, 'WWW-Authenticate')!,
      username: number,
      password: options.password ?? `pw${number}`,
      method: 'REGISTER',
      uri: `sip:${service.domain}`,
    });
    peer.send(register(number, { ...options, callId, cseq: 2, authorization }), service.sipPort);
    return peer.next(/^SIP\/2\.0 [2-6]\d\d/);
  }

  const offered = (response: string) =>
    response
      .split('\r\n')
      .filter((line) => line.startsWith('WWW-Authenticate:'))
      .map((line) => /algorithm=([\w-]+)/.exec(line)![1]);

  it.each([undefined, 'baresip v1.0.0 (x86_64/linux)', 'Linphonec/5.1.65', 'JsSIP 3.13.8'])(
    'challenges a client with MD5 alone, whatever its User-Agent (%s), and accepts the MD5 answer',
    async (userAgent) => {
      peer.send(register('2000', userAgent ? { userAgent } : {}), service.sipPort);
      const challenge = await peer.next(/^SIP\/2\.0 401/);
      expect(offered(challenge)).toEqual(['MD5']);
      expect(header(challenge, 'WWW-Authenticate')).toMatch(/qop="auth"/);

      const ok = await registerWithAuth('2000', userAgent ? { userAgent } : {});
      expect(statusLine(ok)).toBe('SIP/2.0 200 OK');
      expect(header(ok, 'Contact')).toMatch(/expires=3600/);
    },
  );

  it('challenges a client that answered with SHA-256 with SHA-256 first and MD5 second, and accepts SHA-256 credentials', async () => {
    const callId = randomToken();
    peer.send(register('2000', { callId, cseq: 1 }), service.sipPort);
    // An RFC 8760 client may answer with SHA-256 although only MD5 was offered: the nonce is the same.
    const md5Challenge = header(await peer.next(/^SIP\/2\.0 401/), 'WWW-Authenticate')!;
    const sha256 = (challenge: string, password: string) =>
      digestAuthorization({
        challenge: challenge.replace('algorithm=MD5', 'algorithm=SHA-256'),
        username: '2000',
        password,
        method: 'REGISTER',
        uri: `sip:${service.domain}`,
      });
    peer.send(register('2000', { callId, cseq: 2, authorization: sha256(md5Challenge, 'not-the-password') }), service.sipPort);
    const again = await peer.next(/^SIP\/2\.0 401/);
    expect(offered(again)).toEqual(['SHA-256', 'MD5']);
    const nonces = again
      .split('\r\n')
      .filter((line) => line.startsWith('WWW-Authenticate:'))
      .map((line) => /nonce="([^"]+)"/.exec(line)![1]);
    expect(new Set(nonces).size).toBe(1);

    const shaChallenge = again
      .split('\r\n')
      .find((line) => line.startsWith('WWW-Authenticate:'))!
      .slice('WWW-Authenticate:'.length)
      .trim();
    peer.send(register('2000', { callId, cseq: 3, authorization: sha256(shaChallenge, 'pw2000') }), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 [2-6]\d\d/))).toBe('SIP/2.0 200 OK');
  });

  it('refuses a wrong password with a fresh challenge', async () => {
    const refused = await registerWithAuth('2001', { password: 'not-the-password' });
    expect(statusLine(refused)).toMatch(/^SIP\/2\.0 401/);
  });

  it('refuses a replayed Authorization (the same nonce count twice)', async () => {
    const { callId, authorization } = await challengeFor('2001', { username: '2001', password: 'pw2001' });
    peer.send(register('2001', { callId, cseq: 2, authorization }), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 [2-6]/))).toBe('SIP/2.0 200 OK');
    peer.send(register('2001', { callId, cseq: 3, authorization }), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 [2-6]/))).toMatch(/^SIP\/2\.0 401/);
  });

  it('refuses credentials computed for another URI with 400 (RFC 2617 §3.2.2.5)', async () => {
    const { callId, authorization } = await challengeFor('2001', { username: '2001', password: 'pw2001', uri: 'sip:elsewhere.example' });
    peer.send(register('2001', { callId, cseq: 2, authorization }), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 [2-6]/))).toBe('SIP/2.0 400 Credentials are for another URI');
  });

  it('answers 423 with Min-Expires to a too-short registration', async () => {
    const brief = await registerWithAuth('2001', { expires: '10' });
    expect(statusLine(brief)).toBe('SIP/2.0 423 Interval Too Brief');
    expect(header(brief, 'Min-Expires')).toBe('60');
  });

  it('refuses a REGISTER whose Require names an extension it does not understand with 420, before any challenge (§10.3 step 2)', async () => {
    peer.send(register('2001', { headers: ['Require: path, sec-agree', 'Require: foo'] }), service.sipPort);
    const refused = await peer.next(/^SIP\/2\.0 [2-6]/);
    expect(statusLine(refused)).toBe('SIP/2.0 420 Bad Extension');
    expect(header(refused, 'Unsupported')).toBe('sec-agree, foo');
    // Path and outbound are understood: such a REGISTER goes on to its challenge.
    peer.send(register('2001', { headers: ['Require: path, outbound'] }), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 [2-6]/))).toBe('SIP/2.0 401 Unauthorized');
  });

  it('says Require: outbound in the 200 to a UA that registered an RFC 5626 flow, and only then (§6)', async () => {
    const instance = '+sip.instance="<urn:uuid:2b1e6f0a-6d3e-4c3b-9d7e-0c0ffee00001>";reg-id=1';
    const flow = await registerWithAuth('2001', {
      contact: `<sip:2001@127.0.0.1:${peer.port};ob>;${instance}`,
      headers: ['Supported: path, outbound'],
    });
    expect(statusLine(flow)).toBe('SIP/2.0 200 OK');
    expect(header(flow, 'Require')).toBe('outbound');
    // Without outbound in Supported, the same binding is a plain one (§4.2.1: the UA did not ask).
    const plain = await registerWithAuth('2001', { contact: `<sip:2001@127.0.0.1:${peer.port};ob>;${instance}` });
    expect(statusLine(plain)).toBe('SIP/2.0 200 OK');
    expect(header(plain, 'Require')).toBeUndefined();
    // Nor for a contact without an instance and reg-id.
    const noInstance = await registerWithAuth('2001', { headers: ['Supported: outbound'] });
    expect(header(noInstance, 'Require')).toBeUndefined();
    await registerWithAuth('2001', { contact: '*', expires: '0' });
  });

  it('keeps several contacts per number and removes them all with "*"', async () => {
    await registerWithAuth('2002', { contact: `<sip:2002@127.0.0.1:${peer.port};line=a>` });
    const second = await registerWithAuth('2002', { contact: `<sip:2002@127.0.0.1:${peer.port};line=b>`, expires: '120' });
    expect(second.split('\r\n').filter((line) => line.startsWith('Contact:'))).toHaveLength(2);
    expect(service.sip!.location.lookup('2002', service.clock.now().getTime())).toHaveLength(2);

    const cookie = await signInCookie(service, await addStaff(service, ['support_agent']));
    const view = await service.app.inject({ method: 'GET', url: '/api/console/numbers/2002', headers: { cookie } });
    expect(view.json().registrations.map((r: { transport: string }) => r.transport)).toEqual(['UDP', 'UDP']);

    const removed = await registerWithAuth('2002', { contact: '*', expires: '0' });
    expect(statusLine(removed)).toBe('SIP/2.0 200 OK');
    expect(service.sip!.location.lookup('2002', service.clock.now().getTime())).toHaveLength(0);
  });

  it('keeps a registration without the REGISTER it came in (its strings are its own)', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    // Each REGISTER carries 16 KB that no binding needs; a binding holding a slice of the request's
    // text (its Call-ID, its Contact), or anything else kept as long, would keep all of it.
    const padding = [`X-Padding: ${'p'.repeat(16_384)}`];
    const registerLines = async (from: number, to: number) => {
      for (const number of manyNumbers.slice(from, to)) {
        const ok = await registerWithAuth(number, {
          contact: `<sip:${number}@127.0.0.1:${peer.port};line=${number}>`,
          userAgent: 'Linphone Desktop/5.2.0 (Debian 12) LinphoneCore/5.3.0',
          headers: padding,
        });
        expect(statusLine(ok)).toBe('SIP/2.0 200 OK');
      }
    };
    // The first registrations also compile the code they run (V8 counts that in the heap too).
    await registerLines(0, 50);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const count = 200;
    await registerLines(50, 50 + count);
    const now = service.clock.now().getTime();
    expect(manyNumbers.filter((number) => service.sip!.location.lookup(number, now).length === 1)).toHaveLength(50 + count);
    collectGarbage();
    const perBinding = (process.memoryUsage().heapUsed - before) / count;
    expect(perBinding).toBeLessThan(4_096);
    // And the measurement sees the bindings at all: a heap that shrank meanwhile would pass any bound.
    expect(perBinding).toBeGreaterThan(128);
  });

  it('holds at most SIP_MAX_CONTACTS_PER_NUMBER contacts per number (10): a REGISTER that would pass it is refused whole', async () => {
    const contact = (line: number) => `<sip:2004@127.0.0.1:${peer.port};line=${line}>`;
    const bound = () => service.sip!.location.lookup('2004', service.clock.now().getTime()).length;
    for (let line = 0; line < 10; line += 1)
      expect(statusLine(await registerWithAuth('2004', { contact: contact(line) }))).toBe('SIP/2.0 200 OK');
    expect(bound()).toBe(10);

    // An eleventh contact: 403 with the bound in both languages; nothing in the request is applied.
    const refused = await registerWithAuth('2004', { contact: contact(10) });
    expect(statusLine(refused)).toBe('SIP/2.0 403 Too many registered contacts: at most 10 / 已登记的联系地址过多：最多 10 个');
    const twoNew = await registerWithAuth('2004', { contact: `${contact(11)}, ${contact(0)};expires=0, ${contact(12)}` });
    expect(statusLine(twoNew)).toMatch(/^SIP\/2\.0 403 /);
    expect(bound()).toBe(10);
    expect(service.sip!.location.lookup('2004', service.clock.now().getTime()).some((b) => b.contact.includes('line=0'))).toBe(true);

    // A removal that §10.3 step 7 will skip (not newer than the binding: same Call-ID, same CSeq)
    // frees nothing, so it cannot make room for another contact.
    const callId = randomToken();
    expect(statusLine(await registerWithAuth('2004', { callId, contact: contact(5) }))).toBe('SIP/2.0 200 OK');
    const stale = await registerWithAuth('2004', { callId, contact: `${contact(5)};expires=0, ${contact(13)}` });
    expect(statusLine(stale)).toMatch(/^SIP\/2\.0 403 /);
    expect(bound()).toBe(10);

    // A refresh, and a replacement in one request (one removed, one added), stay within it.
    expect(statusLine(await registerWithAuth('2004', { contact: contact(3), expires: '600' }))).toBe('SIP/2.0 200 OK');
    const swapped = await registerWithAuth('2004', { contact: `${contact(0)};expires=0, ${contact(10)}` });
    expect(statusLine(swapped)).toBe('SIP/2.0 200 OK');
    expect(bound()).toBe(10);

    expect(statusLine(await registerWithAuth('2004', { contact: '*', expires: '0' }))).toBe('SIP/2.0 200 OK');
    expect(bound()).toBe(0);
  });

  it('lets a binding lapse when its expiry passes', async () => {
    await registerWithAuth('2002', { expires: '60' });
    expect(service.sip!.location.lookup('2002', service.clock.now().getTime())).toHaveLength(1);
    service.clock.advance({ seconds: 61 });
    expect(service.sip!.location.lookup('2002', service.clock.now().getTime())).toHaveLength(0);
  });

  it('refuses a suspended number with 403 and the reason staff recorded', async () => {
    await setSipAccountStatus(service.ctx.db, '2001', 'suspended', 'overdue payment', service.clock.now());
    service.sip!.accounts.forget('2001');
    const refused = await registerWithAuth('2001');
    expect(statusLine(refused)).toBe('SIP/2.0 403 Account suspended: overdue payment');
    // Staff see the same reason in the console.
    const cookie = await signInCookie(service, await addStaff(service, ['support_agent']));
    const view = await service.app.inject({ method: 'GET', url: '/api/console/numbers/2001', headers: { cookie } });
    expect(view.json()).toMatchObject({ number: '2001', status: 'suspended', statusReason: 'overdue payment' });
    await setSipAccountStatus(service.ctx.db, '2001', 'active', null, service.clock.now());
    service.sip!.accounts.forget('2001');
  });

  it('refuses credentials for one number used to register another (403)', async () => {
    const { callId, authorization } = await challengeFor('2002', { username: '2000', password: 'pw2000' });
    peer.send(register('2002', { callId, cseq: 2, authorization }), service.sipPort);
    expect(statusLine(await peer.next(/^SIP\/2\.0 [2-6]/))).toBe('SIP/2.0 403 Credentials do not match the To address');
  });

  it('answers a retransmitted REGISTER from the transaction, without processing it again (§17.2.2)', async () => {
    const text = register('2000').replace(`REGISTER sip:${service.domain}`, 'REGISTER sip:elsewhere.example');
    const before = service.sip!.transactions.serverTransactionCount;
    peer.send(text, service.sipPort);
    const first = await peer.next(/^SIP\/2\.0 404/);
    peer.send(text, service.sipPort);
    const second = await peer.next(/^SIP\/2\.0 404/);
    expect(second).toBe(first); // the same response, To tag included: it was not generated anew
    expect(service.sip!.transactions.serverTransactionCount).toBe(before + 1);
  });

  it('challenges statelessly: a retransmitted REGISTER gets a new challenge and no transaction is kept', async () => {
    const text = register('2000');
    const before = service.sip!.transactions.serverTransactionCount;
    peer.send(text, service.sipPort);
    const first = await peer.next(/^SIP\/2\.0 401/);
    peer.send(text, service.sipPort);
    const second = await peer.next(/^SIP\/2\.0 401/);
    expect(header(second, 'WWW-Authenticate')).not.toBe(header(first, 'WWW-Authenticate'));
    expect(service.sip!.transactions.serverTransactionCount).toBe(before);
  });
});
