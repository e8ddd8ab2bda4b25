import { describe, expect, it } from 'vitest';
import { InMemoryLocationService, type Binding } from '../../src/calls/location-service.js';
import type { Flow } from '../../src/sip/index.js';

/**
 * The in-memory location service every node works from: a connection that closes takes with it
 * exactly the bindings that live and die with it (RFC 5626 §6, RFC 7118 §5), found through its
 * index of flows rather than a scan of every registration.
 */
const now = Date.parse('2026-03-01T02:00:00Z');

function binding(aor: string, contact: string, flow: Partial<Flow> & Pick<Flow, 'protocol'>, extra: Partial<Binding> = {}): Binding {
  return {
    aor,
    contact,
    instanceId: null,
    regId: null,
    flow: { remoteAddress: '192.0.2.10', remotePort: 5060, localAddress: '127.0.0.1', localPort: 5060, connectionId: null, ...flow },
    expiresAt: now + 3600_000,
    callId: `${aor}-${contact}`,
    cseq: 1,
    userAgent: null,
    q: 1,
    ...extra,
  };
}

const closed = (connectionId: string, protocol: Flow['protocol'] = 'WS'): Flow => ({
  protocol,
  remoteAddress: '192.0.2.10',
  remotePort: 40000,
  localAddress: '127.0.0.1',
  localPort: 8080,
  connectionId,
});

describe('the in-memory location service', () => {
  it('Alice’s browser tab closes: its WebSocket binding goes; her desk phone over UDP and Bob’s tab stay', () => {
    const location = new InMemoryLocationService();
    location.upsert(binding('3001', 'sip:a@alice.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-1' }));
    location.upsert(binding('3001', 'sip:3001@192.0.2.10:5060', { protocol: 'UDP' }));
    location.upsert(binding('3002', 'sip:b@bob.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-2' }));

    const removed = location.removeByFlow(closed('ws-1'));

    expect(removed.map((b) => b.contact)).toEqual(['sip:a@alice.invalid;transport=ws']);
    expect(location.lookup('3001', now).map((b) => b.contact)).toEqual(['sip:3001@192.0.2.10:5060']);
    expect(location.lookup('3002', now)).toHaveLength(1);
    expect(location.count()).toBe(2);
  });

  it('one outbound connection carrying two numbers takes both bindings; a plain TCP registration outlives its connection', () => {
    const location = new InMemoryLocationService();
    const outbound = { instanceId: '<urn:uuid:00000000-0000-0000-0000-000000000001>', regId: 1 };
    location.upsert(binding('3001', 'sip:3001@192.0.2.10:5070;transport=tcp', { protocol: 'TCP', connectionId: 'tcp-7' }, outbound));
    location.upsert(binding('3002', 'sip:3002@192.0.2.10:5070;transport=tcp', { protocol: 'TCP', connectionId: 'tcp-7' }, outbound));
    location.upsert(binding('3003', 'sip:3003@192.0.2.10:5071;transport=tcp', { protocol: 'TCP', connectionId: 'tcp-8' }));

    expect(location.removeByFlow(closed('tcp-7', 'TCP')).map((b) => b.aor)).toEqual(['3001', '3002']);
    expect(location.removeByFlow(closed('tcp-8', 'TCP'))).toEqual([]);
    expect(location.lookup('3003', now)).toHaveLength(1);
  });

  it('a tab that re-registered over a new connection keeps its binding when the old connection closes late', () => {
    const location = new InMemoryLocationService();
    location.upsert(binding('3001', 'sip:a@alice.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-1' }));
    location.upsert(binding('3001', 'sip:a@alice.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-9' }, { cseq: 2 }));

    expect(location.removeByFlow(closed('ws-1'))).toEqual([]);
    expect(location.lookup('3001', now).map((b) => b.flow.connectionId)).toEqual(['ws-9']);
    expect(location.removeByFlow(closed('ws-9'))).toHaveLength(1);
    expect(location.count()).toBe(0);
  });

  it('a binding unregistered, or expired and looked up, is not removed again when its connection closes', () => {
    const location = new InMemoryLocationService();
    location.upsert(binding('3001', 'sip:a@alice.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-1' }));
    location.upsert(binding('3002', 'sip:b@bob.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-2' }, { expiresAt: now - 1 }));
    location.remove('3001', () => true);
    expect(location.lookup('3002', now)).toEqual([]);

    expect(location.removeByFlow(closed('ws-1'))).toEqual([]);
    expect(location.removeByFlow(closed('ws-2'))).toEqual([]);
  });

  it('knows which other nodes hold bindings only they can reach, as those bindings come, are replaced, expire and go', () => {
    const location = new InMemoryLocationService();
    const onB = { node: 'node-b' };
    /** node-b's outbound phone (RFC 5626: instance and reg-id), which lives and dies with its connection. */
    const outboundOnB = (extra: Partial<Binding> = {}) =>
      binding(
        '3002',
        'sip:3002@192.0.2.10:5070;transport=tcp',
        { protocol: 'TCP', connectionId: 'tcp-7' },
        {
          ...onB,
          instanceId: '<urn:uuid:00000000-0000-0000-0000-000000000002>',
          regId: 1,
          ...extra,
        },
      );
    // node-b: a browser tab (WebSocket) and an outbound phone; node-c: only a UDP phone, which any node reaches.
    location.upsert(binding('3001', 'sip:a@alice.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-1' }, onB));
    location.upsert(outboundOnB());
    location.upsert(binding('3003', 'sip:3003@192.0.2.10:5060', { protocol: 'UDP' }, { node: 'node-c' }));
    location.upsert(binding('3004', 'sip:d@dave.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-4' }));
    expect(location.nodesOfFlowBoundBindings()).toEqual(['node-b']);
    expect(location.flowBoundBindingsOf('node-b').map((b) => b.aor)).toEqual(['3001', '3002']);

    // Re-registered over another connection: still one binding of node-b for Alice.
    location.upsert(binding('3001', 'sip:a@alice.invalid;transport=ws', { protocol: 'WS', connectionId: 'ws-9' }, { ...onB, cseq: 2 }));
    expect(location.flowBoundBindingsOf('node-b').map((b) => [b.aor, b.flow.connectionId])).toEqual([
      ['3002', 'tcp-7'],
      ['3001', 'ws-9'],
    ]);

    // The outbound phone's binding expires and is found so by a lookup; Alice unregisters.
    location.upsert(outboundOnB({ expiresAt: now - 1 }));
    expect(location.lookup('3002', now)).toEqual([]);
    expect(location.flowBoundBindingsOf('node-b').map((b) => b.aor)).toEqual(['3001']);
    location.remove('3001', () => true);
    expect(location.nodesOfFlowBoundBindings()).toEqual([]);
    expect(location.flowBoundBindingsOf('node-b')).toEqual([]);
  });

  it('lookup lists the bindings by q, highest first, without changing what is stored', () => {
    const location = new InMemoryLocationService();
    location.upsert(binding('3001', 'sip:3001@192.0.2.10:5060', { protocol: 'UDP' }, { q: 0.5 }));
    location.upsert(binding('3001', 'sip:3001@192.0.2.11:5060', { protocol: 'UDP' }, { q: 1 }));
    const first = location.lookup('3001', now);
    first.pop();
    expect(location.lookup('3001', now).map((b) => b.q)).toEqual([1, 0.5]);
  });
});
