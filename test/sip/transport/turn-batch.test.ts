import { createSocket, type Socket } from 'node:dgram';
import { createServer, connect, type Server, type Socket as TcpSocket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { TurnBatch, TurnCorks } from '../../../src/sip/index.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

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

/** Issue #17: the UDP datagrams a turn sends leave together at its end. */
describe('TurnBatch', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('delivers what one turn pushed together, in the order it came, once the turn is over', async () => {
    const delivered: number[][] = [];
    const batch = new TurnBatch<number>((items) => delivered.push(items));
    for (let n = 0; n < 5; n += 1) batch.push(n);
    expect(delivered).toEqual([]);
    await nextTurn();
    expect(delivered).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('starts a new batch in the next turn, and delivers nothing for a turn without items', async () => {
    const delivered: number[][] = [];
    const batch = new TurnBatch<number>((items) => delivered.push(items));
    batch.push(1);
    await nextTurn();
    await nextTurn();
    batch.push(2);
    batch.push(3);
    await nextTurn();
    expect(delivered).toEqual([[1], [2, 3]]);
  });

  it('puts what is pushed while a batch is being delivered in the next one', async () => {
    const delivered: number[][] = [];
    const batch = new TurnBatch<number>((items) => {
      delivered.push(items);
      if (delivered.length === 1) batch.push(9);
    });
    batch.push(1);
    await nextTurn();
    await nextTurn();
    expect(delivered).toEqual([[1], [9]]);
  });

  it('sends datagrams through a real socket in the order they were written', async () => {
    const peer = await listener();
    const sender = createSocket('udp4');
    sockets.push(peer.socket, sender);
    const batch = new TurnBatch<string>((items) => {
      for (const item of items) sender.send(Buffer.from(item, 'latin1'), peer.port, '127.0.0.1');
    });
    const datagrams = Array.from({ length: 20 }, (_, index) => `datagram ${index}`);
    for (const datagram of datagrams) batch.push(datagram);
    await until(() => peer.received.length === 20);
    expect(peer.received).toEqual(datagrams);

    batch.push('later');
    await until(() => peer.received.length === 21);
    expect(peer.received.at(-1)).toBe('later');
  });

  it('on close delivers what waits at once, then drops what comes after instead of sending on a closed socket', async () => {
    const sent: string[] = [];
    let socketClosed = false;
    const batch = new TurnBatch<string>((items) => {
      // What dgram does with a send on a closed socket (ERR_SOCKET_DGRAM_NOT_RUNNING).
      if (socketClosed) throw new Error('Not running');
      sent.push(...items);
    });
    batch.push('before close');
    batch.close();
    expect(sent).toEqual(['before close']);
    socketClosed = true;
    expect(() => batch.push('after close')).not.toThrow();
    await nextTurn();
    expect(sent).toEqual(['before close']);
  });
});

/** A real stream that records each system-call-sized write it is asked for: one entry per _writev/_write. */
function recordingStream(): { stream: Writable; writes: string[][] } {
  const writes: string[][] = [];
  const stream = new Writable({
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => String(chunk)));
      callback();
    },
    write(chunk, _encoding, callback) {
      writes.push([String(chunk)]);
      callback();
    },
  });
  return { stream, writes };
}

/** Issue #17: what a turn writes to one connection (TCP, TLS) leaves in one write at its end. */
describe('TurnCorks', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('hands the stream what one turn wrote in a single write, in order, once the turn is over', async () => {
    const corks = new TurnCorks();
    const { stream, writes } = recordingStream();
    corks.write(stream, 'INVITE');
    corks.write(stream, 'ACK');
    corks.write(stream, 'BYE');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['INVITE', 'ACK', 'BYE']]);

    corks.write(stream, 'OPTIONS');
    await nextTurn();
    expect(writes).toEqual([['INVITE', 'ACK', 'BYE'], ['OPTIONS']]);
  });

  it('keeps each connection to its own write', async () => {
    const corks = new TurnCorks();
    const first = recordingStream();
    const second = recordingStream();
    corks.write(first.stream, 'a1');
    corks.write(second.stream, 'b1');
    corks.write(first.stream, 'a2');
    await nextTurn();
    expect(first.writes).toEqual([['a1', 'a2']]);
    expect(second.writes).toEqual([['b1']]);
  });

  it('release sends what waits at once, so a connection closed in the same turn still carries it', async () => {
    const corks = new TurnCorks();
    const { stream, writes } = recordingStream();
    corks.write(stream, 'SIP/2.0 403 Forbidden');
    corks.release(stream);
    expect(writes).toEqual([['SIP/2.0 403 Forbidden']]);
    stream.destroy();
    await nextTurn();
    expect(writes).toHaveLength(1);
  });

  it('carries messages over a real TCP connection intact and in order, however they are grouped', async () => {
    const received: Buffer[] = [];
    let accepted!: TcpSocket;
    const server = createServer((socket) => (accepted = socket));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const client = connect(port, '127.0.0.1');
    client.on('data', (chunk: Buffer) => received.push(chunk));
    await until(() => accepted !== undefined);
    const corks = new TurnCorks();
    const messages = Array.from({ length: 50 }, (_, index) => `message ${index}\r\n`);
    for (const message of messages.slice(0, 25)) corks.write(accepted, Buffer.from(message));
    await nextTurn();
    for (const message of messages.slice(25)) corks.write(accepted, message);
    const expected = messages.join('');
    await until(() => Buffer.concat(received).length === expected.length);
    expect(Buffer.concat(received).toString()).toBe(expected);
    client.destroy();
    accepted.destroy();
  });
});
