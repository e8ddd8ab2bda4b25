import { describe, expect, it } from 'vitest';
import { trustedProxyMatcher } from '../../src/platform/http/connection-limits.js';

describe('the reverse proxies exempt from per-source connection caps (TRUST_PROXY)', () => {
  it('are none without TRUST_PROXY and every peer with TRUST_PROXY=true', () => {
    expect(trustedProxyMatcher(false)('10.0.0.1')).toBe(false);
    expect(trustedProxyMatcher(true)('203.0.113.9')).toBe(true);
  });

  it('are the listed addresses and subnets, IPv4 peers of a dual-stack socket included', () => {
    const isProxy = trustedProxyMatcher('10.1.0.0/16, 192.0.2.7,2001:db8::/32');
    expect(['10.1.200.3', '192.0.2.7', '::ffff:10.1.0.9', '2001:db8::1'].map(isProxy)).toEqual([true, true, true, true]);
    expect(['10.2.0.1', '192.0.2.8', '2001:db9::1'].map(isProxy)).toEqual([false, false, false]);
  });
});
