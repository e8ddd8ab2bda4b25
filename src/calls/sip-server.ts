import { createHash, randomBytes } from 'node:crypto';
import { createSocket as createUdpSocket } from 'node:dgram';
import { createServer as createTcpServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { SipEdgeConfig } from '../platform/config/index.js';
import type { Metrics } from '../platform/metrics.js';
import type { Database } from '../platform/db/index.js';
import {
  DigestAuthenticator,
  TransactionLayer,
  OverloadControl,
  defaultTimerValues,
  type TimerValues,
  TransportLayer,
  type DatagramEndpoint,
  type DatagramReceiver,
  type MessageSizeLimits,
  type TransportObserver,
  type TransportProtocol,
} from '../sip/index.js';
import { unmeteredBudget, type CallBudget } from './call-budget.js';
import type { CallPolicy } from './call-policy.js';
import { CallRecorder, type CallEventObserver } from './call-records.js';
import { DurableLocationService } from './durable-location.js';
import type { LocationService } from './location-service.js';
import { DatabaseLocationStore } from './location-store-database.js';
import { LocationReplication, RedisLocationStore } from './location-store-redis.js';
import { RedisNonceCounts } from './redis-nonce-counts.js';
import { shareAccountInvalidations } from './sip-account-invalidations.js';
import type { SharedRedis } from '../platform/redis.js';
import { Proxy, type ProxyRefusal } from './proxy.js';
import { Registrar } from './registrar.js';
import { numberOfDigestUsername, SipAccountStore } from './sip-accounts.js';
import { SipAuthentication } from './sip-authentication.js';
import { InMemorySipBanList, type SipBanList } from './sip-bans.js';
import { SharedSipBanList } from './redis-sip-bans.js';
import { createEdgeGuard } from './edge-guard.js';
import { SipDeviceMessenger, type DeviceMessenger, type NoticeIdentity } from './device-messenger.js';
import type { MovedNumbers } from './moved-numbers.js';
import { MediaBridge } from './media-bridge.js';
import { parseRtpengineUrl, RtpengineClient } from './rtpengine-client.js';

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
  /** Contacts one number may have registered at once (the registrar's `maxContacts`); 10 when omitted. */
  maxContactsPerNumber?: number;
  /** RFC 4028 interval asked for when the caller asks for none (null: none). */
  sessionExpiresSeconds?: number | null;
  timers?: TimerValues;
  /** Shared by every node so nonces and flow tokens verify anywhere; random per process otherwise. */
  secret?: Buffer;
  /** Where call record writes wait while the database is down (see CallRecorder); none: they fail. */
  journalDir?: string | null;
  /** Rate limit, bans and the unknown-username cache. */
  edge: SipEdgeConfig;
  /** rtpengine's ng control URL (`udp:host:port`) for media between browsers and plain-RTP phones; none by default. */
  rtpengineUrl?: string | null;
  /** This node's name (NODE_ID): whose bindings are whose in the location store. */
  nodeId?: string;
  /**
   * Redis shared by several nodes (issue #17): bindings, their announcements, nonce counts and
   * account cache invalidations. Without it bindings persist in the database, for this node alone.
   * The service owns the connections (other modules announce on them too) and closes them.
   */
  redis?: SharedRedis | null;
  /**
   * Set in a cluster worker (issue #17, SIP_WORKERS): the public UDP port is one socket every worker
   * reads, each datagram handled by the worker it belongs to; TCP and TLS on the public ports are
   * shared through the primary. The worker also listens
   * on a private port of its own (UDP and TCP, 0: the system picks) that it names in Via and
   * Record-Route, so responses and in-dialog requests come to the worker that holds the transaction.
   */
  worker?: {
    privatePort: number;
    publicUdp: {
      endpoint: DatagramEndpoint;
      /** Takes datagrams from now on; `privatePort` is the worker's own (requests routed to it come to it). */
      start(receive: DatagramReceiver, privatePort: number): Promise<void>;
    };
  };
}

export interface SipServer {
  transport: TransportLayer;
  transactions: TransactionLayer;
  location: LocationService;
  accounts: SipAccountStore;
  /** Failed-authentication bans (listed and lifted in the console); shared by every node through Redis when configured. */
  bans: SipBanList;
  proxy: Proxy;
  recorder: CallRecorder;
  /** RFC 3428 MESSAGE from the operator to every registered device of some numbers (urgent notices). */
  messenger: DeviceMessenger;
  /** Ends every call (answered or ringing) of these numbers on this node; returns how many (see Proxy). */
  hangUpCallsOf(numbers: readonly string[], reason: string): number;
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
  deps: {
    db: Kysely<Database>;
    clock: Clock;
    logger: Logger;
    /** Who may call and register: entitlements' policy, over this node's account cache. */
    policy: (accounts: SipAccountStore) => CallPolicy;
    /** How long calls may run (clause 9: charging); unmetered without it. */
    budget?: CallBudget;
    observer?: TransportObserver;
    metrics?: Metrics;
    /** Numbers that changed (clause 7; the maintenance module's data); none without it. */
    movedNumbers?: MovedNumbers;
    /** Who operator MESSAGEs are from; `"Videophone" <sip:notices@domain>` without it. */
    noticeIdentity?: NoticeIdentity;
  },
): SipServer {
  const logger = deps.logger.child({ component: 'sip' });
  const secret = config.secret ?? randomBytes(32);
  const now = () => deps.clock.now();
  const { edge } = config;
  // Issue #17: registrations survive a restart, in the database or, shared by every node, in Redis.
  const node = config.nodeId ?? 'local';
  const run = randomBytes(4).toString('hex');
  const origin = `${node}/${run}`;
  const redis = config.redis ?? null;
  const localBans = new InMemorySipBanList(
    {
      windowMs: edge.banWindowSeconds * 1000,
      sourceFailures: edge.banSourceFailures,
      usernameFailures: edge.banUsernameFailures,
      banMs: edge.banSeconds * 1000,
      // As long as the longest registration: a device that registered keeps working through a ban.
      trustMs: 3600 * 1000,
      exemptSources: edge.rateLimitExempt,
    },
    () => now().getTime(),
  );
  // Issue #17: with Redis, a ban one node decides holds on every node (and one lifted is lifted everywhere).
  const sharedBans = redis ? new SharedSipBanList(localBans, redis, { origin, now: () => now().getTime(), logger }) : null;
  const bans: SipBanList = sharedBans ?? localBans;
  const metrics = deps.metrics;
  const observer: TransportObserver | undefined =
    deps.observer ??
    (metrics && {
      onDropped: (reason, protocol) => {
        metrics.sipDropped.inc({ reason, protocol });
        if (reason === 'connection limit' || reason === 'source connection limit')
          metrics.connectionsRefused.inc({ transport: protocol, reason });
      },
      onReceived: () => undefined,
    });
  // Message rates are real time, whatever clock the service runs on.
  const guard = createEdgeGuard({
    ratePerSecond: edge.rateLimitPerSecond,
    burst: edge.rateLimitBurst,
    exempt: edge.rateLimitExempt,
    bans,
    ...(metrics ? { onRefused: (reason: string) => metrics.sipRefused.inc({ reason }) } : {}),
  });
  const transport = new TransportLayer({
    allowedOrigins: config.allowedOrigins,
    ...(observer ? { observer } : {}),
    admission: guard,
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
    onError: (error, context) => logger.warn({ err: error, context }, 'SIP transport error'),
  });
  const overload = edge.overloadControl ? overloadControl(logger, metrics) : null;
  const transactions = new TransactionLayer(
    transport,
    config.timers ?? defaultTimerValues,
    undefined,
    overload
      ? {
          control: overload,
          onRefused: (method) => {
            metrics?.sipOverloadRefused.inc({ method: metricMethod(method) });
            metrics?.sipOverloadAdmitted.set(overload.admittedFraction);
          },
        }
      : undefined,
  );
  let stopWatchingQueue: (() => void) | null = null;
  const accounts = new SipAccountStore(
    deps.db,
    config.domain,
    ACCOUNT_TTL_MS,
    edge.unknownUsernameCacheSeconds * 1000,
    ACCOUNT_REVALIDATE_MS,
  );
  const store = redis ? new RedisLocationStore(redis.commands, origin) : new DatabaseLocationStore(deps.db, node);
  const location = new DurableLocationService(store, {
    node,
    run,
    now: () => now().getTime(),
    logger,
    maxRetryMs: redis ? 2_000 : 5_000,
    // Redis takes a write for little more than the round trip, and other nodes wait for it; the
    // database (on the embedded default, this process's own CPU) is better asked less often.
    writeLingerMs: redis ? 0 : 100,
    shared: redis !== null,
  });
  const policy = deps.policy(accounts);
  const replication =
    redis && store instanceof RedisLocationStore
      ? new LocationReplication(redis.subscriber, store, location, {
          origin,
          now: () => now().getTime(),
          logger,
          node: { name: node, commands: redis.commands },
          // A number registered through another node or worker may call through this process:
          // its account and terms are read now, behind that registration, not while its call waits.
          onRemoteRegistration: (aor) => {
            accounts.prefetch(aor);
            policy.registeredElsewhere?.({ aor, at: now() });
          },
        })
      : null;
  const subscribeToAccountChanges = redis ? shareAccountInvalidations(accounts, redis, { origin, logger }) : null;
  const digest = new DigestAuthenticator({
    realm: config.domain,
    secret,
    nonceLifetimeSeconds: 300,
    now: () => now().getTime(),
    ...(redis ? { nonceCounts: new RedisNonceCounts(redis.commands, () => now().getTime(), logger) } : {}),
  });
  const authentication = new SipAuthentication({
    transactions,
    digest,
    accounts,
    bans,
    logger,
    hasLiveRegistration: (username, address) =>
      location.lookup(numberOfDigestUsername(username), now().getTime()).some((binding) => binding.flow.remoteAddress === address),
    ...(metrics
      ? {
          onFailure: (reason: string) => metrics.sipAuthFailures.inc({ reason }),
          onBan: (ban: { kind: string }) => metrics.sipBans.inc({ kind: ban.kind }),
        }
      : {}),
  });
  const registrar: Registrar = new Registrar(
    {
      domain: config.domain,
      ourHosts: [config.advertisedAddress, config.host, '127.0.0.1', 'localhost'],
      minExpires: 60,
      maxExpires: MAX_REGISTRATION_SECONDS,
      defaultExpires: MAX_REGISTRATION_SECONDS,
      maxContacts: config.maxContactsPerNumber ?? 10,
      // Declared below: the proxy issues the Path tokens (it opens them again when a node routes along one).
      pathFor: (flow, aor): string | null => proxy.pathTo(flow, aor),
    },
    authentication,
    policy,
    location,
    () => now().getTime(),
  );
  const recorder = new CallRecorder(deps.db, {
    journalDir: config.journalDir ?? null,
    logger,
    ...(metrics ? { observer: callMetrics(metrics) } : {}),
  });
  metrics?.watchRegistrations(() => location.count());
  const rtpengineAddress = config.rtpengineUrl ? parseRtpengineUrl(config.rtpengineUrl) : null;
  if (config.rtpengineUrl && !rtpengineAddress) throw new Error(`RTPENGINE_URL is not udp:host:port: ${config.rtpengineUrl}`);
  const rtpengine = rtpengineAddress ? new RtpengineClient(rtpengineAddress) : null;
  const media = new MediaBridge(rtpengine, config.advertisedAddress, logger);
  // A worker's own port is known once it listens; the proxy reads these at each use.
  const ports: Partial<Record<TransportProtocol, number>> = {
    UDP: config.port,
    TCP: config.port,
    ...(config.tls ? { TLS: config.tls.port } : {}),
  };
  const proxy: Proxy = new Proxy(
    {
      domain: config.domain,
      addresses: {
        host: config.advertisedAddress,
        ports,
        // A device's outbound proxy setting names the node's public port whichever worker it reaches.
        sharedPorts: [config.port, ...(config.tls ? [config.tls.port] : [])],
        webSocketHost: config.domain,
      },
      flowTokenSecret: secret,
      ringTimeoutMs: config.ringTimeoutSeconds * 1000,
      sessionExpiresSeconds: config.sessionExpiresSeconds ?? null,
      node,
    },
    {
      transactions,
      registrar,
      authentication,
      location,
      policy,
      budget: deps.budget ?? unmeteredBudget,
      recorder,
      logger,
      now,
      movedNumbers: deps.movedNumbers ?? null,
      media,
      ...(metrics ? { onRefused: (reason: ProxyRefusal) => metrics.sipRefused.inc({ reason }) } : {}),
    },
  );
  const messenger = new SipDeviceMessenger({
    domain: config.domain,
    ...(deps.noticeIdentity ? { identity: deps.noticeIdentity } : {}),
    transactions,
    location,
    logger,
    now,
    reach: (binding) => proxy.reach(binding),
    via: (flow, branch) => proxy.via(flow, branch),
  });

  let preloading: Promise<void> = Promise.resolve();
  return {
    transport,
    transactions,
    location,
    accounts,
    bans,
    proxy,
    recorder,
    messenger,
    hangUpCallsOf: (numbers, reason) => proxy.hangUpCallsOf(numbers, reason),
    async listen(httpServer) {
      if (redis) {
        // Subscribed before loading, so no change published meanwhile is missed; not waited on past a
        // few seconds when Redis is away (the replication catches up once it connects).
        const subscribed = Promise.all([replication?.start(), subscribeToAccountChanges?.(), sharedBans?.start()]);
        await Promise.race([subscribed.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
      }
      try {
        const { loaded, dropped } = replication ? await replication.load() : await location.start();
        logger.info({ loaded, dropped, store: redis ? 'redis' : 'database', node }, 'registrations loaded');
      } catch (error) {
        logger.warn({ err: error }, 'could not load the registrations of an earlier run; devices appear as they register');
      }
      // Behind the listening, not before it: a number asked for meanwhile is read on its own.
      preloading = accounts
        .preload()
        .then((loaded) => logger.info({ loaded }, 'SIP accounts loaded'))
        .catch((error: unknown) => logger.warn({ err: error }, 'could not load the SIP accounts ahead; each is read at its first request'));
      let udp: { port: number };
      let tcp: { port: number };
      if (config.worker) {
        // The private port first: a request to a new UDP destination leaves from the first endpoint.
        const own = await listenOnPrivatePort(transport, config.host, config.worker.privatePort);
        ports.UDP = own;
        ports.TCP = own;
        const receive = transport.attachDatagramEndpoint(config.worker.publicUdp.endpoint);
        tcp = await transport.listenTcp(config.host, config.port);
        udp = { port: config.port };
        await config.worker.publicUdp.start(receive, own);
        logger.info({ privatePort: own }, 'SIP worker listening on its own port too');
      } else {
        udp = await transport.listenUdp(config.host, config.port);
        tcp = await transport.listenTcp(config.host, udp.port);
      }
      const tls = config.tls
        ? await transport.listenTcp(config.host, config.tls.port, { cert: config.tls.cert, key: config.tls.key })
        : null;
      transport.attachWebSocket(httpServer, '/sip', false);
      if (overload) {
        const probeKey = createHash('sha256').update('udp-queue-probe\0').update(secret).digest().subarray(0, 16);
        stopWatchingQueue = transport.watchUdpQueueDelay(probeKey, overload.settings.intervalMs, (delayMs) => overload.observe(delayMs));
      }
      logger.info(
        { udp: udp.port, tcp: tcp.port, tls: tls?.port ?? null, domain: config.domain, advertised: config.advertisedAddress },
        'SIP listening',
      );
      return { udp: udp.port, tcp: tcp.port, tls: tls?.port ?? null };
    },
    async close() {
      stopWatchingQueue?.();
      accounts.stopPreloading();
      await preloading;
      proxy.close();
      rtpengine?.close();
      await transport.close();
      replication?.stop();
      // A clean stop loses no registration: what is still being written behind goes now.
      await location.stop();
      await recorder.close();
    },
  };
}

/**
 * A worker's own UDP and TCP port, outside the cluster's shared handles. With no port configured the
 * system picks the UDP one, and TCP must get the same number: tried again on the rare clash.
 */
async function listenOnPrivatePort(transport: TransportLayer, host: string, port: number): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    const probe = port === 0 ? await freeUdpAndTcpPort(host) : port;
    try {
      await transport.listenUdp(host, probe, { exclusive: true });
      await transport.listenTcp(host, probe, undefined, { exclusive: true });
      return probe;
    } catch (error) {
      if (port !== 0 || attempt >= 5) throw error;
    }
  }
}

/** The longest registration the registrar grants (§10.3 step 7 clamps longer requests to it). */
const MAX_REGISTRATION_SECONDS = 3600;
/** How long a SIP account read is trusted as it is; announced changes (suspensions, rotations) apply at once. */
const ACCOUNT_TTL_MS = 2_000;
/**
 * Up to this age a known account answers from the cache while it is read again behind the request.
 * Longer than a registration lasts, so a device's refresh (every hour at most) finds its account
 * and costs a share of a batched re-read, not a query of its own the REGISTER waits for. Every change
 * the service makes to an account is announced and applies at once; one made outside it (a
 * provisioning run from another process) still reaches at most one more request of that number.
 */
const ACCOUNT_REVALIDATE_MS = 2 * MAX_REGISTRATION_SECONDS * 1000;

/** A port number free for both UDP and TCP right now. */
async function freeUdpAndTcpPort(host: string): Promise<number> {
  for (;;) {
    const udp = createUdpSocket(host.includes(':') ? 'udp6' : 'udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ port: 0, address: host, exclusive: true }, () => resolve(udp.address().port));
    });
    const tcp = createTcpServer();
    const free = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen({ port, host, exclusive: true }, () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (free) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (free) return port;
  }
}

/**
 * Call figures from the proxy's own events: a call is in progress from its start until it fails or
 * ends; a set of Call-IDs (not a bare counter) keeps a repeated report from counting twice.
 */
function callMetrics(metrics: Metrics): CallEventObserver {
  const live = new Set<string>();
  const finish = (callId: string) => {
    live.delete(callId);
    metrics.callsInProgress.set(live.size);
  };
  return {
    started(callId) {
      if (live.has(callId)) return;
      live.add(callId);
      metrics.callAttempts.inc();
      metrics.callsInProgress.set(live.size);
    },
    answered() {
      metrics.callOutcomes.inc({ status: '200' });
    },
    failed(callId, finalStatus) {
      metrics.callOutcomes.inc({ status: String(finalStatus) });
      finish(callId);
    },
    ended: finish,
  };
}

/** Methods that start work outside a dialog; anything else is counted as `other`, so a peer cannot grow the metric's labels. */
const METRIC_METHODS = new Set([
  'INVITE',
  'REGISTER',
  'OPTIONS',
  'MESSAGE',
  'SUBSCRIBE',
  'PUBLISH',
  'REFER',
  'NOTIFY',
  'INFO',
  'UPDATE',
  'PRACK',
  'BYE',
]);

function metricMethod(method: string): string {
  return METRIC_METHODS.has(method) ? method : 'other';
}

/** Local overload control (src/sip/transaction/overload.ts), its episodes logged and its admitted fraction exported. */
function overloadControl(logger: Logger, metrics: Metrics | undefined): OverloadControl {
  const control: OverloadControl = new OverloadControl(undefined, {
    onEpisode: ({ overloaded, refused }) => {
      metrics?.sipOverloadAdmitted.set(overloaded ? control.admittedFraction : 1);
      if (overloaded)
        logger.warn(
          { targetDelayMs: control.settings.targetDelayMs },
          'SIP overload: datagrams wait too long in the receive queue; part of the new requests are refused with 503 until it drains',
        );
      else logger.warn({ refused }, 'SIP overload over: every new request is admitted again');
    },
  });
  return control;
}
