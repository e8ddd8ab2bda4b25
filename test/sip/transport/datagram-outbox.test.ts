import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DatagramOutbox } from '../../../src/sip/transport/datagram-outbox.js';

/** A real UDP socket on loopback that records what reaches it, in order. */
async function listener(): Promise<{ socket: Socket; port: number; received: string[] }> {
  const socket = createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { socket, port: socket.address().port, received };
}

async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5_000) throw new Error('not within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the datagrams of one turn, sent together at its end', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('sends nothing while the turn runs, then everything in the order it was written', async () => {
    const peer = await listener();
    const sender = createSocket('udp4');
    sockets.push(peer.socket, sender);
    const sent: string[] = [];
    const outbox = new DatagramOutbox((data, port, address) => {
      sent.push(data.toString('latin1'));
      sender.send(data, port, address);
    });
    for (let index = 0; index < 20; index += 1) outbox.push(Buffer.from(`datagram ${index}`), peer.port, '127.0.0.1');
    expect(sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual(Array.from({ length: 20 }, (_, index) => `datagram ${index}`));
    await until(() => peer.received.length === 20);
    expect(peer.received).toEqual(sent);

    // A later turn's datagrams go at the end of that turn, after the earlier ones.
    outbox.push(Buffer.from('later'), peer.port, '127.0.0.1');
    await until(() => peer.received.length === 21);
    expect(peer.received.at(-1)).toBe('later');
  });

  it('on close sends what waits at once, then drops what comes after instead of sending on the closed socket', async () => {
    const sent: string[] = [];
    let socketClosed = false;
    const outbox = new DatagramOutbox((data) => {
      // What dgram does with a send on a closed socket (ERR_SOCKET_DGRAM_NOT_RUNNING).
      if (socketClosed) throw new Error('Not running');
      sent.push(data.toString('latin1'));
    });
    outbox.push(Buffer.from('before close'), 5060, '127.0.0.1');
    outbox.close();
    expect(sent).toEqual(['before close']);
    socketClosed = true;
    expect(() => outbox.push(Buffer.from('after close'), 5060, '127.0.0.1')).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual(['before close']);
  });
});
