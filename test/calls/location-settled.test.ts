import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableLocationService } from '../../src/calls/durable-location.js';
import { bindingId } from '../../src/calls/location-service.js';
import { LOCATION_KEY_PREFIX, RedisLocationStore } from '../../src/calls/location-store-redis.js';
import type { Binding } from '../../src/calls/index.js';
import { createRedis } from '../../src/platform/redis.js';
import { freePort } from '../support/process.js';
import { sharedRedisReachable, sharedRedisUrl } from '../support/redis.js';

/**
 * Issue #17: with several nodes, the registrar answers a REGISTER once the binding is in Redis (and
 * announced), so a call entering another node right after the device's 200 finds the device. A
 * Redis that is down does not hold registrations up: SIP goes on from memory.
 */
const logger = pino({ level: 'silent' });

function binding(aor: string): Binding {
  return {
    aor,
    contact: `sip:${aor}@192.0.2.40:5060`,
    instanceId: null,
    regId: null,
    flow: {
      protocol: 'UDP',
      remoteAddress: '192.0.2.40',
      remotePort: 5060,
      localAddress: '127.0.0.1',
      localPort: 5060,
      connectionId: null,
    },
    expiresAt: Date.now() + 3600_000,
    callId: `${aor}-call`,
    cseq: 1,
    userAgent: null,
    q: 1,
  };
}

describe('a registration is answered once every node can see it (issue #17)', () => {
  const suffix = randomBytes(4).toString('hex');
  const aor = (n: number) => `95${n}${suffix.slice(0, 5)}`.replace(/[a-f]/g, '7');
  const clients: Redis[] = [];
  let reachable = true;
  let probe: Redis;

  beforeAll(async () => {
    reachable = await sharedRedisReachable();
    if (reachable) probe = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    if (probe) {
      await probe.del(LOCATION_KEY_PREFIX + aor(1), LOCATION_KEY_PREFIX + aor(2));
      probe.disconnect();
    }
    for (const client of clients) client.disconnect();
  });

  function node(redis: Redis, shared: boolean): DurableLocationService {
    clients.push(redis);
    return new DurableLocationService(new RedisLocationStore(redis, `settled-${suffix}/run1`), {
      node: `settled-${suffix}`,
      run: 'run1',
      now: () => Date.now(),
      logger,
      shared,
    });
  }

  /** A node on the shared Redis where the phone numbered `n` has just registered, once `settled` resolved. */
  async function registeredAndSettled(n: number, shared: boolean): Promise<{ location: DurableLocationService; phone: Binding }> {
    const location = node(new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 }), shared);
    const phone = binding(aor(n));
    location.upsert(phone);
    await location.settled();
    return { location, phone };
  }

  it('once settled, the binding is in Redis: read on another connection at that moment, it is there', async () => {
    if (!reachable) return;
    const { location, phone } = await registeredAndSettled(1, true);
    const stored = await probe.hget(LOCATION_KEY_PREFIX + phone.aor, bindingId(phone));
    expect(stored && JSON.parse(stored)).toMatchObject({ contact: phone.contact, node: `settled-${suffix}` });
    // Nothing changed since: settled again at once.
    await location.settled();
    await location.stop();
  });

  it('a store only this node reads (shared: false) is not waited for', async () => {
    if (!reachable) return;
    const { location } = await registeredAndSettled(2, false);
    expect(location.pendingWrites).toBe(1);
    await location.stop();
  });

  it('with Redis down, the first registration waits only for the failed write, the next not at all; the changes stay queued', async () => {
    // A port nobody listens on: the client fails its commands at once (no offline queue).
    const down = createRedis(`redis://127.0.0.1:${await freePort()}`, { name: 'settled-down', logger });
    down.on('error', () => undefined);
    const location = node(down, true);
    location.upsert(binding(aor(3)));
    await location.settled();
    location.upsert(binding(aor(4)));
    await location.settled();
    expect(location.pendingWrites).toBe(2);
    await location.stop();
  });
});
