import { describe, expect, it } from 'vitest';
import { computeHa1, DigestAuthenticator } from '../../src/sip/auth/digest.js';
import type { SipHeader, SipRequest } from '../../src/sip/message/index.js';
import { digestAuthorization } from '../support/raw-sip.js';

/** Which digest challenges a client is offered (issue #10), and that what it answers is accepted. */
describe('DigestAuthenticator.challenges', () => {
  const digest = new DigestAuthenticator({
    realm: 'vp.test',
    secret: Buffer.alloc(32, 7),
    nonceLifetimeSeconds: 300,
    now: () => Date.now(),
  });
  const request = (headers: SipHeader[] = [], method = 'REGISTER'): SipRequest => ({
    kind: 'request',
    method,
    uri: 'sip:vp.test',
    headers: [{ name: 'Call-ID', value: 'c1' }, ...headers],
    body: Buffer.alloc(0),
  });
  const algorithms = (challenges: string[]) => challenges.map((value) => /algorithm=([\w-]+)/.exec(value)![1]);
  const credentials = (name: 'Authorization' | 'Proxy-Authorization', algorithm: string): SipHeader => ({
    name,
    value: `Digest username="2000", realm="vp.test", nonce="n", uri="sip:vp.test", response="00", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="c"`,
  });

  it.each(['baresip v1.0.0 (x86_64/linux)', 'Linphonec/5.1.65', 'JsSIP 3.13.8', 'SIP.js/0.21.2', 'sipp', 'Some RFC 8760 phone'])(
    'offers MD5 alone to a client that has not answered with SHA-256, whatever its User-Agent (%s)',
    (userAgent) => {
      expect(algorithms(digest.challenges(request([{ name: 'User-Agent', value: userAgent }])))).toEqual(['MD5']);
    },
  );

  it('offers MD5 alone to a request without User-Agent, and to one that answered with MD5 (or named no algorithm)', () => {
    expect(algorithms(digest.challenges(request()))).toEqual(['MD5']);
    expect(algorithms(digest.challenges(request([credentials('Authorization', 'MD5')])))).toEqual(['MD5']);
    expect(algorithms(digest.challenges(request([credentials('Authorization', 'MD5-sess')])))).toEqual(['MD5']);
    const noAlgorithm = {
      name: 'Authorization',
      value: 'Digest username="2000", realm="vp.test", nonce="n", uri="sip:vp.test", response="00"',
    };
    expect(algorithms(digest.challenges(request([noAlgorithm])))).toEqual(['MD5']);
  });

  it.each<['Authorization' | 'Proxy-Authorization', string]>([
    ['Authorization', 'SHA-256'],
    ['Authorization', '"sha-256"'],
    ['Proxy-Authorization', 'SHA-256'],
  ])('offers SHA-256 first and MD5 second, with one nonce, to a request whose %s answered with %s', (name, algorithm) => {
    const challenges = digest.challenges(request([credentials(name, algorithm)], name === 'Authorization' ? 'REGISTER' : 'INVITE'), true);
    expect(algorithms(challenges)).toEqual(['SHA-256', 'MD5']);
    expect(new Set(challenges.map((value) => /nonce="([^"]+)"/.exec(value)![1])).size).toBe(1);
    for (const value of challenges) expect(value).toMatch(/qop="auth", stale=true$/);
  });

  it('does not take SHA-256-sess or a SHA-256 that is only part of another value for SHA-256', () => {
    expect(algorithms(digest.challenges(request([credentials('Authorization', 'SHA-256-sess')])))).toEqual(['MD5']);
    const inUsername = { name: 'Authorization', value: 'Digest username="algorithm=SHA-256", realm="vp.test", algorithm=MD5' };
    expect(algorithms(digest.challenges(request([inUsername])))).toEqual(['MD5']);
  });

  it('accepts SHA-256 credentials for a nonce that was offered with MD5, and MD5 ones', async () => {
    const [challenge] = digest.challenges(request());
    const stored = { ha1: computeHa1('2000', 'vp.test', 'pw2000') };
    for (const [index, algorithm] of ['SHA-256', 'MD5'].entries()) {
      const authorization = digestAuthorization({
        challenge: challenge!.replace('algorithm=MD5', `algorithm=${algorithm}`),
        username: '2000',
        password: 'pw2000',
        method: 'REGISTER',
        uri: 'sip:vp.test',
        nc: index + 1, // one nonce, so the count must go up (RFC 7616 §3.4)
      });
      const verdict = await digest.verify(request([{ name: 'Authorization', value: authorization }]), 'Authorization', async () => stored);
      expect(verdict).toEqual({ ok: true, username: '2000' });
    }
  });
});

/** HA1 against the published examples, computed by hand with md5sum and sha256sum. */
describe('computeHa1', () => {
  it('matches RFC 2617 §3.5 (MD5) and RFC 7616 §3.9.1 (SHA-256)', () => {
    expect(computeHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life').MD5).toBe('939e7578ed9e3c518a452acee763bce9');
    expect(computeHa1('Mufasa', 'http-auth@example.org', 'Circle of Life')['SHA-256']).toBe(
      '7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232',
    );
  });
});
