import { describe, expect, it } from 'vitest';
import { FlowTokenCipher, type FlowTokenClaims } from '../../src/calls/flow-token.js';

const secret = Buffer.from('flow token test secret, not a real one');
const claims: FlowTokenClaims = {
  flow: {
    protocol: 'TCP',
    remoteAddress: '192.0.2.7',
    remotePort: 50_123,
    localAddress: '198.51.100.1',
    localPort: 5060,
    connectionId: 'c42',
  },
  dialog: FlowTokenCipher.dialogOf('call-1@example.test', 'tag-a'),
  party: '8610001',
};

describe('flow tokens (Record-Route)', () => {
  it('opens a token it remembers exactly as a cipher that never saw it deciphers it', () => {
    const issuer = new FlowTokenCipher(secret);
    const token = issuer.seal(claims);
    const remembered = issuer.open(token);
    const deciphered = new FlowTokenCipher(secret).open(token);
    expect(deciphered).not.toBeNull();
    expect(remembered).toEqual(deciphered);
    expect(deciphered!.flow.localPort).toBe(0); // not in the token: the sending socket decides
    const transit = issuer.seal({ ...claims, transit: true });
    expect(issuer.open(transit)).toEqual(new FlowTokenCipher(secret).open(transit));
    expect(issuer.open(transit)?.transit).toBe(true);
  });

  it('refuses a token changed by one character, sealed under another secret, or cut short, however many it remembers', () => {
    const cipher = new FlowTokenCipher(secret);
    const token = cipher.seal(claims);
    expect(cipher.open(token)).not.toBeNull();
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(cipher.open(flipped)).toBeNull();
    expect(cipher.open(new FlowTokenCipher(Buffer.from('another deployment')).seal(claims))).toBeNull();
    expect(cipher.open(token.slice(0, -4))).toBeNull();
    expect(cipher.open('')).toBeNull();
  });

  it('gives each request its own copy: changing one does not change what the next request is told', () => {
    const cipher = new FlowTokenCipher(secret);
    const token = cipher.seal(claims);
    const first = cipher.open(token)!;
    first.flow.remoteAddress = '203.0.113.66';
    first.party = 'someone else';
    expect(cipher.open(token)).toMatchObject({ party: '8610001', flow: { remoteAddress: '192.0.2.7' } });
  });

  it('still opens a dialog token after many newer ones were issued', () => {
    const cipher = new FlowTokenCipher(secret);
    const old = cipher.seal(claims);
    for (let i = 0; i < 45_000; i += 1) cipher.seal({ ...claims, party: String(i) });
    expect(cipher.open(old)?.party).toBe('8610001');
  });
});
