import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRedisReachable, sharedRedisUrl } from '../support/redis.js';
import { DurableLocationService } from '../../src/calls/durable-location.js';
import { LOCATION_KEY_PREFIX, LocationReplication, RedisLocationStore } from '../../src/calls/location-store-redis.js';
import type { Binding } from '../../src/calls/index.js';

/**
 * Issue #17: a node loads the shared location (at start, and again whenever Redis comes back) while
 * the other nodes keep publishing their changes. The load is a snapshot of some moment during its
 * reads; a change another node publishes after that moment but before the load returns must survive
 * it, or the node routes on a stale copy until the device registers again (up to an hour). This is
 * what happens when every node resynchronises at once after Redis restarted empty.
 * Runs against the Redis this machine kind provides (127.0.0.1:6379), on keys of its own.
 */
const ci = process.env.CI === 'true';

function udpBinding(aor: string, contact: string, callId = `${aor}-${contact}`): Binding {
  return {
    aor,
    contact,
    instanceId: null,
    regId: null,
    flow: {
      protocol: 'UDP',
      remoteAddress: '192.0.2.30',
      remotePort: 5060,
      localAddress: '127.0.0.1',
      localPort: 5060,
      connectionId: null,
    },
    expiresAt: Date.now() + 3600_000,
    callId,
    cseq: 1,
    userAgent: null,
    q: 1,
  };
}

/** A store that can run a step of a test inside one of its loads: after it has read Redis, before it returns. */
class InterleavedStore extends RedisLocationStore {
  #afterReading: (() => Promise<void>) | null = null;
  #read = false;
  #failure: unknown = null;

  /** Runs `load` with `afterReading` inside its read of the store; throws what that step threw. */
  async interleaving<T>(afterReading: () => Promise<void>, load: () => Promise<T>): Promise<T> {
    this.#afterReading = afterReading;
    this.#read = false;
    this.#failure = null;
    const result = await load();
    if (!this.#read) throw new Error('the load never read the store');
    if (this.#failure) throw this.#failure;
    return result;
  }

  override async loadAll(now: number): Promise<Binding[]> {
    const bindings = await super.loadAll(now);
    const step = this.#afterReading;
    this.#afterReading = null;
    this.#read = true;
    if (step) await step().catch((error: unknown) => (this.#failure = error));
    return bindings;
  }
}

interface TestNode {
  /** How many times its replication has resynchronised (it does once as its subscriber first connects). */
  resynchronised: () => number;
  commands: Redis;
  subscriber: Redis;
  store: InterleavedStore;
  location: DurableLocationService;
  replication: LocationReplication;
}

describe('loading the shared location while other nodes publish (issue #17)', () => {
  const suffix = randomBytes(4).toString('hex');
  const nodes: TestNode[] = [];
  const numbers: string[] = [];
  let reachable = true;

  /** Per node name, the numbers its replication was told another node registered (onRemoteRegistration). */
  const registeredElsewhere = new Map<string, string[]>();

  function node(name: string): TestNode {
    const commands = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    const subscriber = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    const origin = `${name}-${suffix}/run1`;
    let resynchronised = 0;
    const logger = pino(
      { level: 'info' },
      {
        write(line: string) {
          if (line.includes('location resynchronised with Redis')) resynchronised += 1;
        },
      },
    );
    const store = new InterleavedStore(commands, origin);
    const location = new DurableLocationService(store, { node: `${name}-${suffix}`, run: 'run1', now: () => Date.now(), logger });
    const heard: string[] = [];
    registeredElsewhere.set(name, heard);
    const replication = new LocationReplication(subscriber, store, location, {
      origin,
      now: () => Date.now(),
      logger,
      onRemoteRegistration: (aor) => heard.push(aor),
    });
    const created = { resynchronised: () => resynchronised, commands, subscriber, store, location, replication };
    nodes.push(created);
    return created;
  }

  /**
   * A node subscribed, its first resynchronisation (on its subscriber's first connect) over, so that
   * the loads a test interleaves with are its own.
   */
  async function subscribed(name: string): Promise<TestNode> {
    const created = node(name);
    await created.replication.start();
    await until(() => created.resynchronised() === 1, `${name} resynchronising on connecting`);
    return created;
  }

  async function started(name: string): Promise<TestNode> {
    const created = await subscribed(name);
    await created.replication.load();
    return created;
  }

  function number(): string {
    const value = `93${randomBytes(3).readUIntBE(0, 3).toString().padStart(8, '0')}`;
    numbers.push(value);
    return value;
  }

  async function until(check: () => boolean, what: string): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > 10_000) throw new Error(`${what} did not happen within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    reachable = await sharedRedisReachable();
    if (!reachable && ci) throw new Error(`CI=true needs the Redis at ${sharedRedisUrl}`);
  });

  afterAll(async () => {
    for (const each of nodes) {
      each.replication.stop();
      await each.location.stop();
      each.commands.disconnect();
      each.subscriber.disconnect();
    }
    if (reachable && numbers.length > 0) {
      const cleanup = new Redis(sharedRedisUrl);
      await cleanup.del(...numbers.map((aor) => LOCATION_KEY_PREFIX + aor));
      cleanup.disconnect();
    }
  });

  it("tells a node of each registration another node publishes (so it can read that number's account ahead of its calls), not of removals or its own", async () => {
    if (!reachable) return;
    const a = await started('heard-a');
    const b = await started('heard-b');
    const [x, y, z] = [number(), number(), number()];
    b.location.upsert(udpBinding(x, 'sip:x@192.0.2.30:5060'));
    b.location.upsert(udpBinding(y, 'sip:y@192.0.2.30:5060'));
    a.location.upsert(udpBinding(z, 'sip:z@192.0.2.30:5060'));
    await b.location.flush();
    await a.location.flush();
    await until(
      () => a.location.lookup(y, Date.now()).length === 1 && b.location.lookup(z, Date.now()).length === 1,
      'A and B hearing of each other',
    );
    b.location.remove(y, () => true);
    await b.location.flush();
    await until(() => a.location.lookup(y, Date.now()).length === 0, 'A hearing of the removal');
    expect(registeredElsewhere.get('heard-a')).toEqual([x, y]);
    expect(registeredElsewhere.get('heard-b')).toEqual([z]);
  }, 30_000);

  it('a binding another node publishes while this node resynchronises is kept, not replaced by the older snapshot', async () => {
    if (!reachable) return;
    const a = await started('resync-a');
    const c = await started('resync-c');
    const x = number();

    // C registers X after A's reads and before A replaces its copy with them: A hears of it first.
    await a.store.interleaving(
      async () => {
        c.location.upsert(udpBinding(x, 'sip:x@192.0.2.30:5060'));
        await c.location.flush();
        await until(() => a.location.lookup(x, Date.now()).length === 1, 'A hearing of X from C');
      },
      () => a.replication.resynchronise(),
    );
    expect(a.location.lookup(x, Date.now()).map((binding) => binding.contact)).toEqual(['sip:x@192.0.2.30:5060']);
  }, 30_000);

  it('a binding another node removes while this node resynchronises stays removed', async () => {
    if (!reachable) return;
    const a = await started('resync-removal-a');
    const c = await started('resync-removal-c');
    const y = number();
    c.location.upsert(udpBinding(y, 'sip:y@192.0.2.30:5060'));
    await c.location.flush();
    await until(() => a.location.lookup(y, Date.now()).length === 1, 'A hearing of Y from C');

    // A reads Y, then C removes it before A's load returns.
    await a.store.interleaving(
      async () => {
        c.location.remove(y, () => true);
        await c.location.flush();
        await until(() => a.location.lookup(y, Date.now()).length === 0, 'A hearing of the removal from C');
      },
      () => a.replication.resynchronise(),
    );
    expect(a.location.lookup(y, Date.now())).toEqual([]);
  }, 30_000);

  it('a device that registers on this node while it resynchronises keeps this node’s binding, whatever the other node published of it before', async () => {
    if (!reachable) return;
    const a = await started('moved-a');
    const c = await started('moved-c');
    const heardOf = (node: TestNode, aor: string) => node.location.lookup(aor, Date.now()).map((binding) => binding.callId);
    // V was on C before A read the store; U registers on C while A is reading. Both then register
    // again through A (same contact: same binding), before A's load returns.
    const v = number();
    const u = number();
    c.location.upsert(udpBinding(v, 'sip:v@192.0.2.30:5060', 'v-on-c'));
    await c.location.flush();
    await until(() => heardOf(a, v).length === 1, 'A hearing of V from C');
    await a.store.interleaving(
      async () => {
        c.location.upsert(udpBinding(u, 'sip:u@192.0.2.30:5060', 'u-on-c'));
        await c.location.flush();
        await until(() => heardOf(a, u)[0] === 'u-on-c', 'A hearing of U from C');
        a.location.upsert(udpBinding(u, 'sip:u@192.0.2.30:5060', 'u-on-a'));
        a.location.upsert(udpBinding(v, 'sip:v@192.0.2.30:5060', 'v-on-a'));
        await a.location.flush();
      },
      () => a.replication.resynchronise(),
    );
    expect(heardOf(a, u)).toEqual(['u-on-a']);
    expect(heardOf(a, v)).toEqual(['v-on-a']);
    // And C, told by A, agrees.
    await until(() => heardOf(c, u)[0] === 'u-on-a' && heardOf(c, v)[0] === 'v-on-a', 'C hearing that U and V moved to A');
  }, 30_000);

  it('a node starting up keeps the changes published while it loaded the store', async () => {
    if (!reachable) return;
    const c = await started('startup-c');
    const z = number();
    const w = number();
    c.location.upsert(udpBinding(w, 'sip:w@192.0.2.30:5060'));
    await c.location.flush();

    // A subscribes, reads W, and meanwhile C registers Z and removes W.
    const a = await subscribed('startup-a');
    await a.store.interleaving(
      async () => {
        c.location.upsert(udpBinding(z, 'sip:z@192.0.2.30:5060'));
        c.location.remove(w, () => true);
        await c.location.flush();
        await until(
          () => a.location.lookup(w, Date.now()).length === 0 && a.location.lookup(z, Date.now()).length === 1,
          'A hearing of Z and W',
        );
      },
      () => a.replication.load(),
    );
    expect(a.location.lookup(z, Date.now())).toHaveLength(1);
    expect(a.location.lookup(w, Date.now())).toEqual([]);
  }, 30_000);
});
