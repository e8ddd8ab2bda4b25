import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableLocationService } from '../../src/calls/durable-location.js';
import { DatabaseLocationStore } from '../../src/calls/location-store-database.js';
import type { Binding } from '../../src/calls/index.js';
import { migrations } from '../../src/migrations.js';
import type { DatabaseHandle, Engine } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import type { Flow } from '../../src/sip/index.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

/**
 * The durable location service over the real database store (issue #17): what one run of a node
 * wrote, the next run of the same node reads back, minus what lived and died with a connection.
 */
const logger = pino({ level: 'silent' });
const start = Date.parse('2026-03-01T02:00:00Z');

function binding(aor: string, contact: string, flow: Partial<Flow> & Pick<Flow, 'protocol'>, extra: Partial<Binding> = {}): Binding {
  return {
    aor,
    contact,
    instanceId: null,
    regId: null,
    flow: { remoteAddress: '192.0.2.10', remotePort: 5060, localAddress: '127.0.0.1', localPort: 5060, connectionId: null, ...flow },
    expiresAt: start + 3600_000,
    callId: `${aor}-${contact}`,
    cseq: 1,
    userAgent: null,
    q: 1,
    ...extra,
  };
}

describe.each(engines)('the durable location service on %s', (engine: Engine) => {
  let database: DatabaseHandle;
  let now = start;
  const run = (node: string, id: string) =>
    new DurableLocationService(new DatabaseLocationStore(database.db, node), { node, run: id, now: () => now, logger });

  beforeAll(async () => {
    if (!available[engine]) return;
    database = await openTestDatabase(engine);
    await migrateToLatest(database.db, migrations);
  });
  afterAll(async () => {
    await database?.close();
  });

  it.skipIf(!available[engine])(
    'a restarted node gets back its UDP and TCP bindings, not its WebSocket or outbound ones, and no other node’s',
    async () => {
      const first = run('node-a', 'run1');
      await first.start();
      first.upsert(binding('3001', 'sip:3001@192.0.2.10:5060', { protocol: 'UDP' }));
      first.upsert(binding('3002', 'sip:3002@192.0.2.11:5060;transport=tcp', { protocol: 'TCP', connectionId: 'tcp-1' }));
      first.upsert(binding('3003', 'sip:abc@df7jal23ls0d.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-2' }));
      first.upsert(
        binding(
          '3004',
          'sip:3004@192.0.2.12:5060;transport=tcp',
          { protocol: 'TCP', connectionId: 'tcp-3' },
          {
            instanceId: '<urn:uuid:00000000-0000-0000-0000-000000000001>',
            regId: 1,
          },
        ),
      );
      const other = run('node-b', 'run1');
      await other.start();
      other.upsert(binding('3005', 'sip:3005@192.0.2.13:5060', { protocol: 'UDP' }));
      // A crash: nothing flushed by a stop, only what was written behind.
      await first.flush();
      await other.flush();

      const second = run('node-a', 'run2');
      expect(await second.start()).toEqual({ loaded: 2, dropped: 2 });
      expect(second.lookup('3001', now).map((b) => b.contact)).toEqual(['sip:3001@192.0.2.10:5060']);
      const tcp = second.lookup('3002', now)[0]!;
      expect(tcp.contact).toBe('sip:3002@192.0.2.11:5060;transport=tcp');
      // The earlier run's connection id can name no connection of this run: the proxy reaches it by its contact.
      expect(tcp.flow.connectionId).toBe('node-a/run1/tcp-1');
      expect(second.lookup('3003', now)).toEqual([]);
      expect(second.lookup('3004', now)).toEqual([]);
      expect(second.lookup('3005', now)).toEqual([]);
      await second.stop();
      // The dropped ones are gone from the store too.
      const third = run('node-a', 'run3');
      expect(await third.start()).toEqual({ loaded: 2, dropped: 0 });
    },
  );

  it.skipIf(!available[engine])('a binding changed several times in a burst is stored as its last state; one removed is gone', async () => {
    const node = run('node-c', 'run1');
    await node.start();
    const phone = binding('3101', 'sip:3101@192.0.2.20:5060', { protocol: 'UDP' });
    for (let cseq = 1; cseq <= 5; cseq += 1) node.upsert({ ...phone, cseq, expiresAt: start + cseq * 60_000 });
    node.upsert(binding('3102', 'sip:3102@192.0.2.21:5060', { protocol: 'UDP' }));
    node.remove('3102', () => true);
    await node.stop();

    const restarted = run('node-c', 'run2');
    await restarted.start();
    expect(restarted.lookup('3101', now).map((b) => [b.cseq, b.expiresAt])).toEqual([[5, start + 300_000]]);
    expect(restarted.lookup('3102', now)).toEqual([]);
  });

  it.skipIf(!available[engine])('bindings expire by absolute time: a restart after their expiry does not bring them back', async () => {
    const node = run('node-d', 'run1');
    await node.start();
    node.upsert(binding('3201', 'sip:3201@192.0.2.30:5060', { protocol: 'UDP' }, { expiresAt: start + 120_000 }));
    await node.stop();
    now = start + 121_000;
    const restarted = run('node-d', 'run2');
    expect(await restarted.start()).toEqual({ loaded: 0, dropped: 0 });
    now = start;
  });
});
