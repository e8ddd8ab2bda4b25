import { describe, expect, it } from 'vitest';
import { SampledLog } from '../../src/platform/logging.js';

describe('SampledLog', () => {
  it('lets one line per key through per interval, and the next line says how many were left out', () => {
    let now = 0;
    const log = new SampledLog({ intervalMs: 1_000, maxKeys: 10, now: () => now });
    expect(log.take('a')).toEqual({ unlogged: 0 });
    expect(log.take('a')).toBeNull();
    expect(log.take('b')).toEqual({ unlogged: 0 });
    now = 999;
    expect(log.take('a')).toBeNull();
    now = 1_000;
    expect(log.take('a')).toEqual({ unlogged: 2 });
    expect(log.take('a')).toBeNull();
    // A clock set back does not silence a key until it catches up again.
    now = 0;
    expect(log.take('a')).toEqual({ unlogged: 1 });
  });

  it('forgets the key whose line is oldest once it holds maxKeys', () => {
    let now = 0;
    const log = new SampledLog({ intervalMs: 60_000, maxKeys: 3, now: () => now });
    for (const key of ['a', 'b', 'c']) {
      expect(log.take(key)).not.toBeNull();
      now += 1;
    }
    expect(log.take('a')).toBeNull();
    // A fourth key pushes out 'a', the oldest line, so 'a' is logged again; 'c' is still remembered.
    expect(log.take('d')).not.toBeNull();
    expect(log.take('c')).toBeNull();
    expect(log.take('a')).toEqual({ unlogged: 0 });
  });
});
