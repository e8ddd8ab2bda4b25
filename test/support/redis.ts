import { Redis } from 'ioredis';

/** The Redis this machine kind starts before each session and before CI (tests use keys of their own there). */
export const sharedRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether that Redis answers. Under CI=true a missing server is a failure, not a skip: it throws,
 * naming what the test needs.
 */
export async function sharedRedisReachable(): Promise<boolean> {
  const probe = new Redis(sharedRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`CI=true needs Redis at ${sharedRedisUrl}`);
    return false;
  } finally {
    probe.disconnect();
  }
}
