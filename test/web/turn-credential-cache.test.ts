import { describe, expect, it } from 'vitest';
import type { TurnCredentials } from '../../web/src/features/softphone/softphone-api';
import { TurnCredentialCache } from '../../web/src/features/softphone/turn-credential-cache';

/** The softphone holds TURN credentials before a call needs them, so no call waits for the API. */
describe('the softphone’s TURN credentials', () => {
  function issuer() {
    let issued = 0;
    return {
      get issued() {
        return issued;
      },
      fetch: async (): Promise<TurnCredentials> => {
        issued += 1;
        return { urls: ['turn:127.0.0.1:3478?transport=udp'], username: `expiry:${issued}`, credential: `secret-${issued}`, ttl: 600 };
      },
    };
  }

  it('are fetched once when the phone opens and reused by the calls within half their lifetime', async () => {
    let now = 1_000_000;
    const api = issuer();
    const cache = new TurnCredentialCache(api.fetch, () => now);
    cache.prefetch();
    const [first, second] = await Promise.all([cache.get(), cache.get()]);
    expect(api.issued).toBe(1);
    expect(second).toBe(first);
    now += 299_000;
    expect((await cache.get()).username).toBe('expiry:1');
    now += 2_000;
    expect((await cache.get()).username).toBe('expiry:2');
    expect(api.issued).toBe(2);
  });

  it('are asked for again after the relay refused them', async () => {
    const api = issuer();
    const cache = new TurnCredentialCache(api.fetch);
    expect((await cache.get()).username).toBe('expiry:1');
    cache.invalidate();
    expect((await cache.get()).username).toBe('expiry:2');
  });

  it('are asked for again at the next call when the API failed', async () => {
    let fail = true;
    const cache = new TurnCredentialCache(async () => {
      if (fail) throw new Error('503 turn not configured');
      return { urls: [], username: 'u', credential: 'c', ttl: 600 };
    });
    cache.prefetch();
    await expect(cache.get()).rejects.toThrow('503');
    fail = false;
    expect((await cache.get()).username).toBe('u');
  });
});
