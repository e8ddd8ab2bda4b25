import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, connect as tcpConnect, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TlsOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  createResponse,
  defaultParseLimits,
  formatVia,
  getHeader,
  parseMessage,
  parseVia,
  safeReason,
  serializeMessage,
  StreamFramer,
  SipSyntaxError,
  type ParseLimits,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import { type Flow, type TransportProtocol } from './flow.js';

/** The layer above (transactions) is told of messages and of connections that closed. */
export interface TransportUser {
  onMessage(message: SipMessage, flow: Flow): void;
  onFlowClosed?(flow: Flow): void;
}

export interface TransportObserver {
  onDropped(reason: string, protocol: TransportProtocol): void;
  onReceived(protocol: TransportProtocol): void;
}

export interface Destination {
  protocol: TransportProtocol;
  address: string;
  port: number;
}

/**
 * Consulted before any parsing (Kamailio pike in front of everything): a false drops the message
 * silently (a stream that sent it is closed) or refuses the connection.
 */
export interface TransportAdmission {
  admitMessage(remoteAddress: string): boolean;
  admitConnection(remoteAddress: string): boolean;
}

export interface TransportOptions {
  limits?: ParseLimits;
  /** WebSocket origins allowed to connect; empty allows any (SIP terminals send no Origin). */
  allowedOrigins?: string[];
  /** Close TCP/TLS connections idle this long (ms). WebSocket liveness uses ping/pong instead. */
  idleTimeoutMs?: number;
  /** WebSocket ping interval (ms); a connection that misses a pong is closed as dead. */
  webSocketPingMs?: number;
  observer?: TransportObserver;
  admission?: TransportAdmission;
  onError?: (error: unknown, context: string) => void;
}

interface Connection {
  id: string;
  flow: Flow;
  write(data: Buffer): void;
  close(): void;
}

/**
 * RFC 3261 §18 and RFC 7118: receives on UDP, TCP, TLS and WebSocket, frames and parses, answers
 * unparseable but answerable requests with 400 (or 413/505) naming the fault, and sends messages
 * on existing flows or new connections. Nothing a peer sends can throw out of this layer.
 */
export class TransportLayer {
  readonly #limits: ParseLimits;
  readonly #connections = new Map<string, Connection>();
  /** Outbound stream connections by destination, reused for later requests (§18.1.1). */
  readonly #byDestination = new Map<string, string>();
  readonly #udpSockets: { socket: UdpSocket; ipv6: boolean }[] = [];
  readonly #servers: (TcpServer | WebSocketServer)[] = [];
  readonly #cleanups: (() => void)[] = [];
  #nextConnection = 1;
  #user: TransportUser | null = null;

  constructor(private readonly options: TransportOptions = {}) {
    this.#limits = options.limits ?? defaultParseLimits;
  }

  setUser(user: TransportUser): void {
    this.#user = user;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  hasConnection(id: string): boolean {
    return this.#connections.has(id);
  }

  // -- listeners -------------------------------------------------------------------------------

  async listenUdp(host: string, port: number): Promise<{ address: string; port: number }> {
    // A large receive buffer rides out bursts while the event loop is busy (the kernel caps it at
    // net.core.rmem_max; raise that on a busy server).
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false, recvBufferSize: 8 * 1024 * 1024 });
    socket.on('error', (error) => this.#error(error, 'udp socket'));
    let local = { address: host, port };
    socket.on('message', (data, rinfo) => {
      this.#receive(data, {
        protocol: 'UDP',
        remoteAddress: rinfo.address,
        remotePort: rinfo.port,
        localAddress: local.address,
        localPort: local.port,
        connectionId: null,
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.#udpSockets.push({ socket, ipv6: host.includes(':') });
    // Read once: socket.address() is a system call, too dear for every datagram.
    local = socket.address();
    return { address: local.address, port: local.port };
  }

  async listenTcp(host: string, port: number, tls?: TlsOptions): Promise<{ address: string; port: number }> {
    const protocol: TransportProtocol = tls ? 'TLS' : 'TCP';
    const server = tls
      ? createTlsServer(tls, (socket) => void (socket.destroyed || this.#adoptStream(socket, protocol)))
      : createTcpServer((socket) => void (socket.destroyed || this.#adoptStream(socket, protocol)));
    // The raw connection is admitted before a TLS handshake is spent on it.
    server.prependListener('connection', (socket: Socket) => {
      if (this.#admitsConnection(socket.remoteAddress ?? '', protocol)) return;
      socket.destroy();
    });
    server.on('error', (error) => this.#error(error, `${protocol} server`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#servers.push(server);
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return { address: address.address, port: address.port };
  }

  /** RFC 7118 §4: SIP over WebSocket on the HTTP server at `path`, subprotocol `sip`. */
  attachWebSocket(server: HttpServer, path: string, secure: boolean): void {
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.#limits.maxBytes,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== path) return; // another upgrade handler may own it
      const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if (!offered.includes('sip')) return rejectUpgrade(socket, 400, 'Subprotocol sip required');
      const origin = request.headers.origin;
      const allowed = this.options.allowedOrigins ?? [];
      if (origin && allowed.length > 0 && !allowed.includes(origin)) return rejectUpgrade(socket, 403, 'Origin not allowed');
      if (!this.#admitsConnection(request.socket.remoteAddress ?? '', secure ? 'WSS' : 'WS')) return void socket.destroy();
      wss.handleUpgrade(request, socket, head, (ws) => this.#adoptWebSocket(ws, request, secure ? 'WSS' : 'WS'));
    };
    server.on('upgrade', onUpgrade);
    this.#servers.push(wss);
    this.#cleanups.push(() => server.off('upgrade', onUpgrade));
  }

  // -- receiving -------------------------------------------------------------------------------

  #adoptStream(socket: Socket, protocol: TransportProtocol): Connection {
    const id = `${protocol.toLowerCase()}-${this.#nextConnection++}`;
    const flow: Flow = {
      protocol,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
      connectionId: id,
    };
    const framer = new StreamFramer(this.#limits.maxBytes);
    const connection: Connection = { id, flow, write: (data) => void socket.write(data), close: () => socket.destroy() };
    this.#connections.set(id, connection);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs ?? 15 * 60_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = framer.push(chunk);
      } catch (error) {
        // §18.3: once framing is lost the stream cannot be trusted; close it.
        this.options.observer?.onDropped(error instanceof SipSyntaxError ? error.message : 'framing error', protocol);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (frame.kind === 'keepalive-ping')
          socket.write('\r\n'); // RFC 5626 §4.4.1 pong
        else this.#receive(frame.data, flow);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#closed(connection));
    return connection;
  }

  #adoptWebSocket(ws: WebSocket, request: IncomingMessage, protocol: TransportProtocol): void {
    const id = `${protocol.toLowerCase()}-${this.#nextConnection++}`;
    const flow: Flow = {
      protocol,
      remoteAddress: request.socket.remoteAddress ?? '',
      remotePort: request.socket.remotePort ?? 0,
      localAddress: request.socket.localAddress ?? '',
      localPort: request.socket.localPort ?? 0,
      connectionId: id,
    };
    const connection: Connection = {
      id,
      flow,
      // RFC 7118 §5.1: one message per frame; text frames for UTF-8 messages.
      write: (data) => ws.send(data.toString('utf8')),
      close: () => ws.terminate(),
    };
    this.#connections.set(id, connection);
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, this.options.webSocketPingMs ?? 30_000);
    ping.unref();
    ws.on('pong', () => (alive = true));
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      alive = true;
      const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      // A lone CRLF pair is a keep-alive from some clients; anything else is one message.
      if (buffer.length <= 4 && buffer.toString().trim() === '') return;
      this.#receive(buffer, flow);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(ping);
      this.#closed(connection);
    });
  }

  #closed(connection: Connection): void {
    if (!this.#connections.delete(connection.id)) return;
    for (const [destination, id] of this.#byDestination) if (id === connection.id) this.#byDestination.delete(destination);
    this.#safely(() => this.#user?.onFlowClosed?.(connection.flow), 'flow closed');
  }

  #admitsConnection(remoteAddress: string, protocol: TransportProtocol): boolean {
    if (this.options.admission?.admitConnection(remoteAddress) ?? true) return true;
    this.options.observer?.onDropped('connection refused by admission', protocol);
    return false;
  }

  #receive(data: Buffer, flow: Flow): void {
    this.options.observer?.onReceived(flow.protocol);
    if (this.options.admission && !this.options.admission.admitMessage(flow.remoteAddress)) {
      this.options.observer?.onDropped('refused by admission', flow.protocol);
      if (flow.connectionId) this.closeConnection(flow.connectionId);
      return;
    }
    const outcome = parseMessage(data, this.#limits);
    if (!outcome.ok) {
      this.options.observer?.onDropped(outcome.reason, flow.protocol);
      // §8.2 / RFC 4475: answer what can be answered; an ACK is never answered.
      if (outcome.answerable && outcome.answerable.method !== 'ACK') {
        const response = createResponse(outcome.answerable, outcome.status, { reason: safeReason(outcome.reason) });
        this.#safely(() => this.sendOnFlow(response, flow), 'answer malformed');
      }
      return;
    }
    const message = outcome.message;
    if (message.kind === 'request') stampReceived(message, flow);
    this.#safely(() => this.#user?.onMessage(message, flow), 'message handler');
  }

  // -- sending ---------------------------------------------------------------------------------

  /** Sends on the flow a message came in on: the connection if it is still open, else UDP to its address. */
  sendOnFlow(message: SipMessage, flow: Flow): boolean {
    const data = serializeMessage(message);
    if (flow.connectionId) {
      const connection = this.#connections.get(flow.connectionId);
      if (!connection) return false;
      connection.write(data);
      return true;
    }
    return this.#sendUdp(data, flow.remoteAddress, flow.remotePort);
  }

  /**
   * §18.2.2: a response goes back on the request's connection if it is open; over UDP to the
   * `received` address and the `rport` (RFC 3581) or sent-by port.
   */
  sendResponse(response: SipResponse, requestFlow: Flow): boolean {
    if (requestFlow.connectionId && this.#connections.has(requestFlow.connectionId)) return this.sendOnFlow(response, requestFlow);
    const top = getHeader(response, 'Via');
    if (!top) return false;
    const via = parseVia(top);
    const address = via.params.get('received') ?? via.host;
    const rport = via.params.get('rport');
    const port = rport ? Number(rport) : (via.port ?? 5060);
    if (requestFlow.protocol === 'UDP') return this.#sendUdp(serializeMessage(response), address.replace(/^\[|\]$/g, ''), port);
    return false;
  }

  /**
   * A flow to a destination: UDP needs none; for TCP and TLS an open connection to it is reused or
   * a new one opened (§18.1.1).
   */
  async connect(destination: Destination): Promise<Flow> {
    if (destination.protocol === 'UDP') {
      return {
        protocol: 'UDP',
        remoteAddress: destination.address,
        remotePort: destination.port,
        localAddress: '',
        localPort: 0,
        connectionId: null,
      };
    }
    if (destination.protocol === 'WS' || destination.protocol === 'WSS') throw new Error('cannot open WebSocket connections to clients');
    const key = `${destination.protocol}:${destination.address}:${destination.port}`;
    const existing = this.#connections.get(this.#byDestination.get(key) ?? '');
    if (existing) return existing.flow;
    const socket =
      destination.protocol === 'TLS'
        ? tlsConnect({ host: destination.address, port: destination.port, rejectUnauthorized: false })
        : tcpConnect({ host: destination.address, port: destination.port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connecting to ${key} timed out`));
      }, 5_000);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once(destination.protocol === 'TLS' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve();
      });
    });
    const connection = this.#adoptStream(socket, destination.protocol);
    this.#byDestination.set(key, connection.id);
    return connection.flow;
  }

  #sendUdp(data: Buffer, address: string, port: number): boolean {
    const socket = (this.#udpSockets.find((s) => s.ipv6 === address.includes(':')) ?? this.#udpSockets[0])?.socket;
    if (!socket) return false;
    socket.send(data, port, address, (error) => error && this.#error(error, 'udp send'));
    return true;
  }

  closeConnection(id: string): void {
    this.#connections.get(id)?.close();
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const connection of [...this.#connections.values()]) connection.close();
    this.#connections.clear();
    await Promise.all(this.#udpSockets.splice(0).map(({ socket }) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    await Promise.all(
      this.#servers
        .splice(0)
        .map((server) => new Promise<void>((resolve) => (server as { close(cb: () => void): void }).close(() => resolve()))),
    );
  }

  #safely(work: () => void, context: string): void {
    try {
      work();
    } catch (error) {
      this.#error(error, context);
    }
  }

  #error(error: unknown, context: string): void {
    this.options.onError?.(error, context);
  }
}

/** §18.2.1 and RFC 3581 §4: record the source address and port in the top Via. */
function stampReceived(request: SipRequest, flow: Flow): void {
  const index = request.headers.findIndex((h) => h.name === 'Via');
  if (index < 0) return;
  const via = parseVia(request.headers[index]!.value);
  const source = flow.remoteAddress.includes(':') ? `[${flow.remoteAddress}]` : flow.remoteAddress;
  let changed = false;
  if (via.host.replace(/^\[|\]$/g, '').toLowerCase() !== flow.remoteAddress.toLowerCase()) {
    via.params.set('received', flow.remoteAddress.includes(':') ? source : flow.remoteAddress);
    changed = true;
  }
  if (via.params.has('rport') && !via.params.get('rport')) {
    via.params.set('rport', String(flow.remotePort));
    changed = true;
  }
  if (changed) request.headers[index] = { name: 'Via', value: formatVia(via) };
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
