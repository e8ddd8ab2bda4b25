import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, disconnectSharedRedis, shareInvalidations, type SharedRedis } from '../../src/platform/redis.js';
import { sharedRedisReachable, sharedRedisUrl } from '../support/redis.js';

const logger = pino({ level: 'silent' });

/** Polls until `check` holds or `ms` have passed; returns whether it held. */
async function eventually(check: () => boolean, ms = 3_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

/**
 * The channel two caches share across nodes (the SIP account cache's and charging terms'): what one
 * node announces reaches the others and not itself, and text that is not one of its messages is
 * dropped without harm. On the Redis this machine kind runs, on a channel of the test's own.
 */
describe('an invalidation channel between two nodes', () => {
  let reachable = false;
  const connections: SharedRedis[] = [];
  const channelName = `test:invalidations:${randomUUID()}`;

  beforeAll(async () => {
    reachable = await sharedRedisReachable();
  });
  afterAll(() => connections.forEach(disconnectSharedRedis));

  async function node(origin: string) {
    const redis = connectSharedRedis(sharedRedisUrl, { name: origin, logger });
    connections.push(redis);
    const heard: Partial<{ number: string }>[] = [];
    const channel = shareInvalidations<{ number: string }>(redis, channelName, {
      origin,
      logger,
      what: 'of a test change',
      received: (message) => heard.push(message),
    });
    await channel.subscribe();
    return { redis, channel, heard };
  }

  it("carries one node's announcement to the other, not back to itself, and ignores what is not its message", async ({ skip }) => {
    if (!reachable) skip();
    const a = await node('node-a');
    const b = await node('node-b');
    a.channel.announce({ number: '8610000001' });
    expect(await eventually(() => b.heard.length === 1)).toBe(true);
    expect(b.heard).toEqual([{ number: '8610000001' }]);

    // Garbage, a JSON array and another text on the same channel: nobody hears anything, nothing throws.
    for (const text of ['not json', '[1,2]', 'null']) await a.redis.commands.publish(channelName, text);
    b.channel.announce({ number: '8610000002' });
    expect(await eventually(() => a.heard.length === 1)).toBe(true);
    expect(a.heard).toEqual([{ number: '8610000002' }]);
    expect(b.heard).toEqual([{ number: '8610000001' }]);

    // Stopped: the node no longer hears the channel.
    b.channel.stop();
    a.channel.announce({ number: '8610000003' });
    b.channel.announce({ number: '8610000004' });
    expect(await eventually(() => a.heard.length === 2)).toBe(true);
    expect(b.heard).toEqual([{ number: '8610000001' }]);
  });
});
