import { describe, expect, it } from 'vitest';
import { createBranch, createTag } from '../../../src/sip/index.js';
import { pooledRandomBytes, randomText } from '../../../src/sip/transaction/random-pool.js';

describe('the random pool behind branches, tags and nonces', () => {
  it('hands out bytes once: thousands of draws across many refills never repeat', () => {
    const seen = new Set<string>();
    // 20,000 × 10 bytes is about 50 refills of the 4 KiB pool, with draws straddling each boundary.
    for (let i = 0; i < 20_000; i += 1) seen.add(i % 2 === 0 ? randomText(10, 'hex') : pooledRandomBytes(10).toString('hex'));
    expect(seen.size).toBe(20_000);
  });

  it('gives each caller a Buffer of its own that later draws do not change', () => {
    const first = pooledRandomBytes(12);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1_000; i += 1) pooledRandomBytes(12);
    expect(first.equals(copy)).toBe(true);
    expect(first.length).toBe(12);
  });

  it('looks uniform: every byte value turns up, none far more often than the rest', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2_000; i += 1) for (const byte of pooledRandomBytes(128)) counts[byte]! += 1;
    // 256,000 bytes: 1,000 expected per value; ±25 % is about 8 standard deviations.
    for (const count of counts) expect(count).toBeGreaterThan(750);
    for (const count of counts) expect(count).toBeLessThan(1_250);
  });

  it('shapes branches (§8.1.1.7 magic cookie) and tags as before', () => {
    expect(createBranch()).toMatch(/^z9hG4bK[A-Za-z0-9_-]{14}$/);
    expect(createTag()).toMatch(/^[0-9a-f]{16}$/);
    expect(createBranch()).not.toBe(createBranch());
  });

  it('refuses sizes it was not made for', () => {
    expect(() => pooledRandomBytes(257)).toThrow(RangeError);
    expect(() => randomText(-1, 'hex')).toThrow(RangeError);
  });
});
