import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LocalNonceCounts, type NonceCounts } from '../sip/index.js';

export const NONCE_COUNT_KEY_PREFIX = 'videophone:nc:';

/**
 * Records `nc` only when it is above the count stored for the nonce, in one step (a Lua script runs
 * atomically), so the same answer sent to two nodes at once passes on one of them only.
 */
const ACCEPT_COUNT = `
local seen = tonumber(redis.call('GET', KEYS[1]))
local nc = tonumber(ARGV[1])
if seen and nc <= seen then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

interface NonceScripts {
  acceptNonceCount(key: string, nc: number, ttlMs: number): Promise<number>;
}

/**
 * Digest nonce counts shared by every node through Redis (RFC 7616 §3.4 replay protection): an
 * answer replayed to another node is refused as it is on the node that saw it first. Every count
 * is also kept locally; while Redis is away, that local record alone decides (a replay to the same
 * node is still refused; one to another node is not, until Redis is back), so the edge keeps
 * serving.
 */
export class RedisNonceCounts implements NonceCounts {
  readonly #local: LocalNonceCounts;
  #warned = false;

  constructor(
    private readonly redis: Redis,
    now: () => number,
    private readonly logger: Logger,
  ) {
    redis.defineCommand('acceptNonceCount', { numberOfKeys: 1, lua: ACCEPT_COUNT });
    this.#local = new LocalNonceCounts(now);
  }

  async accept(nonce: string, nc: number, ttlMs: number): Promise<boolean> {
    if (!this.#local.accept(nonce, nc, ttlMs)) return false;
    try {
      const accepted = await (this.redis as unknown as NonceScripts).acceptNonceCount(NONCE_COUNT_KEY_PREFIX + nonce, nc, ttlMs);
      this.#warned = false;
      return accepted === 1;
    } catch (error) {
      if (!this.#warned) this.logger.warn({ err: error }, 'nonce counts are checked on this node only while Redis is away');
      this.#warned = true;
      return true;
    }
  }
}
