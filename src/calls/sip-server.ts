import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/schema.js';
import { DigestAuthenticator } from '../sip/auth/digest.js';
import { TransactionLayer } from '../sip/transaction/transaction-layer.js';
import { defaultTimerValues, type TimerValues } from '../sip/transaction/timers.js';
import { TransportLayer, type MessageSizeLimits, type TransportObserver } from '../sip/transport/transport-layer.js';
import { accountStatePolicy, type CallPolicy } from './call-policy.js';
import { CallRecorder } from './call-records.js';
import { InMemoryLocationService, type LocationService } from './location-service.js';
import { Proxy } from './proxy.js';
import { Registrar } from './registrar.js';
import { SipAccountStore } from './sip-accounts.js';

export interface SipServerConfig {
  domain: string;
  host: string;
  port: number;
  /** Address peers reach us at, put in Via and Record-Route. */
  advertisedAddress: string;
  tls?: { port: number; cert: string; key: string };
  allowedOrigins: string[];
  /** Caps on stream connections and their timeouts; the transport's defaults when omitted. */
  connections?: { max: number; maxPerSource: number; firstMessageTimeoutMs: number; messageTimeoutMs: number; idleTimeoutMs: number };
  maxMessageBytes?: MessageSizeLimits;
  /** Reverse proxies in front of the WebSocket, exempt from the per-source cap. */
  isTrustedProxy?: (address: string) => boolean;
  ringTimeoutSeconds: number;
  timers?: TimerValues;
  /** Clients that read only the first digest challenge and need MD5 there. */
  md5FirstUserAgents?: string[];
  /** Shared by every node so nonces and flow tokens verify anywhere; random per process otherwise. */
  secret?: Buffer;
}

export interface SipServer {
  transport: TransportLayer;
  transactions: TransactionLayer;
  location: LocationService;
  accounts: SipAccountStore;
  proxy: Proxy;
  /** Binds UDP and TCP (and TLS) on the SIP port and SIP over WebSocket on the HTTP server. */
  listen(httpServer: HttpServer): Promise<{ udp: number; tcp: number; tls: number | null }>;
  close(): Promise<void>;
}

export function defaultAdvertisedAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

export function createSipServer(
  config: SipServerConfig,
  deps: { db: Kysely<Database>; clock: Clock; logger: Logger; policy?: CallPolicy; observer?: TransportObserver },
): SipServer {
  const logger = deps.logger.child({ component: 'sip' });
  const secret = config.secret ?? randomBytes(32);
  const transport = new TransportLayer({
    allowedOrigins: config.allowedOrigins,
    ...(config.connections
      ? {
          maxConnections: config.connections.max,
          maxConnectionsPerSource: config.connections.maxPerSource,
          firstMessageTimeoutMs: config.connections.firstMessageTimeoutMs,
          messageTimeoutMs: config.connections.messageTimeoutMs,
          idleTimeoutMs: config.connections.idleTimeoutMs,
        }
      : {}),
    ...(config.maxMessageBytes ? { messageSizes: config.maxMessageBytes } : {}),
    ...(config.isTrustedProxy ? { isTrustedProxy: config.isTrustedProxy } : {}),
    ...(deps.observer ? { observer: deps.observer } : {}),
    onError: (error, context) => logger.warn({ err: error, context }, 'SIP transport error'),
  });
  const transactions = new TransactionLayer(transport, config.timers ?? defaultTimerValues);
  const accounts = new SipAccountStore(deps.db, config.domain);
  const location = new InMemoryLocationService();
  const now = () => deps.clock.now();
  const digest = new DigestAuthenticator({
    realm: config.domain,
    secret,
    nonceLifetimeSeconds: 300,
    now: () => now().getTime(),
    md5FirstUserAgents: config.md5FirstUserAgents ?? ['JsSIP', 'SIP.js', 'sipp'],
  });
  const registrar = new Registrar(
    {
      domain: config.domain,
      ourHosts: [config.advertisedAddress, config.host, '127.0.0.1', 'localhost'],
      minExpires: 60,
      maxExpires: 3600,
      defaultExpires: 3600,
    },
    digest,
    accounts,
    location,
    () => now().getTime(),
  );
  const ports = { UDP: config.port, TCP: config.port, ...(config.tls ? { TLS: config.tls.port } : {}) };
  const proxy = new Proxy(
    {
      domain: config.domain,
      addresses: { host: config.advertisedAddress, ports, webSocketHost: config.domain },
      flowTokenSecret: secret,
      ringTimeoutMs: config.ringTimeoutSeconds * 1000,
      sessionExpiresSeconds: null,
    },
    {
      transactions,
      registrar,
      digest,
      accounts,
      location,
      policy: deps.policy ?? accountStatePolicy(accounts),
      recorder: new CallRecorder(deps.db),
      logger,
      now,
    },
  );

  return {
    transport,
    transactions,
    location,
    accounts,
    proxy,
    async listen(httpServer) {
      const udp = await transport.listenUdp(config.host, config.port);
      const tcp = await transport.listenTcp(config.host, udp.port);
      const tls = config.tls
        ? await transport.listenTcp(config.host, config.tls.port, { cert: config.tls.cert, key: config.tls.key })
        : null;
      transport.attachWebSocket(httpServer, '/sip', false);
      logger.info(
        { udp: udp.port, tcp: tcp.port, tls: tls?.port ?? null, domain: config.domain, advertised: config.advertisedAddress },
        'SIP listening',
      );
      return { udp: udp.port, tcp: tcp.port, tls: tls?.port ?? null };
    },
    close: () => transport.close(),
  };
}
