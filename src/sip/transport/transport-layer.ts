import { timingSafeEqual } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { createServer as createTcpServer, connect as tcpConnect, isIP, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TlsOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  createResponse,
  defaultParseLimits,
  formatVia,
  FramingError,
  getHeader,
  parseMessage,
  parseVia,
  safeReason,
  serializeMessage,
  StreamFramer,
  type ParseLimits,
  type ParseOutcome,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import { TurnBatch, TurnCorks } from './turn-batch.js';
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

/** The largest message accepted on each kind of transport, in bytes. */
export interface MessageSizeLimits {
  udp: number;
  stream: number;
  webSocket: number;
}

/** §18.1.1: an element must handle UDP messages up to 65,535 bytes; streams and WebSocket take the same, so whatever arrives on one can be forwarded on another. */
export const defaultMessageSizeLimits: MessageSizeLimits = { udp: 65_535, stream: 65_535, webSocket: 65_535 };

/** Defaults of the connection caps and timeouts; the service reads its own from the environment. */
export const defaultConnectionLimits = {
  maxConnections: 8_000,
  maxConnectionsPerSource: 100,
  firstMessageTimeoutMs: 30_000,
  messageTimeoutMs: 10_000,
  idleTimeoutMs: 600_000,
};

export interface TransportOptions {
  /** Header-line limit (and the message size when `messageSizes` is not given). */
  limits?: ParseLimits;
  messageSizes?: MessageSizeLimits;
  /**
   * WebSocket origins allowed besides the service's own (the upgrade request's Host, over http or
   * https); `*` allows any. A request without Origin (a SIP terminal, not a browser) is allowed.
   */
  allowedOrigins?: string[];
  /** Accepted stream connections, TCP, TLS and WebSocket together; more are closed at once. */
  maxConnections?: number;
  /** Accepted stream connections from one source address. */
  maxConnectionsPerSource?: number;
  /** Sources the per-source cap does not apply to: reverse proxies carrying many clients' WebSockets. */
  isTrustedProxy?: (address: string) => boolean;
  /** An accepted connection that has not delivered one whole message this long after opening is closed (ms). */
  firstMessageTimeoutMs?: number;
  /** A message whose first bytes arrived must be complete this long after (ms), or the connection is closed. */
  messageTimeoutMs?: number;
  /** Close TCP/TLS connections idle this long (ms). WebSocket liveness uses ping/pong instead. */
  idleTimeoutMs?: number;
  /** WebSocket ping interval (ms); a connection that misses a pong is closed as dead. */
  webSocketPingMs?: number;
  observer?: TransportObserver;
  admission?: TransportAdmission;
  onError?: (error: unknown, context: string) => void;
}

/**
 * A UDP socket as the transport sees it: the local address named in flows, and a way to send. A
 * dgram socket of our own is one; in a cluster worker the node's public UDP port is another, its
 * datagrams carried to and from the primary process that owns the socket.
 */
export interface DatagramEndpoint {
  readonly localAddress: string;
  readonly localPort: number;
  readonly ipv6: boolean;
  send(data: Buffer, port: number, address: string): void;
  close(): Promise<void>;
}

/** A datagram as it was sent, and where: what it takes to send it again. */
export interface SentDatagram {
  readonly data: Buffer;
  readonly address: string;
  readonly port: number;
  /** The local port it left from (0: the first endpoint of the address's family). */
  readonly localPort: number;
}

/** Hands a datagram that arrived at an attached endpoint to the transport. */
export type DatagramReceiver = (data: Buffer, remoteAddress: string, remotePort: number) => void;

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
  readonly #limits: Record<'udp' | 'stream' | 'webSocket', ParseLimits>;
  readonly #connections = new Map<string, Connection>();
  /** Stream connections' writes, one system call per connection and turn (see TurnCorks). */
  readonly #corks = new TurnCorks();
  /** Accepted stream connections in all and by source address, for the caps. */
  #accepted = 0;
  readonly #acceptedBySource = new Map<string, number>();
  /** Outbound stream connections by destination, reused for later requests (§18.1.1). */
  readonly #byDestination = new Map<string, string>();
  /** The first of a family is where requests to a new UDP destination leave from. */
  readonly #udpEndpoints: DatagramEndpoint[] = [];
  /** The queue-delay probe's key, and where a returned probe's wait goes (see watchUdpQueueDelay). */
  #queueProbe: { key: Buffer; returned(delayMs: number): void } | null = null;
  readonly #servers: (TcpServer | WebSocketServer)[] = [];
  readonly #cleanups: (() => void)[] = [];
  #nextConnection = 1;
  #user: TransportUser | null = null;

  constructor(private readonly options: TransportOptions = {}) {
    const base = options.limits ?? defaultParseLimits;
    const sizes =
      options.messageSizes ??
      (options.limits ? { udp: base.maxBytes, stream: base.maxBytes, webSocket: base.maxBytes } : defaultMessageSizeLimits);
    this.#limits = {
      udp: { ...base, maxBytes: sizes.udp },
      stream: { ...base, maxBytes: sizes.stream },
      webSocket: { ...base, maxBytes: sizes.webSocket },
    };
  }

  setUser(user: TransportUser): void {
    this.#user = user;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Accepted stream connections still open, counted as the caps count them. */
  get acceptedConnectionCount(): number {
    return this.#accepted;
  }

  hasConnection(id: string): boolean {
    return this.#connections.has(id);
  }

  // -- listeners -------------------------------------------------------------------------------

  /**
   * `exclusive`: in a cluster worker, a socket of this process's own rather than a share of the
   * primary's (the worker's private port).
   */
  async listenUdp(host: string, port: number, options: { exclusive?: boolean } = {}): Promise<{ address: string; port: number }> {
    // A large receive buffer rides out bursts while the event loop is busy (the kernel caps it at
    // net.core.rmem_max; raise that on a busy server).
    const socket: UdpSocket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      reuseAddr: false,
      recvBufferSize: 8 * 1024 * 1024,
      lookup: lookupLiteralAtOnce,
    });
    socket.on('error', (error) => this.#error(error, 'udp socket'));
    let receive: DatagramReceiver | null = null;
    socket.on('message', (data, rinfo) => receive?.(data, rinfo.address, rinfo.port));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port, address: host, exclusive: options.exclusive ?? false }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // Read once: socket.address() is a system call, too dear for every datagram.
    const local = socket.address();
    // No callback: a failed send is reported as the socket's 'error' event (handled above), and
    // without one Node does not schedule a completion callback for every datagram.
    const outbox = new TurnBatch<{ data: Buffer; port: number; address: string }>((datagrams) => {
      for (const { data, port: toPort, address } of datagrams) socket.send(data, toPort, address);
    });
    receive = this.attachDatagramEndpoint({
      localAddress: local.address,
      localPort: local.port,
      ipv6: host.includes(':'),
      send: (data, toPort, toAddress) => outbox.push({ data, port: toPort, address: toAddress }),
      close: () => {
        outbox.close();
        return new Promise<void>((resolve) => socket.close(() => resolve()));
      },
    });
    return { address: local.address, port: local.port };
  }

  /** Receives and sends UDP through an endpoint that is not a socket of this process (see DatagramEndpoint). */
  attachDatagramEndpoint(endpoint: DatagramEndpoint): DatagramReceiver {
    this.#udpEndpoints.push(endpoint);
    return (data, remoteAddress, remotePort) => {
      // A SIP message never starts with NUL; a probe always does.
      if (data.length === PROBE_BYTES && data[0] === 0 && this.#takeProbe(data)) return;
      this.#receive(data, this.#limits.udp, {
        protocol: 'UDP',
        remoteAddress,
        remotePort,
        localAddress: endpoint.localAddress,
        localPort: endpoint.localPort,
        connectionId: null,
      });
    };
  }

  /**
   * How long datagrams wait in the receive queues before this process reads them: the sojourn time
   * CoDel (RFC 8289) measures, which no socket option reports to Node. Every `intervalMs` a probe
   * datagram goes to each UDP endpoint from that endpoint itself and waits behind every datagram
   * queued before it; `onDelay` gets, per interval, the longest wait of the probes that came back
   * in it, or null when none did. A probe carries `key` (16 bytes) and a monotonic timestamp, so
   * nothing from outside passes for one. Workers sharing a socket share the key: a probe is a sample
   * of the shared queue for whichever worker reads it. Call once the endpoints listen.
   */
  watchUdpQueueDelay(key: Buffer, intervalMs: number, onDelay: (delayMs: number | null) => void): () => void {
    if (key.length !== PROBE_KEY_BYTES) throw new Error(`a queue probe key has ${PROBE_KEY_BYTES} bytes`);
    let longest: number | null = null;
    this.#queueProbe = { key: Buffer.from(key), returned: (delayMs) => (longest = Math.max(longest ?? 0, delayMs)) };
    const timer = setInterval(() => {
      onDelay(longest);
      longest = null;
      const probe = Buffer.allocUnsafe(PROBE_BYTES);
      probe[0] = 0;
      key.copy(probe, 1);
      probe.writeBigUInt64BE(process.hrtime.bigint(), 1 + PROBE_KEY_BYTES);
      for (const endpoint of this.#udpEndpoints) endpoint.send(probe, endpoint.localPort, ownAddress(endpoint));
    }, intervalMs);
    timer.unref();
    return () => {
      clearInterval(timer);
      this.#queueProbe = null;
    };
  }

  #takeProbe(data: Buffer): boolean {
    const probe = this.#queueProbe;
    // In constant time: the key is what keeps anyone else from feeding the overload control waits.
    if (!probe || !timingSafeEqual(data.subarray(1, 1 + PROBE_KEY_BYTES), probe.key)) return false;
    // process.hrtime is CLOCK_MONOTONIC: one clock for every process on the machine.
    const delayMs = Number(process.hrtime.bigint() - data.readBigUInt64BE(1 + PROBE_KEY_BYTES)) / 1e6;
    if (delayMs >= 0 && delayMs < 60_000) probe.returned(delayMs);
    return true;
  }

  async listenTcp(
    host: string,
    port: number,
    tls?: TlsOptions,
    options: { exclusive?: boolean } = {},
  ): Promise<{ address: string; port: number }> {
    const protocol: TransportProtocol = tls ? 'TLS' : 'TCP';
    const firstMessageMs = this.options.firstMessageTimeoutMs ?? defaultConnectionLimits.firstMessageTimeoutMs;
    const server = tls
      ? createTlsServer({ ...tls, handshakeTimeout: firstMessageMs }, (socket) => {
          if (!socket.destroyed) this.#adoptStream(socket, protocol, true);
        })
      : createTcpServer((socket) => {
          if (!socket.destroyed) this.#adoptStream(socket, protocol, true);
        });
    // Admitted (rate limit, bans) and counted (caps) on the raw TCP socket, before a TLS handshake is
    // spent on it: the caps guard file descriptors.
    server.prependListener('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? '';
      if (!this.#admitsConnection(address, protocol) || !this.#admitConnection(address, socket, protocol)) socket.destroy();
    });
    server.on('error', (error) => this.#error(error, `${protocol} server`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, exclusive: options.exclusive ?? false }, () => {
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
      maxPayload: this.#limits.webSocket.maxBytes,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== path) return; // another upgrade handler may own it
      const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if (!offered.includes('sip')) return rejectUpgrade(socket, 400, 'Subprotocol sip required');
      if (!originAllowed(request, this.options.allowedOrigins ?? [])) return rejectUpgrade(socket, 403, 'Origin not allowed');
      const protocol = secure ? 'WSS' : 'WS';
      if (!this.#admitsConnection(request.socket.remoteAddress ?? '', protocol)) return void socket.destroy();
      if (!this.#admitConnection(request.socket.remoteAddress ?? '', request.socket, protocol))
        return rejectUpgrade(socket, 503, 'Too many connections');
      wss.handleUpgrade(request, socket, head, (ws) => this.#adoptWebSocket(ws, request, protocol));
    };
    server.on('upgrade', onUpgrade);
    this.#servers.push(wss);
    this.#cleanups.push(() => server.off('upgrade', onUpgrade));
  }

  // -- receiving -------------------------------------------------------------------------------

  /**
   * Counts an accepted connection against the caps until its socket closes; false when it would
   * pass one (the caller closes it at once).
   */
  #admitConnection(source: string, socket: Duplex, protocol: TransportProtocol): boolean {
    const fromSource = this.#acceptedBySource.get(source) ?? 0;
    if (this.#accepted >= (this.options.maxConnections ?? defaultConnectionLimits.maxConnections)) {
      this.options.observer?.onDropped('connection limit', protocol);
      return false;
    }
    const perSource = this.options.maxConnectionsPerSource ?? defaultConnectionLimits.maxConnectionsPerSource;
    if (fromSource >= perSource && !this.options.isTrustedProxy?.(source)) {
      this.options.observer?.onDropped('source connection limit', protocol);
      return false;
    }
    this.#accepted += 1;
    this.#acceptedBySource.set(source, fromSource + 1);
    socket.once('close', () => {
      this.#accepted -= 1;
      const left = (this.#acceptedBySource.get(source) ?? 1) - 1;
      if (left > 0) this.#acceptedBySource.set(source, left);
      else this.#acceptedBySource.delete(source);
    });
    return true;
  }

  /**
   * `accepted` connections came to our listener: they must deliver a first message in time. The
   * ones we open ourselves wait for answers to our requests, as long as transaction timers allow.
   */
  #adoptStream(socket: Socket, protocol: TransportProtocol, accepted = false): Connection {
    const id = `${protocol.toLowerCase()}-${this.#nextConnection++}`;
    const flow: Flow = {
      protocol,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
      connectionId: id,
    };
    const limits = this.#limits.stream;
    const framer = new StreamFramer(limits.maxBytes);
    const connection: Connection = {
      id,
      flow,
      write: (data) => this.#corks.write(socket, data),
      close: () => {
        this.#corks.release(socket);
        socket.destroy();
      },
    };
    this.#connections.set(id, connection);
    socket.setNoDelay(true);
    const timeOut = (reason: string) => {
      this.options.observer?.onDropped(reason, protocol);
      socket.destroy();
    };
    socket.setTimeout(this.options.idleTimeoutMs ?? defaultConnectionLimits.idleTimeoutMs, () => timeOut('idle timeout'));
    let firstMessage = accepted
      ? setTimeout(() => timeOut('no message in time'), this.options.firstMessageTimeoutMs ?? defaultConnectionLimits.firstMessageTimeoutMs)
      : undefined;
    let slowMessage: NodeJS.Timeout | undefined;
    const messageTimeoutMs = this.options.messageTimeoutMs ?? defaultConnectionLimits.messageTimeoutMs;
    let closing = false;
    socket.on('data', (chunk: Buffer) => {
      if (closing) return; // read and discard until the peer closes, so our last answer is not lost to a reset
      let frames;
      try {
        frames = framer.push(chunk);
      } catch (error) {
        // §18.3: once framing is lost the stream cannot be trusted; answer what can be answered, then close.
        const fault = error instanceof FramingError ? error : null;
        this.options.observer?.onDropped(fault?.status === 413 ? 'too large' : 'unframeable', protocol);
        if (fault?.head) this.#answerFault(framingFault(fault, fault.head), flow);
        closing = true;
        closeAfterWrite(socket);
        return;
      }
      for (const frame of frames) {
        if (frame.kind === 'keepalive-ping') {
          this.#corks.write(socket, '\r\n'); // RFC 5626 §4.4.1 pong
          continue;
        }
        clearTimeout(firstMessage);
        firstMessage = undefined;
        if (!this.#receive(frame.data, limits, flow)) {
          // A peer that sends what we cannot parse is broken or hostile; it gets its 400 and the door.
          closing = true;
          closeAfterWrite(socket);
          return;
        }
      }
      // A message under way must complete in time; each new one gets the full time.
      if (frames.some((frame) => frame.kind === 'message') || !framer.inMessage) {
        clearTimeout(slowMessage);
        slowMessage = undefined;
      }
      if (framer.inMessage && slowMessage === undefined) slowMessage = setTimeout(() => timeOut('message too slow'), messageTimeoutMs);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(firstMessage);
      clearTimeout(slowMessage);
      this.#closed(connection);
    });
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
    let firstMessage: NodeJS.Timeout | undefined = setTimeout(() => {
      this.options.observer?.onDropped('no message in time', protocol);
      ws.terminate();
    }, this.options.firstMessageTimeoutMs ?? defaultConnectionLimits.firstMessageTimeoutMs);
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
      clearTimeout(firstMessage);
      firstMessage = undefined;
      // RFC 6455 §7.4.1 1008: the peer sent what we cannot parse; it has its 400, the close follows it.
      if (!this.#receive(buffer, this.#limits.webSocket, flow)) ws.close(1008, 'Malformed SIP message');
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(firstMessage);
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
    this.options.observer?.onDropped('refused by admission', protocol);
    return false;
  }

  /**
   * Parses and passes a message up; false when it could not be parsed (and was answered if it could
   * be). A message the admission refuses is dropped unparsed and its stream closed.
   */
  #receive(data: Buffer, limits: ParseLimits, flow: Flow): boolean {
    this.options.observer?.onReceived(flow.protocol);
    if (this.options.admission && !this.options.admission.admitMessage(flow.remoteAddress)) {
      this.options.observer?.onDropped('refused by admission', flow.protocol);
      if (flow.connectionId) this.closeConnection(flow.connectionId);
      return true;
    }
    const outcome = parseMessage(data, limits);
    if (!outcome.ok) {
      this.options.observer?.onDropped(outcome.status === 413 ? 'too large' : 'malformed', flow.protocol);
      this.#answerFault(outcome, flow);
      return false;
    }
    const message = outcome.message;
    if (message.kind === 'request') stampReceived(message, flow);
    this.#safely(() => this.#user?.onMessage(message, flow), 'message handler');
    return true;
  }

  /** §8.2 / RFC 4475: answer what can be answered; an ACK is never answered (§17.2.3). */
  #answerFault(fault: Extract<ParseOutcome, { ok: false }>, flow: Flow): void {
    if (!fault.answerable || fault.answerable.method === 'ACK') return;
    const response = createResponse(fault.answerable, fault.status, { reason: safeReason(fault.reason) });
    this.#safely(() => this.sendOnFlow(response, flow), 'answer malformed');
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
    // A response leaves from where its request came in (RFC 3581 §4). A request leaves from the first
    // endpoint, which names itself in our Via: in a cluster worker its own port, so that a peer that
    // answers to the source (not the Via) still reaches the worker that holds the transaction.
    return this.#sendUdp(data, flow.remoteAddress, flow.remotePort, message.kind === 'response' ? flow.localPort : 0);
  }

  /**
   * §18.2.2: a response goes back on the request's connection if it is open; over UDP to the
   * `received` address and the `rport` (RFC 3581) or sent-by port.
   */
  sendResponse(response: SipResponse, requestFlow: Flow): boolean {
    if (requestFlow.connectionId && this.#connections.has(requestFlow.connectionId)) return this.sendOnFlow(response, requestFlow);
    if (requestFlow.protocol === 'UDP') return this.sendUdpResponse(response, requestFlow) !== null;
    return false;
  }

  /**
   * §18.2.2 over UDP: to the top Via's `received` address and its `rport` (RFC 3581) or sent-by
   * port, from the address and port the request arrived on (RFC 3581 §4). Returns the datagram as
   * sent, for a transaction that resends it to retransmissions later (`resend`); null when the
   * response names nowhere to go or there is no socket to send it from.
   */
  sendUdpResponse(response: SipResponse, requestFlow: Flow): SentDatagram | null {
    const top = getHeader(response, 'Via');
    if (!top) return null;
    const via = parseVia(top);
    const rport = via.params.get('rport');
    const sent: SentDatagram = {
      data: serializeMessage(response),
      address: (via.params.get('received') ?? via.host).replace(/^\[|\]$/g, ''),
      port: rport ? Number(rport) : (via.port ?? 5060),
      localPort: requestFlow.localPort,
    };
    return this.resend(sent) ? sent : null;
  }

  /** Sends a datagram again, byte for byte, where it went before. */
  resend(sent: SentDatagram): boolean {
    return this.#sendUdp(sent.data, sent.address, sent.port, sent.localPort);
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

  /** Out of the endpoint the flow names by its local port, else the first of the address's family. */
  #sendUdp(data: Buffer, address: string, port: number, localPort = 0): boolean {
    const ipv6 = address.includes(':');
    const endpoint =
      (localPort !== 0 ? this.#udpEndpoints.find((e) => e.localPort === localPort && e.ipv6 === ipv6) : undefined) ??
      this.#udpEndpoints.find((e) => e.ipv6 === ipv6) ??
      this.#udpEndpoints[0];
    if (!endpoint) return false;
    endpoint.send(data, port, address);
    return true;
  }

  closeConnection(id: string): void {
    this.#connections.get(id)?.close();
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const connection of [...this.#connections.values()]) connection.close();
    this.#connections.clear();
    await Promise.all(this.#udpEndpoints.splice(0).map((endpoint) => endpoint.close()));
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

/**
 * dgram resolves every destination before sending, even an IP address, through dns.lookup, which
 * answers on the next tick: one deferred callback per datagram. We send to addresses (a Via's
 * received, a flow's source) almost always, so those are answered at once; names go to dns.lookup.
 */
function lookupLiteralAtOnce(
  hostname: string,
  options: LookupOneOptions | number,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(hostname);
  if (family !== 0) return callback(null, hostname, family);
  dnsLookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
}

/** §18.2.1 and RFC 3581 §4: record the source address and port in the top Via. */
function stampReceived(request: SipRequest, flow: Flow): void {
  const index = request.headers.findIndex((h) => h.name === 'Via');
  if (index < 0) return;
  const via = parseVia(request.headers[index]!.value);
  const source = flow.remoteAddress.includes(':') ? `[${flow.remoteAddress}]` : flow.remoteAddress;
  const stampReceivedAt = via.host.replace(/^\[|\]$/g, '').toLowerCase() !== flow.remoteAddress.toLowerCase();
  const stampRport = via.params.has('rport') && !via.params.get('rport');
  if (!stampReceivedAt && !stampRport) return;
  // The parsed Via is shared with every reader of its text: the stamped one is a Via of its own.
  const params = new Map(via.params);
  if (stampReceivedAt) params.set('received', flow.remoteAddress.includes(':') ? source : flow.remoteAddress);
  if (stampRport) params.set('rport', String(flow.remotePort));
  request.headers[index] = { name: 'Via', value: formatVia({ ...via, params }) };
}

/**
 * The fault to answer for a stream whose framing was lost: the framer's reason and status, for
 * the request its complete header block holds (parsed as if it had no body), when it is one.
 */
function framingFault(error: FramingError, head: Buffer): Extract<ParseOutcome, { ok: false }> {
  const parsed = parseMessage(head, { maxBytes: head.length, maxHeaderLines: defaultParseLimits.maxHeaderLines });
  const answerable = parsed.ok ? (parsed.message.kind === 'request' ? parsed.message : null) : parsed.answerable;
  return { ok: false, status: error.status, reason: error.message, answerable };
}

/** Time a peer gets to read our last answer before the connection is torn down regardless. */
const LINGER_MS = 2_000;

const PROBE_KEY_BYTES = 16;
/** NUL, the key, and a 64-bit monotonic timestamp in nanoseconds. */
const PROBE_BYTES = 1 + PROBE_KEY_BYTES + 8;

/** Where an endpoint reaches itself: its own address, or loopback when it listens on every address. */
function ownAddress(endpoint: DatagramEndpoint): string {
  if (endpoint.localAddress === '0.0.0.0') return '127.0.0.1';
  if (endpoint.localAddress === '::') return '::1';
  return endpoint.localAddress;
}

/**
 * Sends what is queued, then FIN; the socket keeps reading (and discarding) so that closing with
 * unread input does not turn into a reset that could destroy the answer in flight.
 */
function closeAfterWrite(socket: Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * RFC 6455 §10.2: a browser names the page's origin, and a page from elsewhere must not reach the
 * SIP service with the user's network position. Allowed: no Origin (SIP terminals are not
 * browsers), the service's own origin (Host over http or https), and the configured ones.
 */
function originAllowed(request: IncomingMessage, allowed: string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes('*')) return true;
  const normalised = originOf(origin);
  if (normalised === null) return false;
  if (allowed.some((entry) => originOf(entry) === normalised)) return true;
  const host = request.headers.host;
  return host !== undefined && (originOf(`http://${host}`) === normalised || originOf(`https://${host}`) === normalised);
}

/** The serialised origin (lower-case scheme and host, default port dropped), or null for `null` and garbage. */
function originOf(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
