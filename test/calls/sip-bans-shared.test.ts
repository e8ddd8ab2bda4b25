import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRedisReachable, sharedRedisUrl } from '../support/redis.js';
import { SharedSipBanList, SIP_BAN_KEY_PREFIX } from '../../src/calls/redis-sip-bans.js';
import { InMemorySipBanList } from '../../src/calls/sip-bans.js';

/**
 * Issue #17: a source banned for failed digest answers on one node is refused by every node, a ban
 * lifted in the console on any node is lifted everywhere, and a node that starts later adopts the
 * bans in force. Against the Redis this machine kind provides (127.0.0.1:6379), on keys of its own.
 */
const logger = pino({ level: 'silent' });
const policy = { windowMs: 60_000, sourceFailures: 3, usernameFailures: 30, banMs: 900_000, trustMs: 3_600_000 };

describe('SIP bans shared by the nodes through Redis (issue #17)', () => {
  const clients: Redis[] = [];
  let reachable = true;
  // Addresses of this run only (TEST-NET-2 with a random last part), so parallel runs never meet.
  const attacker = `198.51.100.${(randomBytes(1)[0]! % 250) + 1}-${randomBytes(3).toString('hex')}`;

  async function node(name: string): Promise<{ list: SharedSipBanList; local: InMemorySipBanList }> {
    const commands = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    const subscriber = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    clients.push(commands, subscriber);
    const local = new InMemorySipBanList(policy, () => Date.now());
    const list = new SharedSipBanList(local, { commands, subscriber }, { origin: `${name}/run1`, now: () => Date.now(), logger });
    await list.start();
    return { list, local };
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > 5_000) throw new Error(`${what} did not happen within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    reachable = await sharedRedisReachable();
  });

  afterAll(async () => {
    await clients[0]?.del(`${SIP_BAN_KEY_PREFIX}source:${attacker}`);
    for (const client of clients) client.disconnect();
  });

  it('three wrong answers on node a ban the source on node b too; a node started later adopts it; lifting it on b lifts it everywhere', async () => {
    if (!reachable) return;
    const a = await node('bans-a');
    const b = await node('bans-b');
    for (let failure = 0; failure < 3; failure += 1)
      await a.list.recordFailure({ address: attacker, username: null, reason: 'wrong-response' });
    expect(a.list.isBanned('source', attacker)).toBe(true);
    await until(() => b.list.isBanned('source', attacker), 'node b refusing the source');
    const [ban] = await b.list.list();
    expect(ban).toMatchObject({ kind: 'source', value: attacker, failures: 3, reason: 'wrong-response' });

    const c = await node('bans-c');
    expect(c.list.isBanned('source', attacker)).toBe(true);

    expect(await b.list.lift('source', attacker)).toBe(true);
    expect(b.list.isBanned('source', attacker)).toBe(false);
    await until(() => !a.list.isBanned('source', attacker) && !c.list.isBanned('source', attacker), 'the lift reaching nodes a and c');
    expect(await clients[0]!.exists(`${SIP_BAN_KEY_PREFIX}source:${attacker}`)).toBe(0);
  });
});
