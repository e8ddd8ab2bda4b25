import { readFileSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism, hostname } from 'node:os';
import { parseEnv } from 'node:util';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { settingEnvName, settingsSchema, type Settings } from './settings.js';

/**
 * Process configuration: where to listen, which database, which keys. Read from the environment,
 * optionally completed by a dotenv-style file named by CONFIG_FILE (the environment wins).
 * Validated once at start; a wrong value stops the process (exit code 2) with one message per fault.
 * Each variable's `description` is its documentation: docs/configuration.md is generated from them
 * (`npm run generate:config-docs`).
 */
export const environmentSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    description:
      '`production` refuses demo data, turns the payment simulator off and makes session cookies Secure; `test` is for the test suite.',
    default: 'development',
  }),
  HOST: Type.String({
    description: 'Listen address for HTTP: the web app, the API and SIP over WebSocket at /sip.',
    minLength: 1,
    default: '0.0.0.0',
  }),
  PORT: Type.Integer({
    description: 'HTTP port: the web app, the API, /healthz, /readyz, /metrics and SIP over WebSocket at /sip.',
    minimum: 0,
    maximum: 65535,
    default: 8080,
  }),
  SIP_PORT: Type.Integer({ description: 'SIP over UDP and TCP.', minimum: 0, maximum: 65535, default: 5060 }),
  SIP_DOMAIN: Type.String({
    description: "The SIP domain (the host part of every subscriber's address) and the digest realm; the same on every node.",
    pattern: '^[A-Za-z0-9.-]+$',
    default: 'vp.test',
  }),
  SIP_ENABLED: Type.Boolean({
    description: 'Serve SIP (UDP, TCP, TLS and WebSocket). Off: HTTP only, e.g. for a node that only serves the console.',
    default: true,
  }),
  SIP_HOST: Type.String({ description: 'Listen address for SIP over UDP, TCP and TLS.', minLength: 1, default: '0.0.0.0' }),
  SIP_ADVERTISED_ADDRESS: Type.Optional(
    Type.String({
      description: 'Address peers reach this node at (Via, Record-Route). Default: the first non-loopback IPv4 address.',
      pattern: '^[0-9a-fA-F.:]+$',
    }),
  ),
  SIP_WORKERS: Type.Optional(
    Type.Integer({
      description:
        "Processes serving this node's SIP ports and HTTP port (issue #17). Default: one per core when DATABASE_URL and REDIS_URL are set; 1 on the embedded database, which one process alone may open. More than 1 needs PostgreSQL and Redis: workers share registrations, nonce counts and cache invalidations there.",
      minimum: 1,
      maximum: 256,
    }),
  ),
  SIP_WORKER_PORT_BASE: Type.Optional(
    Type.Integer({
      description:
        "Worker i's own SIP port (UDP and TCP) is this plus i; it goes in the worker's Via, Record-Route and Path so responses and in-dialog requests reach it. Unset: ports the system picks.",
      minimum: 1,
      maximum: 65535,
    }),
  ),
  SIP_TLS_PORT: Type.Optional(Type.Integer({ description: 'SIP over TLS. Unset: no TLS listener.', minimum: 0, maximum: 65535 })),
  SIP_TLS_CERT_FILE: Type.Optional(
    Type.String({
      description:
        'Certificate chain (PEM) for SIP over TLS. Without it and SIP_TLS_KEY_FILE a self-signed development certificate is made under DATA_DIR/secrets, which production refuses.',
      minLength: 1,
    }),
  ),
  SIP_TLS_KEY_FILE: Type.Optional(Type.String({ description: 'Private key (PEM) of SIP_TLS_CERT_FILE.', minLength: 1 })),
  SIP_ALLOWED_ORIGINS: Type.String({
    description:
      "Browser origins allowed to open SIP over WebSocket besides the service's own (the Host it was reached at, over http or https), comma-separated; `*` allows any. Requests without Origin (SIP terminals) are always allowed.",
    default: '',
  }),
  SIP_MAX_CONNECTIONS: Type.Integer({
    description:
      "Open SIP stream connections (TCP, TLS and WebSocket together); more are closed at once. With HTTP_MAX_CONNECTIONS it must stay well under the process's open-file limit.",
    minimum: 1,
    maximum: 1_000_000,
    default: 8000,
  }),
  SIP_MAX_CONNECTIONS_PER_SOURCE: Type.Integer({
    description: 'Open SIP stream connections from one address (a NAT with many phones needs one each).',
    minimum: 1,
    maximum: 1_000_000,
    default: 100,
  }),
  SIP_FIRST_MESSAGE_TIMEOUT_SECONDS: Type.Integer({
    description: 'A new SIP connection must deliver one whole message (a REGISTER, say) within this, TLS handshake included.',
    minimum: 1,
    maximum: 3600,
    default: 30,
  }),
  SIP_MESSAGE_TIMEOUT_SECONDS: Type.Integer({
    description: 'A SIP message whose first bytes arrived on a stream must be complete within this (slow senders).',
    minimum: 1,
    maximum: 600,
    default: 10,
  }),
  SIP_IDLE_TIMEOUT_SECONDS: Type.Integer({
    description:
      'A TCP/TLS connection silent this long is closed: five RFC 5626 keep-alive intervals (§4.4.1, at most 120 s). WebSockets are kept by ping/pong instead.',
    minimum: 10,
    maximum: 86_400,
    default: 600,
  }),
  SIP_MAX_MESSAGE_BYTES_UDP: Type.Integer({
    description: 'Largest SIP message over UDP; RFC 3261 §18.1.1 requires up to 65,535.',
    minimum: 1500,
    maximum: 65_535,
    default: 65_535,
  }),
  SIP_MAX_MESSAGE_BYTES_STREAM: Type.Integer({
    description: 'Largest SIP message over TCP and TLS (also the most a connection buffers while a message arrives).',
    minimum: 1500,
    maximum: 1_048_576,
    default: 65_535,
  }),
  SIP_MAX_MESSAGE_BYTES_WEBSOCKET: Type.Integer({
    description: 'Largest SIP message (WebSocket frame) over WebSocket.',
    minimum: 1500,
    maximum: 1_048_576,
    default: 65_535,
  }),
  HTTP_MAX_CONNECTIONS: Type.Integer({
    description: "Open HTTP connections, WebSockets included; more are closed at once (Node's server.maxConnections).",
    minimum: 1,
    maximum: 1_000_000,
    default: 8000,
  }),
  HTTP_MAX_CONNECTIONS_PER_SOURCE: Type.Integer({
    description: 'Open HTTP connections from one address; not applied to the proxies TRUST_PROXY names.',
    minimum: 1,
    maximum: 1_000_000,
    default: 200,
  }),
  HTTP_HEADERS_TIMEOUT_SECONDS: Type.Integer({
    description: 'The request line and headers must arrive within this (slow-header attacks).',
    minimum: 1,
    maximum: 600,
    default: 10,
  }),
  HTTP_REQUEST_TIMEOUT_SECONDS: Type.Integer({
    description: 'The whole request, body included, must arrive within this (uploads of documents on slow links).',
    minimum: 1,
    maximum: 3600,
    default: 120,
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: Type.Integer({
    description: "An idle keep-alive connection is closed after this; longer than a load balancer's idle timeout (often 60 s).",
    minimum: 1,
    maximum: 3600,
    default: 72,
  }),
  HTTP_IDLE_TIMEOUT_SECONDS: Type.Integer({
    description: 'A connection with no traffic either way for this long is closed (stalled clients that stop reading).',
    minimum: 1,
    maximum: 3600,
    default: 300,
  }),
  SIP_RING_TIMEOUT_SECONDS: Type.Integer({
    description: 'How long a call may ring before the caller hears 408 (§16.6 Timer C, bounded).',
    minimum: 5,
    maximum: 180,
    default: 60,
  }),
  SIP_MAX_CONTACTS_PER_NUMBER: Type.Integer({
    description:
      "Registered contacts one number may hold at once (Kamailio's max_contacts): a REGISTER that would go above it is refused 403, and nothing in it is applied. Every call to the number rings each contact, so without a bound one subscriber could turn each call into thousands of INVITEs at an address of its choosing.",
    minimum: 1,
    maximum: 100,
    default: 10,
  }),
  SIP_SESSION_EXPIRES_SECONDS: Type.Integer({
    description:
      "RFC 4028 session interval the proxy asks for when a caller asks for none: every answered call proves it is alive at least this often (refreshes, or the proxy's own keep-alives), so a call whose end was never seen is closed within this long of its real end. 0 turns it off.",
    minimum: 0,
    maximum: 86_400,
    default: 300,
  }),
  SIP_SECRET: Type.Optional(
    Type.String({ description: 'Shared secret for nonces and flow tokens; set the same value on every node.', minLength: 16 }),
  ),
  SIP_RATE_LIMIT_PER_SECOND: Type.Integer({
    description:
      'SIP messages (datagrams, stream or WebSocket messages) and new connections accepted per second from one source address before anything is parsed (Kamailio pike); the excess is dropped. Per node: with SIP_WORKERS, each worker holds a source to its share.',
    minimum: 1,
    maximum: 1_000_000,
    default: 200,
  }),
  SIP_RATE_LIMIT_BURST: Type.Integer({
    description: 'How many messages a source may send at once above its rate (token bucket depth).',
    minimum: 1,
    maximum: 1_000_000,
    default: 400,
  }),
  SIP_RATE_LIMIT_EXEMPT: Type.String({
    description: 'Source addresses the rate limit and source bans never apply to, comma-separated (trunks, load tests).',
    pattern: '^[0-9a-fA-F.:, ]*$',
    default: '',
  }),
  SIP_BAN_WINDOW_SECONDS: Type.Integer({
    description: 'Failed digest authentications are counted over this sliding window.',
    minimum: 1,
    maximum: 86400,
    default: 60,
  }),
  SIP_BAN_SOURCE_FAILURES: Type.Integer({
    description: 'Failures from one source address within the window that ban the address.',
    minimum: 1,
    maximum: 1_000_000,
    default: 10,
  }),
  SIP_BAN_USERNAME_FAILURES: Type.Integer({
    description: 'Failures for one digest username (from any source) within the window that ban the username.',
    minimum: 1,
    maximum: 1_000_000,
    default: 30,
  }),
  SIP_BAN_SECONDS: Type.Integer({
    description: 'How long a ban lasts; it expires by itself.',
    minimum: 1,
    maximum: 7 * 86400,
    default: 900,
  }),
  SIP_OVERLOAD_CONTROL: Type.Boolean({
    description:
      'Refuse part of the new SIP requests (503 with Retry-After) while datagrams wait more than 300 ms in the UDP receive queue, so that what is admitted is answered before clients retransmit. Requests within calls, and those answering a challenge, are always served. On by default: offered more than it could serve by clients that do not wait for each other (registrations at 1.5 times capacity; calls at 800 and 1,000 a second on a core that serves 600 to 800), the service kept completing about what it can serve and answered within a second or two, where without the control p99 grew to 3 to 16 s (README, "SIP: more than it can serve"). Turn it off only to measure raw capacity.',
    default: true,
  }),
  SIP_UNKNOWN_USERNAME_CACHE_SECONDS: Type.Integer({
    description: 'How long an unknown digest username is remembered as unknown (one database query per name per period).',
    minimum: 0,
    maximum: 3600,
    default: 60,
  }),
  DATA_DIR: Type.String({
    description:
      'Local data: the embedded database (pglite/), the generated data key and the agreement seal (secrets/), and the journal of call records written while the database was down (journal/).',
    minLength: 1,
    default: './data',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      description: 'PostgreSQL server to use instead of the embedded database, e.g. `postgres://videophone@db.internal:5432/videophone`.',
      pattern: '^postgres(ql)?://',
    }),
  ),
  DATABASE_POOL_SIZE: Type.Integer({ description: 'Connections this process keeps to PostgreSQL.', minimum: 2, maximum: 200, default: 10 }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({
    description: 'How long opening a PostgreSQL connection (or waiting for a free one) may take before it counts as down.',
    minimum: 100,
    maximum: 120_000,
    default: 3_000,
  }),
  DATABASE_QUERY_TIMEOUT_MS: Type.Integer({
    description:
      'How long a PostgreSQL query may wait for its answer before it fails as "database unavailable" (a frozen server). 0 waits forever; raise it if a migration or bill run needs longer statements.',
    minimum: 0,
    maximum: 3_600_000,
    default: 15_000,
  }),
  REDIS_URL: Type.Optional(
    Type.String({
      description:
        'Redis shared by several nodes (issue #17): registrations (one hash per number, with TTL), announced to every node over pub/sub, digest nonce counts and SIP account cache invalidations. Unset: registrations persist in the database for this node alone (the embedded default).',
      pattern: '^rediss?://',
    }),
  ),
  SMTP_URL: Type.Optional(
    Type.String({
      description:
        'The SMTP server notices are e-mailed through, e.g. `smtp://user:pass@mail.example:587` or `smtps://…:465`. Without it the e-mail channel is off (deliveries are skipped, with the reason).',
      pattern: '^smtps?://',
    }),
  ),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    {
      description:
        'Least severe level logged: JSON lines on standard output (pretty lines on a terminal in development); `silent` logs nothing.',
      default: 'info',
    },
  ),
  AGREEMENT_SEAL_FILE: Type.Optional(
    Type.String({
      description:
        "The operator's electronic seal for signed agreements (clause 17): an Ed25519 private key, PKCS#8 PEM (`openssl genpkey -algorithm ed25519`). Every node of a deployment must use the same file, or one node's sealed agreements would not verify on another. Without it a key is generated once under DATA_DIR/secrets/agreement-seal.pem.",
      minLength: 1,
    }),
  ),
  DATA_KEYS: Type.Optional(
    Type.String({
      description:
        'Keys for field encryption, `kid:base64(32 bytes)` separated by commas; the first is used for new values, the others still decrypt (rotation). Without it, a key is generated under DATA_DIR.',
      pattern: '^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+)*$',
    }),
  ),
  COOKIE_SECURE: Type.Optional(
    Type.Boolean({ description: 'Mark session cookies Secure. Default: on in production. Behind a TLS-terminating proxy keep it on.' }),
  ),
  TRUST_PROXY: Type.Optional(
    Type.String({
      description:
        "Behind a reverse proxy: `true`, or the proxies' addresses/CIDRs (comma-separated), so client addresses in the audit log and rate limits are the real ones (X-Forwarded-For).",
      pattern: '^(true|false|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$',
    }),
  ),
  HTTP_ALLOWED_ORIGINS: Type.String({
    description:
      "Browser origins besides the service's own that may send cookie-authenticated changes (POST, PUT, PATCH, DELETE), comma-separated, e.g. `https://www.operator.example`. Empty: only the own origin.",
    pattern: '^(https?://[A-Za-z0-9.:\\[\\]-]+(,https?://[A-Za-z0-9.:\\[\\]-]+)*)?$',
    default: '',
  }),
  METRICS_TOKEN: Type.Optional(
    Type.String({
      description:
        'Bearer token that opens /metrics to scrapers on other hosts. Without it, /metrics answers only clients connected from loopback (and not through a proxy); everyone else gets 404.',
      minLength: 16,
      maxLength: 200,
      pattern: '^[\\x21-\\x7e]+$',
    }),
  ),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: Type.Integer({
    description: 'Sign-in attempts allowed per client address per minute, on top of the per-account lockout.',
    minimum: 1,
    maximum: 10000,
    default: 20,
  }),
  APPLICATION_RATE_LIMIT_PER_MINUTE: Type.Integer({
    description: 'Subscriber applications accepted per client address per minute (the form is public).',
    minimum: 1,
    maximum: 10000,
    default: 10,
  }),
  JOBS_ENABLED: Type.Boolean({
    description: 'Run scheduled jobs in this process (turn off on nodes that should only serve traffic).',
    default: true,
  }),
  NODE_ID: Type.Optional(
    Type.String({
      description:
        "This node's name among several sharing one database (default: the host name and SIP port). Charging tags each call's reservation with it, so a restarted node releases what it held; the location store names with it the node that holds each registration's connection, and a node restarted under the same name takes back its registrations. Keep it stable across restarts.",
      minLength: 1,
      maxLength: 200,
    }),
  ),
  RTPENGINE_URL: Type.String({
    description:
      'rtpengine\'s "ng" control socket (`udp:127.0.0.1:2223`), which bridges media between browsers (WebRTC) and SIP phones that speak plain RTP. Empty: no bridge; such calls are refused with 488.',
    pattern: '^(udp:(//)?(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5})?$',
    default: '',
  }),
  TURN_URLS: Type.String({
    description: 'TURN servers handed to softphones, comma-separated (`turn:host:3478?transport=udp,turns:host:5349`).',
    default: '',
  }),
  TURN_SECRET: Type.Optional(
    Type.String({
      description: "coturn's `static-auth-secret` (TURN REST scheme); without it no TURN credentials are issued.",
      minLength: 16,
    }),
  ),
  TURN_CREDENTIAL_TTL_SECONDS: Type.Integer({
    description: 'How long an issued TURN credential stays valid; a call keeps its allocation past it only until refresh.',
    minimum: 60,
    maximum: 604800,
    default: 86400,
  }),
  PAYMENT_WEBHOOK_SECRETS: Type.String({
    description:
      "Shared secrets of payment providers' signed webhooks (HMAC-SHA256), `provider:secret` separated by commas. A provider without a secret has no webhook.",
    pattern: '^([a-z0-9-]+:[^,]{16,}(,[a-z0-9-]+:[^,]{16,})*)?$',
    default: '',
  }),
  PAYMENT_SIMULATOR: Type.Optional(
    Type.Union([Type.Literal('on'), Type.Literal('off')], {
      description:
        'The local payment simulator (a provider and its page, /simulator/pay/…): `on` or `off`. Default: on unless NODE_ENV is production, where turning it on stops the process.',
    }),
  ),
  PAYMENT_SIMULATOR_SECRET: Type.Optional(
    Type.String({
      description: "The simulator's signing secret; without it one is made per process (set it when several nodes run).",
      minLength: 16,
    }),
  ),
  PAYMENT_PUBLIC_URL: Type.Optional(
    Type.String({
      description:
        "The service's public address as providers reach it (`https://vp.operator.example`), for notify and return URLs. Without it, the address the subscriber's browser used.",
      pattern: '^https?://[^/]+/?$',
    }),
  ),
  ALIPAY_APP_ID: Type.Optional(
    Type.String({
      description:
        "Alipay (open.alipay.com): the application's id. With ALIPAY_PRIVATE_KEY_FILE and ALIPAY_PUBLIC_KEY_FILE it turns Alipay on; all three or none.",
      pattern: '^[0-9]{16}$',
    }),
  ),
  ALIPAY_PRIVATE_KEY_FILE: Type.Optional(
    Type.String({
      description: "The application's RSA2 private key (PEM, PKCS#1 or PKCS#8, or the bare base64 Alipay's key tool writes).",
      minLength: 1,
    }),
  ),
  ALIPAY_PUBLIC_KEY_FILE: Type.Optional(
    Type.String({
      description: 'Alipay\'s public key ("支付宝公钥", not the application\'s), which signs notifications and answers.',
      minLength: 1,
    }),
  ),
  ALIPAY_GATEWAY: Type.String({
    description: "Alipay's OpenAPI gateway; the sandbox's is https://openapi-sandbox.dl.alipaydev.com/gateway.do.",
    pattern: '^https?://[^\\s]+$',
    default: 'https://openapi.alipay.com/gateway.do',
  }),
  ALIPAY_FLOW: Type.Union([Type.Literal('qr'), Type.Literal('page')], {
    description: 'How subscribers pay: `qr` (alipay.trade.precreate, a code to scan) or `page` (alipay.trade.page.pay, a redirect).',
    default: 'qr',
  }),
  ALIPAY_SELLER_ID: Type.Optional(
    Type.String({
      description: "The merchant's Alipay account (PID, 2088…); when set, notifications for another seller are refused.",
      pattern: '^2088[0-9]{12}$',
    }),
  ),
  WECHATPAY_MCH_ID: Type.Optional(
    Type.String({
      description:
        'WeChat Pay (pay.weixin.qq.com, API v3) merchant id. With the other WECHATPAY_ variables below (all of them, or none) it turns WeChat Pay Native (QR) payment on.',
      pattern: '^[0-9]{6,32}$',
    }),
  ),
  WECHATPAY_APP_ID: Type.Optional(
    Type.String({ description: 'The AppID bound to the merchant (official account or app).', pattern: '^wx[0-9a-fA-F]{16}$' }),
  ),
  WECHATPAY_SERIAL_NO: Type.Optional(
    Type.String({
      description: "Serial number of the merchant's API certificate (its key signs our requests).",
      pattern: '^[0-9A-Fa-f]{8,64}$',
    }),
  ),
  WECHATPAY_PRIVATE_KEY_FILE: Type.Optional(
    Type.String({ description: "The merchant's API private key (apiclient_key.pem).", minLength: 1 }),
  ),
  WECHATPAY_PLATFORM_PUBLIC_KEY_FILE: Type.Optional(
    Type.String({
      description: "WeChat Pay's public key (pub_key.pem) or platform certificate, which signs answers and notifications.",
      minLength: 1,
    }),
  ),
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID: Type.Optional(
    Type.String({
      description: "Its id as WeChat Pay sends it in Wechatpay-Serial: `PUB_KEY_ID_…`, or the platform certificate's serial.",
      pattern: '^[A-Za-z0-9_]{8,64}$',
    }),
  ),
  WECHATPAY_APIV3_KEY_FILE: Type.Optional(
    Type.String({ description: 'A file holding the 32-character APIv3 key that encrypts notification resources.', minLength: 1 }),
  ),
  WECHATPAY_BASE_URL: Type.String({
    description: "WeChat Pay's API base URL (a local gateway in tests).",
    pattern: '^https?://[^\\s]+/$',
    default: 'https://api.mch.weixin.qq.com/',
  }),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    maxConnections: number;
    maxConnectionsPerSource: number;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    idleTimeoutMs: number;
  };
  sip: {
    enabled: boolean;
    host: string;
    port: number;
    domain: string;
    advertisedAddress: string | undefined;
    tls: { port: number; certFile: string | undefined; keyFile: string | undefined } | undefined;
    /** Worker processes (see SIP_WORKERS); 1: this process serves everything itself. */
    workers: number;
    /** Worker i's private SIP port is this plus i; null: picked by the system. */
    workerPortBase: number | null;
    allowedOrigins: string[];
    connections: { max: number; maxPerSource: number; firstMessageTimeoutMs: number; messageTimeoutMs: number; idleTimeoutMs: number };
    maxMessageBytes: { udp: number; stream: number; webSocket: number };
    ringTimeoutSeconds: number;
    maxContactsPerNumber: number;
    sessionExpiresSeconds: number | null;
    secret: string | undefined;
    /** rtpengine's ng control URL; null: no media bridge. */
    rtpengineUrl: string | null;
    edge: SipEdgeConfig;
  };
  dataDir: string;
  database:
    | { kind: 'pglite'; dataDir: string }
    | { kind: 'postgres'; url: string; poolSize: number; connectTimeoutMs: number; queryTimeoutMs: number };
  redisUrl: string | undefined;
  /** Null: notices are not e-mailed. */
  smtpUrl: string | null;
  logLevel: string;
  dataKeys: string | undefined;
  /** The agreement seal's key file (read and checked at start by agreements); undefined: generated under dataDir. */
  agreementSealFile: string | undefined;
  cookieSecure: boolean;
  trustProxy: boolean | string;
  /** Origins besides the service's own allowed to send cookie-authenticated changes. */
  allowedOrigins: string[];
  /** Null: /metrics for loopback clients only. */
  metricsToken: string | null;
  signInRateLimitPerMinute: number;
  applicationRateLimitPerMinute: number;
  jobsEnabled: boolean;
  nodeId: string;
  settings: Settings;
  /** Null unless both TURN_SECRET and TURN_URLS are set. */
  turn: { urls: string[]; secret: string; credentialTtlSeconds: number } | null;
  paymentWebhookSecrets: Record<string, string>;
  /** Online payment (issue #15): the simulator when on, and the public address for providers' callbacks. */
  payments: { simulator: { secret: string | null } | null; publicUrl: string | null };
  /** Real online payment providers; null where not configured. Key files are read by the adapters' factory. */
  paymentProviders: { alipay: AlipayConfig | null; wechatpay: WechatPayConfig | null };
}

export interface AlipayConfig {
  appId: string;
  privateKeyFile: string;
  alipayPublicKeyFile: string;
  gateway: string;
  flow: 'qr' | 'page';
  sellerId: string | null;
}

export interface WechatPayConfig {
  mchId: string;
  appId: string;
  merchantSerialNo: string;
  privateKeyFile: string;
  platformPublicKeyFile: string;
  platformPublicKeyId: string;
  apiV3KeyFile: string;
  baseUrl: string;
}

/** Anti-abuse at the SIP edge: per-source rate limit, failed-authentication bans, unknown-name cache. */
export interface SipEdgeConfig {
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  rateLimitExempt: string[];
  banWindowSeconds: number;
  banSourceFailures: number;
  banUsernameFailures: number;
  banSeconds: number;
  unknownUsernameCacheSeconds: number;
  /** Local overload control (src/sip/transaction/overload.ts). */
  overloadControl: boolean;
}

export interface ConfigFault {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly faults: ConfigFault[]) {
    super('Invalid configuration:\n' + faults.map((f) => `  ${f.variable}: ${f.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

type Source = Record<string, string | undefined>;

/**
 * Issue #17: one process per core where the state workers must share has a shared home. PGlite is
 * one process's file; without Redis each worker would keep its own registrations and nonce counts,
 * and a call through one worker would not find a device registered through another.
 */
function sipWorkers(configured: number | undefined, databaseUrl: string | undefined, redisUrl: string | undefined): number {
  if (configured === undefined) return databaseUrl && redisUrl ? availableParallelism() : 1;
  if (configured > 1 && !databaseUrl)
    throw new ConfigError([
      { variable: 'SIP_WORKERS', message: 'more than 1 needs DATABASE_URL (PostgreSQL): the embedded database allows one process' },
    ]);
  if (configured > 1 && !redisUrl)
    throw new ConfigError([
      {
        variable: 'SIP_WORKERS',
        message: 'more than 1 needs REDIS_URL: workers share registrations, nonce counts and cache invalidations only through Redis',
      },
    ]);
  return configured;
}

/** Reads and validates the configuration; throws ConfigError naming every wrong variable. */
export function loadConfig(environment: Source = process.env): Config {
  const source = withConfigFile(environment);

  const settingsSource: Record<string, unknown> = {};
  for (const name of Object.keys(settingsSchema.properties)) {
    const raw = source[settingEnvName(name)];
    if (raw !== undefined && raw !== '') settingsSource[name] = raw;
  }
  const faults: ConfigFault[] = [];
  const infrastructure = validate(environmentSchema, pick(source, Object.keys(environmentSchema.properties)), (key) => key, faults);
  const settings = validate(settingsSchema, settingsSource, settingEnvName, faults);
  if (faults.length > 0) throw new ConfigError(faults);
  checkSettingsCoherence(settings);
  // Node refuses a server whose headers may take longer than the whole request.
  if (infrastructure.HTTP_HEADERS_TIMEOUT_SECONDS > infrastructure.HTTP_REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError([{ variable: 'HTTP_HEADERS_TIMEOUT_SECONDS', message: 'must not exceed HTTP_REQUEST_TIMEOUT_SECONDS' }]);
  }

  const simulatorOn = (infrastructure.PAYMENT_SIMULATOR ?? (infrastructure.NODE_ENV === 'production' ? 'off' : 'on')) === 'on';
  // A simulator in production would let anyone "pay" without money changing hands.
  if (simulatorOn && infrastructure.NODE_ENV === 'production') {
    throw new ConfigError([{ variable: 'PAYMENT_SIMULATOR', message: 'the payment simulator must not run in production' }]);
  }

  const workers = sipWorkers(infrastructure.SIP_WORKERS, infrastructure.DATABASE_URL, infrastructure.REDIS_URL);
  const agreementSealFile = infrastructure.AGREEMENT_SEAL_FILE === undefined ? undefined : path.resolve(infrastructure.AGREEMENT_SEAL_FILE);
  const dataDir = path.resolve(infrastructure.DATA_DIR);
  return {
    env: infrastructure.NODE_ENV,
    http: {
      host: infrastructure.HOST,
      port: infrastructure.PORT,
      maxConnections: infrastructure.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerSource: infrastructure.HTTP_MAX_CONNECTIONS_PER_SOURCE,
      headersTimeoutMs: infrastructure.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: infrastructure.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeoutMs: infrastructure.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
      idleTimeoutMs: infrastructure.HTTP_IDLE_TIMEOUT_SECONDS * 1000,
    },
    sip: {
      enabled: infrastructure.SIP_ENABLED,
      host: infrastructure.SIP_HOST,
      port: infrastructure.SIP_PORT,
      domain: infrastructure.SIP_DOMAIN,
      advertisedAddress: infrastructure.SIP_ADVERTISED_ADDRESS,
      tls:
        infrastructure.SIP_TLS_PORT !== undefined
          ? { port: infrastructure.SIP_TLS_PORT, certFile: infrastructure.SIP_TLS_CERT_FILE, keyFile: infrastructure.SIP_TLS_KEY_FILE }
          : undefined,
      workers,
      workerPortBase: infrastructure.SIP_WORKER_PORT_BASE ?? null,
      allowedOrigins: infrastructure.SIP_ALLOWED_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      connections: {
        max: infrastructure.SIP_MAX_CONNECTIONS,
        maxPerSource: infrastructure.SIP_MAX_CONNECTIONS_PER_SOURCE,
        firstMessageTimeoutMs: infrastructure.SIP_FIRST_MESSAGE_TIMEOUT_SECONDS * 1000,
        messageTimeoutMs: infrastructure.SIP_MESSAGE_TIMEOUT_SECONDS * 1000,
        idleTimeoutMs: infrastructure.SIP_IDLE_TIMEOUT_SECONDS * 1000,
      },
      maxMessageBytes: {
        udp: infrastructure.SIP_MAX_MESSAGE_BYTES_UDP,
        stream: infrastructure.SIP_MAX_MESSAGE_BYTES_STREAM,
        webSocket: infrastructure.SIP_MAX_MESSAGE_BYTES_WEBSOCKET,
      },
      ringTimeoutSeconds: infrastructure.SIP_RING_TIMEOUT_SECONDS,
      maxContactsPerNumber: infrastructure.SIP_MAX_CONTACTS_PER_NUMBER,
      sessionExpiresSeconds:
        infrastructure.SIP_SESSION_EXPIRES_SECONDS === 0 ? null : Math.max(90, infrastructure.SIP_SESSION_EXPIRES_SECONDS),
      secret: infrastructure.SIP_SECRET,
      rtpengineUrl: infrastructure.RTPENGINE_URL === '' ? null : infrastructure.RTPENGINE_URL,
      edge: {
        rateLimitPerSecond: infrastructure.SIP_RATE_LIMIT_PER_SECOND,
        rateLimitBurst: infrastructure.SIP_RATE_LIMIT_BURST,
        rateLimitExempt: infrastructure.SIP_RATE_LIMIT_EXEMPT.split(',')
          .map((address) => address.trim())
          .filter(Boolean),
        banWindowSeconds: infrastructure.SIP_BAN_WINDOW_SECONDS,
        banSourceFailures: infrastructure.SIP_BAN_SOURCE_FAILURES,
        banUsernameFailures: infrastructure.SIP_BAN_USERNAME_FAILURES,
        banSeconds: infrastructure.SIP_BAN_SECONDS,
        unknownUsernameCacheSeconds: infrastructure.SIP_UNKNOWN_USERNAME_CACHE_SECONDS,
        overloadControl: infrastructure.SIP_OVERLOAD_CONTROL,
      },
    },
    dataDir,
    database: infrastructure.DATABASE_URL
      ? {
          kind: 'postgres',
          url: infrastructure.DATABASE_URL,
          poolSize: infrastructure.DATABASE_POOL_SIZE,
          connectTimeoutMs: infrastructure.DATABASE_CONNECT_TIMEOUT_MS,
          queryTimeoutMs: infrastructure.DATABASE_QUERY_TIMEOUT_MS,
        }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    redisUrl: infrastructure.REDIS_URL,
    smtpUrl: infrastructure.SMTP_URL ?? null,
    logLevel: infrastructure.LOG_LEVEL,
    dataKeys: infrastructure.DATA_KEYS,
    agreementSealFile,
    cookieSecure: infrastructure.COOKIE_SECURE ?? infrastructure.NODE_ENV === 'production',
    trustProxy: parseTrustProxy(infrastructure.TRUST_PROXY),
    allowedOrigins: parseOrigins(infrastructure.HTTP_ALLOWED_ORIGINS),
    metricsToken: infrastructure.METRICS_TOKEN ?? null,
    signInRateLimitPerMinute: infrastructure.SIGN_IN_RATE_LIMIT_PER_MINUTE,
    applicationRateLimitPerMinute: infrastructure.APPLICATION_RATE_LIMIT_PER_MINUTE,
    jobsEnabled: infrastructure.JOBS_ENABLED,
    nodeId: infrastructure.NODE_ID ?? `${hostname()}:${infrastructure.SIP_PORT}`,
    settings,
    turn: turnConfig(infrastructure.TURN_URLS, infrastructure.TURN_SECRET, infrastructure.TURN_CREDENTIAL_TTL_SECONDS),
    paymentWebhookSecrets: parseWebhookSecrets(infrastructure.PAYMENT_WEBHOOK_SECRETS),
    payments: {
      simulator: simulatorOn ? { secret: infrastructure.PAYMENT_SIMULATOR_SECRET ?? null } : null,
      publicUrl: infrastructure.PAYMENT_PUBLIC_URL?.replace(/\/$/, '') ?? null,
    },
    paymentProviders: { alipay: alipayConfig(infrastructure), wechatpay: wechatPayConfig(infrastructure) },
  };
}

type Infrastructure = Static<typeof environmentSchema>;

/** A provider needs every one of its credentials: some without the others is a mistake worth stopping for. */
function requireAllOrNone<K extends keyof Infrastructure>(infrastructure: Infrastructure, names: K[]): boolean {
  const missing = names.filter((name) => infrastructure[name] === undefined);
  if (missing.length === names.length) return false;
  if (missing.length > 0) {
    const given = names.filter((name) => !missing.includes(name)).join(', ');
    throw new ConfigError(missing.map((name) => ({ variable: name, message: `is required when ${given} is set` })));
  }
  return true;
}

function alipayConfig(infrastructure: Infrastructure): AlipayConfig | null {
  if (!requireAllOrNone(infrastructure, ['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY_FILE', 'ALIPAY_PUBLIC_KEY_FILE'])) return null;
  return {
    appId: infrastructure.ALIPAY_APP_ID!,
    privateKeyFile: infrastructure.ALIPAY_PRIVATE_KEY_FILE!,
    alipayPublicKeyFile: infrastructure.ALIPAY_PUBLIC_KEY_FILE!,
    gateway: infrastructure.ALIPAY_GATEWAY,
    flow: infrastructure.ALIPAY_FLOW,
    sellerId: infrastructure.ALIPAY_SELLER_ID ?? null,
  };
}

function wechatPayConfig(infrastructure: Infrastructure): WechatPayConfig | null {
  const names = [
    'WECHATPAY_MCH_ID',
    'WECHATPAY_APP_ID',
    'WECHATPAY_SERIAL_NO',
    'WECHATPAY_PRIVATE_KEY_FILE',
    'WECHATPAY_PLATFORM_PUBLIC_KEY_FILE',
    'WECHATPAY_PLATFORM_PUBLIC_KEY_ID',
    'WECHATPAY_APIV3_KEY_FILE',
  ] as const;
  if (!requireAllOrNone(infrastructure, [...names])) return null;
  return {
    mchId: infrastructure.WECHATPAY_MCH_ID!,
    appId: infrastructure.WECHATPAY_APP_ID!,
    merchantSerialNo: infrastructure.WECHATPAY_SERIAL_NO!,
    privateKeyFile: infrastructure.WECHATPAY_PRIVATE_KEY_FILE!,
    platformPublicKeyFile: infrastructure.WECHATPAY_PLATFORM_PUBLIC_KEY_FILE!,
    platformPublicKeyId: infrastructure.WECHATPAY_PLATFORM_PUBLIC_KEY_ID!,
    apiV3KeyFile: infrastructure.WECHATPAY_APIV3_KEY_FILE!,
    baseUrl: infrastructure.WECHATPAY_BASE_URL,
  };
}

function parseWebhookSecrets(value: string): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const pair of value.split(',').filter(Boolean)) {
    const colon = pair.indexOf(':');
    secrets[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  return secrets;
}

/** Origins as browsers send them (scheme, host, port only; default ports dropped), so they compare as strings. */
function parseOrigins(value: string): string[] {
  return value
    .split(',')
    .filter(Boolean)
    .map((origin) => {
      try {
        return new URL(origin).origin;
      } catch {
        throw new ConfigError([{ variable: 'HTTP_ALLOWED_ORIGINS', message: `not an origin: ${JSON.stringify(origin)}` }]);
      }
    });
}

function parseTrustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === 'false') return false;
  return value === 'true' ? true : value;
}

function withConfigFile(environment: Source): Source {
  const file = environment.CONFIG_FILE;
  if (!file) return environment;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ variable: 'CONFIG_FILE', message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
  return { ...parseEnv(text), ...environment };
}

function pick(source: Source, keys: string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return picked;
}

function validate<S extends Type.TObject>(
  schema: S,
  raw: Record<string, unknown>,
  nameOf: (key: string) => string,
  into: ConfigFault[],
): Static<S> {
  const value = Value.Convert(schema, Value.Default(schema, { ...raw })) as Record<string, unknown>;
  const faults = new Map<string, ConfigFault>();
  for (const error of Value.Errors(schema, value)) {
    const key = error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    if (faults.has(key)) continue; // one message per variable: the first is the most specific
    faults.set(key, { variable: nameOf(key), message: describeFault(schema, key, raw[key], error.message) });
  }
  into.push(...faults.values());
  return value as Static<S>;
}

function describeFault(schema: Type.TObject, key: string, raw: unknown, message: string): string {
  const property = schema.properties[key] as { anyOf?: { const?: unknown }[] } | undefined;
  const choices = property?.anyOf?.map((option) => option.const).filter((c) => c !== undefined);
  const expected = choices && choices.length > 0 ? `must be one of ${choices.join(', ')}` : message;
  return raw === undefined ? expected : `${expected} (got ${JSON.stringify(raw)})`;
}

function checkSettingsCoherence(settings: Settings): void {
  if (settings.terminateAfterOverdueMonths <= settings.suspendAfterOverdueMonths) {
    throw new ConfigError([
      {
        variable: settingEnvName('terminateAfterOverdueMonths'),
        message: `must be greater than ${settingEnvName('suspendAfterOverdueMonths')} (${settings.suspendAfterOverdueMonths})`,
      },
    ]);
  }
  if (settings.portalAccountLockoutThreshold <= settings.staffLockoutThreshold) {
    throw new ConfigError([
      {
        variable: settingEnvName('portalAccountLockoutThreshold'),
        message: `must be greater than ${settingEnvName('staffLockoutThreshold')} (${settings.staffLockoutThreshold}), or one address locks the account for everyone`,
      },
    ]);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: settings.timeZone });
  } catch {
    throw new ConfigError([{ variable: settingEnvName('timeZone'), message: `unknown time zone ${JSON.stringify(settings.timeZone)}` }]);
  }
}

/** TURN needs both halves: URLs without the secret (or the reverse) is a mistake worth stopping for. */
function turnConfig(rawUrls: string, secret: string | undefined, credentialTtlSeconds: number): Config['turn'] {
  const urls = rawUrls
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  const bad = urls.find((url) => !/^turns?:[^\s]+$/.test(url));
  if (bad)
    throw new ConfigError([{ variable: 'TURN_URLS', message: `each URL must start with turn: or turns: (got ${JSON.stringify(bad)})` }]);
  if (urls.length > 0 && !secret) throw new ConfigError([{ variable: 'TURN_SECRET', message: 'is required when TURN_URLS is set' }]);
  if (secret && urls.length === 0) throw new ConfigError([{ variable: 'TURN_URLS', message: 'is required when TURN_SECRET is set' }]);
  return secret ? { urls, secret, credentialTtlSeconds } : null;
}
