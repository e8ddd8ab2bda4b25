import { describe, expect, it } from 'vitest';
import { createEdgeGuard } from '../../src/calls/edge-guard.js';
import { InMemorySipBanList } from '../../src/calls/sip-bans.js';
import { SourceRateLimit } from '../../src/sip/transport/source-rate-limit.js';

describe('the per-source rate limit (token bucket)', () => {
  it('lets a source send its burst, then its rate, and refills while it is quiet', () => {
    let now = 0;
    const limit = new SourceRateLimit({ ratePerSecond: 10, burst: 5, now: () => now });
    const admitted = () => Array.from({ length: 20 }, () => limit.take('192.0.2.1')).filter(Boolean).length;
    expect(admitted()).toBe(5);
    now += 1000;
    expect(admitted()).toBe(5); // ten tokens accrued, but the bucket holds five
    now += 300;
    expect(admitted()).toBe(3);
    expect(limit.take('192.0.2.2')).toBe(true); // another source has its own bucket
  });

  it('stays bounded when an attacker uses many addresses', () => {
    const limit = new SourceRateLimit({ ratePerSecond: 10, burst: 5, maxSources: 1000, now: () => 0 });
    for (let i = 0; i < 50_000; i += 1) limit.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(limit.trackedSources).toBeLessThanOrEqual(1000);
  });
});

describe('the ban list', () => {
  const policy = { windowMs: 60_000, sourceFailures: 3, usernameFailures: 5, banMs: 600_000, trustMs: 3_600_000 };

  it('bans a source at its threshold within the window, not when failures are spread out, and lets the ban expire', async () => {
    let now = 0;
    const bans = new InMemorySipBanList(policy, () => now);
    await bans.recordFailure({ address: '192.0.2.1', username: null, reason: 'wrong-response' });
    now += 61_000;
    await bans.recordFailure({ address: '192.0.2.1', username: null, reason: 'wrong-response' });
    await bans.recordFailure({ address: '192.0.2.1', username: null, reason: 'wrong-response' });
    expect(bans.isBanned('source', '192.0.2.1')).toBe(false);
    const [ban] = await bans.recordFailure({ address: '192.0.2.1', username: null, reason: 'unknown-user' });
    expect(ban).toMatchObject({ kind: 'source', value: '192.0.2.1', failures: 3, reason: 'unknown-user' });
    expect(bans.isBanned('source', '192.0.2.1')).toBe(true);
    now += 600_000;
    expect(bans.isBanned('source', '192.0.2.1')).toBe(false);
    expect(await bans.list()).toEqual([]);
  });

  it('never bans an exempt source, and trusts an address that authenticated as the username', async () => {
    const bans = new InMemorySipBanList({ ...policy, exemptSources: ['127.0.0.1'] }, () => 0);
    for (let i = 0; i < 10; i += 1) await bans.recordFailure({ address: '127.0.0.1', username: 'alice', reason: 'wrong-response' });
    expect(bans.isBanned('source', '127.0.0.1')).toBe(false);
    expect(bans.isBanned('username', 'alice')).toBe(true);
    await bans.recordSuccess('alice', '198.51.100.4');
    expect(bans.isTrusted('alice', '198.51.100.4')).toBe(true);
    expect(bans.isTrusted('alice', '198.51.100.5')).toBe(false);
    expect(await bans.lift('username', 'alice')).toBe(true);
    expect(await bans.lift('username', 'alice')).toBe(false);
  });

  it('keeps its tables bounded', async () => {
    const bans = new InMemorySipBanList({ ...policy, sourceFailures: 1, maxEntries: 100 }, () => 0);
    for (let i = 0; i < 1000; i += 1)
      await bans.recordFailure({ address: `10.0.${i >> 8}.${i & 255}`, username: null, reason: 'bad-nonce' });
    expect((await bans.list()).length).toBeLessThanOrEqual(100);
  });
});

describe('the edge guard', () => {
  it('drops a banned source before its rate is even counted, and never limits an exempt one', async () => {
    const bans = new InMemorySipBanList({ windowMs: 60_000, sourceFailures: 1, usernameFailures: 99, banMs: 60_000, trustMs: 0 }, () => 0);
    const refused: string[] = [];
    const guard = createEdgeGuard({
      ratePerSecond: 1,
      burst: 2,
      exempt: ['127.0.0.1'],
      bans,
      now: () => 0,
      onRefused: (r) => refused.push(r),
    });
    expect([guard.admitMessage('192.0.2.9'), guard.admitMessage('192.0.2.9'), guard.admitMessage('192.0.2.9')]).toEqual([
      true,
      true,
      false,
    ]);
    await bans.recordFailure({ address: '192.0.2.8', username: null, reason: 'wrong-response' });
    expect(guard.admitConnection('192.0.2.8')).toBe(false);
    expect(Array.from({ length: 100 }, () => guard.admitMessage('127.0.0.1')).every(Boolean)).toBe(true);
    expect(refused).toEqual(['rate-limited', 'banned']);
  });
});
