import { describe, expect, it } from 'vitest';
import { DatagramRelayBatch, type RelayedDatagram } from '../../src/platform/cluster/index.js';

const datagram = (n: number): RelayedDatagram => ({ data: Buffer.from(`datagram ${n}`), address: '192.0.2.1', port: 5060 + n });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Issue #17: datagrams between the primary and a worker cross the IPC channel a turn's worth at a time. */
describe('DatagramRelayBatch', () => {
  it('passes on the datagrams of one turn together, in the order they came, once the turn is over', async () => {
    const flushed: RelayedDatagram[][] = [];
    const batch = new DatagramRelayBatch((datagrams) => flushed.push(datagrams));
    for (let n = 0; n < 5; n += 1) batch.push(datagram(n));
    expect(flushed).toEqual([]);
    await nextTurn();
    expect(flushed).toEqual([[0, 1, 2, 3, 4].map(datagram)]);
  });

  it('starts a new batch in the next turn, and sends nothing for a turn without datagrams', async () => {
    const flushed: RelayedDatagram[][] = [];
    const batch = new DatagramRelayBatch((datagrams) => flushed.push(datagrams));
    batch.push(datagram(1));
    await nextTurn();
    await nextTurn();
    batch.push(datagram(2));
    batch.push(datagram(3));
    await nextTurn();
    expect(flushed).toEqual([[datagram(1)], [datagram(2), datagram(3)]]);
  });

  it('a datagram pushed while a batch is being passed on goes in the next one', async () => {
    const flushed: RelayedDatagram[][] = [];
    const batch = new DatagramRelayBatch((datagrams) => {
      flushed.push(datagrams);
      if (flushed.length === 1) batch.push(datagram(9));
    });
    batch.push(datagram(1));
    await nextTurn();
    await nextTurn();
    expect(flushed).toEqual([[datagram(1)], [datagram(9)]]);
  });
});
