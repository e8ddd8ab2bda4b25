import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedRedisReachable, sharedRedisUrl } from '../support/redis.js';
import { DurableLocationService } from '../../src/calls/durable-location.js';
import { LOCATION_KEY_PREFIX, LocationReplication, NODE_KEY_PREFIX, RedisLocationStore } from '../../src/calls/location-store-redis.js';
import type { Binding } from '../../src/calls/index.js';
import { bindingId } from '../../src/calls/location-service.js';
import type { Flow } from '../../src/sip/index.js';

/**
 * Issue #17: a node killed outright never removes the WebSocket and outbound registrations only it
 * could reach. The other nodes notice its heartbeat is gone and drop those bindings everywhere, so
 * calls stop being sent to a dead node; its UDP and TCP bindings stay (any node reaches those).
 * Runs against the Redis this machine kind provides (127.0.0.1:6379), on keys of its own.
 */
const logger = pino({ level: 'silent' });

function binding(aor: string, contact: string, flow: Partial<Flow> & Pick<Flow, 'protocol'>): Binding {
  return {
    aor,
    contact,
    instanceId: null,
    regId: null,
    flow: { remoteAddress: '192.0.2.10', remotePort: 5060, localAddress: '127.0.0.1', localPort: 5060, connectionId: null, ...flow },
    expiresAt: Date.now() + 3600_000,
    callId: `${aor}-${contact}`,
    cseq: 1,
    userAgent: null,
    q: 1,
  };
}

interface TestNode {
  name: string;
  commands: Redis;
  subscriber: Redis;
  location: DurableLocationService;
  replication: LocationReplication;
}

describe('nodes that stop beating (issue #17)', () => {
  const suffix = randomBytes(4).toString('hex');
  const nodes: TestNode[] = [];
  let reachable = true;

  async function startNode(name: string): Promise<TestNode> {
    const commands = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    const subscriber = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    const origin = `${name}/run1`;
    const store = new RedisLocationStore(commands, origin);
    const location = new DurableLocationService(store, { node: name, run: 'run1', now: () => Date.now(), logger });
    const replication = new LocationReplication(subscriber, store, location, {
      origin,
      now: () => Date.now(),
      logger,
      node: { name, commands },
    });
    await replication.start();
    await replication.load();
    const node = { name, commands, subscriber, location, replication };
    nodes.push(node);
    return node;
  }

  beforeAll(async () => {
    reachable = await sharedRedisReachable();
  });

  afterAll(async () => {
    for (const node of nodes) {
      node.replication.stop();
      await node.location.stop();
      await node.commands.del(NODE_KEY_PREFIX + node.name);
      node.commands.disconnect();
      node.subscriber.disconnect();
    }
  });

  async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > 10_000) throw new Error(`${what} did not happen within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('after three sweeps without a heartbeat, a killed node’s WebSocket bindings are dropped on every node and in Redis; its UDP ones stay', async () => {
    if (!reachable) return;
    const browser = `91${suffix.slice(0, 6)}`.replace(/[a-f]/g, '7');
    const deskPhone = `92${suffix.slice(0, 6)}`.replace(/[a-f]/g, '7');
    const a = await startNode(`heartbeat-a-${suffix}`);
    const b = await startNode(`heartbeat-b-${suffix}`);
    a.location.upsert(binding(browser, 'sip:x7y@df7jal23ls0d.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-1' }));
    a.location.upsert(binding(deskPhone, 'sip:phone@192.0.2.20:5060', { protocol: 'UDP' }));
    await a.location.flush();
    await until(() => b.location.lookup(browser, Date.now()).length === 1, 'node b learning the browser');
    await until(() => b.location.lookup(deskPhone, Date.now()).length === 1, 'node b learning the desk phone');

    // While node a beats, node b keeps its bindings however often it looks.
    for (let sweep = 0; sweep < 4; sweep += 1) await b.replication.beat();
    expect(b.location.lookup(browser, Date.now())).toHaveLength(1);

    // kill -9: no more beats, and its heartbeat key runs out (deleted here instead of waiting 15 s).
    a.replication.stop();
    await a.commands.del(NODE_KEY_PREFIX + a.name);
    await b.replication.beat();
    await b.replication.beat();
    expect(b.location.lookup(browser, Date.now())).toHaveLength(1);
    await b.replication.beat();
    expect(b.location.lookup(browser, Date.now())).toEqual([]);
    expect(b.location.lookup(deskPhone, Date.now())).toHaveLength(1);
    await b.location.flush();
    expect(await b.commands.hlen(LOCATION_KEY_PREFIX + browser)).toBe(0);
    expect(await b.commands.hlen(LOCATION_KEY_PREFIX + deskPhone)).toBe(1);
    await b.commands.del(LOCATION_KEY_PREFIX + deskPhone);
  }, 30_000);

  it('a browser that registered again through another node before the sweep keeps that binding: only the dead node’s is dropped', async () => {
    if (!reachable) return;
    const browser = `93${suffix.slice(0, 6)}`.replace(/[a-f]/g, '7');
    const dead = `heartbeat-dead-${suffix}`;
    // The browser (RFC 5626 instance and reg-id: the same binding id on every node) was on the dead node.
    const onDead: Binding = {
      ...binding(browser, 'sip:x7y@dead7node.invalid;transport=ws', { protocol: 'WS', connectionId: `${dead}/run1/ws-1` }),
      instanceId: '<urn:uuid:00000000-0000-4000-8000-000000000093>',
      regId: 1,
      node: dead,
    };
    const c = await startNode(`heartbeat-c-${suffix}`);
    // Node s sweeps. It is not subscribed, so it has not yet heard that the browser moved to c: the
    // moment between c's write and its announcement reaching s, made to last.
    const sCommands = new Redis(sharedRedisUrl, { maxRetriesPerRequest: 1 });
    const sName = `heartbeat-s-${suffix}`;
    const sStore = new RedisLocationStore(sCommands, `${sName}/run1`);
    const s = new DurableLocationService(sStore, { node: sName, run: 'run1', now: () => Date.now(), logger });
    const sweeper = new LocationReplication(new Redis(sharedRedisUrl, { lazyConnect: true }), sStore, s, {
      origin: `${sName}/run1`,
      now: () => Date.now(),
      logger,
      node: { name: sName, commands: sCommands },
    });
    s.applyRemote({ aor: browser, id: bindingId(onDead), binding: onDead });
    c.location.applyRemote({ aor: browser, id: bindingId(onDead), binding: onDead });

    // The browser reconnects to c and registers again there.
    c.location.upsert({
      ...onDead,
      contact: 'sip:x7y@c7node.invalid;transport=ws',
      node: undefined,
      flow: { ...onDead.flow, connectionId: 'ws-9' },
    });
    await c.location.flush();

    for (let sweep = 0; sweep < 3; sweep += 1) await sweeper.beat();
    expect(s.lookup(browser, Date.now())).toEqual([]);
    await s.flush();

    // Redis still holds the browser on c, and c (which hears s's removal) still routes to it.
    const stored = await sCommands.hget(LOCATION_KEY_PREFIX + browser, bindingId(onDead));
    expect(stored && JSON.parse(stored)).toMatchObject({ node: c.name, contact: 'sip:x7y@c7node.invalid;transport=ws' });
    const marker = `94${suffix.slice(0, 6)}`.replace(/[a-f]/g, '7');
    s.upsert(binding(marker, 'sip:marker@192.0.2.30:5060', { protocol: 'UDP' }));
    await s.flush();
    await until(() => c.location.lookup(marker, Date.now()).length === 1, 'node c hearing what s wrote after its removal');
    expect(c.location.lookup(browser, Date.now()).map((held) => held.contact)).toEqual(['sip:x7y@c7node.invalid;transport=ws']);

    sweeper.stop();
    await s.stop();
    await sCommands.del(LOCATION_KEY_PREFIX + browser, LOCATION_KEY_PREFIX + marker, NODE_KEY_PREFIX + sName);
    sCommands.disconnect();
  }, 30_000);
});
