import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovedNumbers } from '../../src/calls/index.js';
import { allHeaders, RawPhone } from '../support/raw-phone.js';
import { digestAuthorization, header, randomToken, statusLine } from '../support/raw-sip.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/**
 * Clause 7: a number change announced with a maintenance window. For a period after it, calls to
 * the old number are answered with the new one (RFC 3261 §21.3.2 301 Moved Permanently).
 */
describe('calls to a number that changed', () => {
  let service: SipTestService;
  let zhang: RawPhone;
  const changedAt = new Date('2026-03-01T00:00:00Z');
  const answeredUntil = new Date('2026-03-31T00:00:00Z');
  const asked: { number: string; at: string }[] = [];
  // A stand-in for the maintenance module's data: 6001 became 6002 on 1 March, answered so for 30 days.
  const moved: MovedNumbers = {
    movedTo: async (number, at) => {
      asked.push({ number, at: at.toISOString() });
      return number === '6001' && at >= changedAt && at < answeredUntil ? '6002' : null;
    },
  };

  beforeAll(async () => {
    // 6001 has no account any more: its subscriber now has 6002.
    service = await startSipTestService({ numbers: ['6000', '6002'], movedNumbers: moved });
    zhang = await RawPhone.open({ number: '6000', domain: service.domain, proxyPort: service.sipPort });
  });
  afterAll(async () => {
    zhang?.close();
    await service?.close();
  });

  /** An out-of-dialog request from Zhang (6000), authenticated after the proxy's 407; its final response. */
  async function send(method: 'INVITE' | 'MESSAGE', to: string): Promise<string> {
    const uri = `sip:${to}@${service.domain}`;
    const callId = randomToken();
    const fromTag = randomToken();
    const build = (cseq: number, auth?: string) =>
      [
        `${method} ${uri} SIP/2.0`,
        `Via: ${zhang.via()}`,
        'Max-Forwards: 70',
        `From: <sip:6000@${service.domain}>;tag=${fromTag}`,
        `To: <${uri}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: ${zhang.contact}`,
        ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    zhang.send(build(1));
    const challenge = await zhang.nextResponse(/^SIP\/2\.0 407/);
    if (method === 'INVITE') zhang.ackNon2xx(challenge, uri);
    const md5 = allHeaders(challenge, 'Proxy-Authenticate').find((value) => /MD5/i.test(value)) ?? header(challenge, 'Proxy-Authenticate')!;
    zhang.send(build(2, digestAuthorization({ challenge: md5, username: '6000', password: 'pw6000', method, uri })));
    const final = await zhang.nextResponse(/^SIP\/2\.0 [3-6]\d\d/);
    if (method === 'INVITE') zhang.ackNon2xx(final, uri);
    return final;
  }

  it('Zhang calls the old number 6001 during the period: 301 Moved Permanently, Contact the new number, and a Warning that says so in English and Chinese', async () => {
    service.clock.set(new Date('2026-03-10T09:00:00Z'));
    const answer = await send('INVITE', '6001');
    expect(statusLine(answer)).toBe('SIP/2.0 301 Moved Permanently');
    expect(header(answer, 'Contact')).toBe(`<sip:6002@${service.domain}>`);
    const warnings = answer.split('\r\n').filter((line) => line.startsWith('Warning:'));
    expect(warnings).toEqual([
      expect.stringMatching(/^Warning: 399 \S+ "The number 6001 has changed to 6002; please call 6002"$/),
      'Warning: 399 127.0.0.1 "号码 6001 已变更为 6002，请拨打 6002"',
    ]);
    expect(asked.at(-1)).toEqual({ number: '6001', at: '2026-03-10T09:00:00.000Z' });
  });

  it('a MESSAGE to the old number is answered the same way', async () => {
    const answer = await send('MESSAGE', '6001');
    expect(statusLine(answer)).toBe('SIP/2.0 301 Moved Permanently');
    expect(header(answer, 'Contact')).toBe(`<sip:6002@${service.domain}>`);
  });

  it('a number with no account that did not move is still 404, and once the period is over so is the old number', async () => {
    expect(statusLine(await send('INVITE', '6009'))).toBe('SIP/2.0 404 Not Found');
    service.clock.set(new Date('2026-04-02T09:00:00Z'));
    expect(statusLine(await send('INVITE', '6001'))).toBe('SIP/2.0 404 Not Found');
    expect(asked.at(-1)).toEqual({ number: '6001', at: '2026-04-02T09:00:00.000Z' });
  });

  it('a number that has an account is routed as usual, without asking about moves', async () => {
    const before = asked.length;
    // 6002 is provisioned but not registered: the proxy finds it and says it is not reachable now.
    expect(statusLine(await send('INVITE', '6002'))).toBe('SIP/2.0 480 Temporarily Unavailable');
    expect(asked.length).toBe(before);
  });
});
