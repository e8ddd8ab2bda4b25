import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';

/**
 * A bare SIP peer over UDP for protocol tests: it sends exactly the bytes a test writes and
 * collects whatever comes back, so malformed input and retransmissions can be tested as they are.
 */
export class RawUdpPeer {
  readonly received: string[] = [];
  /** Every datagram that arrived, including those `next` took. */
  receivedCount = 0;
  /** The ports the datagrams came from (RFC 3581 §4: a response leaves from where its request arrived). */
  readonly sourcePorts = new Set<number>();
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    /** The loopback address it sends from (127.0.0.2 etc. stand for distinct hosts). */
    readonly address: string,
  ) {}

  static async open(address = '127.0.0.1'): Promise<RawUdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
    const peer = new RawUdpPeer(socket, socket.address().port, address);
    socket.on('message', (data, source) => {
      peer.receivedCount += 1;
      peer.sourcePorts.add(source.port);
      peer.received.push(data.toString('utf8'));
    });
    return peer;
  }

  send(text: string, port: number): void {
    this.socket.send(Buffer.from(text.replace(/\r?\n/g, '\r\n')), port, '127.0.0.1');
  }

  /** Sends bytes exactly as given (binary, not SIP). */
  sendBytes(data: Buffer, port: number): void {
    this.socket.send(data, port, '127.0.0.1');
  }

  /** Waits for the next response whose status line matches. */
  async next(match: RegExp = /^SIP\/2\.0/, timeoutMs = 5000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const index = this.received.findIndex((m) => match.test(m));
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      if (Date.now() - started > timeoutMs)
        throw new Error(`no message matching ${match} within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * A bare SIP peer over TCP, bound to a chosen loopback source address (127.0.0.2, .3, …) so tests
 * can act as distinct sources; it keeps everything it receives and notes when the server closes.
 */
export class RawTcpPeer {
  received = '';
  closedAt: number | null = null;
  private constructor(readonly socket: TcpSocket) {
    socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closedAt = Date.now()));
  }

  /** Connects, or resolves with a peer already closed when the server shuts the door at once. */
  static async open(port: number, localAddress = '127.0.0.1'): Promise<RawTcpPeer> {
    const peer = new RawTcpPeer(connect({ host: '127.0.0.1', port, localAddress }));
    await new Promise<void>((resolve) => {
      peer.socket.once('connect', () => resolve());
      peer.socket.once('close', () => resolve());
    });
    return peer;
  }

  send(text: string | Buffer): void {
    this.socket.write(typeof text === 'string' ? Buffer.from(text.replace(/\r?\n/g, '\r\n')) : text);
  }

  /** Resolves true once the server has closed the connection, false if it is still open after `limitMs`. */
  async closedWithin(limitMs: number): Promise<boolean> {
    const started = Date.now();
    while (this.closedAt === null && Date.now() - started < limitMs) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.closedAt !== null;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function header(message: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(message);
  return match?.[1]?.trim();
}

export function statusLine(message: string): string {
  return message.split('\r\n')[0]!;
}

export function randomToken(): string {
  return randomBytes(6).toString('hex');
}

/** RFC 2617/7616 digest response with qop=auth, computed independently of the server's code. */
export function digestAuthorization(options: {
  challenge: string;
  username: string;
  password: string;
  method: string;
  uri: string;
  nc?: number;
}): string {
  const realm = /realm="([^"]+)"/.exec(options.challenge)![1]!;
  const nonce = /nonce="([^"]+)"/.exec(options.challenge)![1]!;
  const algorithm = (/algorithm=([A-Za-z0-9-]+)/.exec(options.challenge)?.[1] ?? 'MD5').toUpperCase();
  const hash = (text: string) =>
    createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5')
      .update(text)
      .digest('hex');
  const nc = (options.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = randomToken();
  const response = hash(
    `${hash(`${options.username}:${realm}:${options.password}`)}:${nonce}:${nc}:${cnonce}:auth:${hash(`${options.method}:${options.uri}`)}`,
  );
  return `Digest username="${options.username}", realm="${realm}", nonce="${nonce}", uri="${options.uri}", response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}
