import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './api/index.js';
import { migrations } from './migrations.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config/index.js';
import type { ServiceContext } from './platform/context.js';
import { createFieldCipher, loadOrCreateLocalKeyring, parseKeyring } from './platform/crypto/index.js';
import {
  embeddedMaintenanceJob,
  openDatabase,
  type DatabaseHandle,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  migrateToLatest,
} from './platform/db/index.js';
import { databaseOutageToProblem, trustedProxyMatcher } from './platform/http/index.js';
import { JobRunner } from './platform/jobs/index.js';
import { createLogger } from './platform/logging.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import { connectionCapWarning } from './platform/open-file-limit.js';
import { connectSharedRedis, disconnectSharedRedis } from './platform/redis.js';
import type { TimerValues } from './sip/index.js';
import { expireStaffSessionsJob } from './staff/index.js';
import {
  deemedAcceptanceJob,
  LICENCE_VERSIONS,
  LicenceCatalogue,
  loadOrCreateOperatorSeal,
  type LicenceVersion,
  type OperatorSeal,
} from './agreements/index.js';
import { endNumberQuarantineJob } from './numbers/index.js';
import { completeTerminationsJob, indexSearchTokensJob, reflectSuspensionState, type BalanceSource } from './subscribers/index.js';
import {
  ANNOUNCED_TERMS_CACHE_MS,
  ANNOUNCED_TERMS_REVALIDATE_MS,
  Charging,
  chargingBudget,
  chargingJob,
  shareTermsInvalidations,
  TERMS_CACHE_MS,
} from './charging/index.js';
import {
  closeStaleCallsJob,
  createSipServer,
  type SipServerConfig,
  type CallPolicy,
  defaultAdvertisedAddress,
  loadTlsCertificate,
  type MovedNumbers,
  type SipServer,
} from './calls/index.js';
import { lateMaintenanceJob, numberMovedTo, outageCreditsJob } from './assurance/index.js';
import {
  billingBalanceSource,
  billingCycleJob,
  entitlementsServiceControl,
  listBillRuns,
  onUsageTermsChanged,
  type BillingContext,
} from './billing/index.js';
import { callPolicy, mirrorSuspensionStateTo, onCallRightsChanged } from './entitlements/index.js';
import { RegistrationVersions } from './releases/index.js';
import { noticesJob } from './notices/index.js';
import { noticeContacts } from './subscribers/index.js';
import { endCallsThrough, judicialOrdersJob } from './legal/index.js';
import { buildPaymentProviders, reconcilePaymentsJob, simulatorDeliveriesJob, type PaymentsContext } from './payments/index.js';

export interface Service {
  config: Config;
  ctx: ServiceContext;
  database: DatabaseHandle;
  jobs: JobRunner;
  metrics: Metrics;
  app: FastifyInstance;
  sip: SipServer | null;
  /** Real-time charging against credit limits (clause 9). */
  charging: Charging;
  /** The operator's seal on signed agreements (clause 17). */
  seal: OperatorSeal;
  /** The client software licence's versions (clause 3). */
  licences: LicenceCatalogue;
  /** Online payment (issue #15): providers, the simulator where it runs, billing and termination behind them. */
  payments: PaymentsContext;
  /** Starts the schedule (if enabled) and listens on the configured port. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  clock?: Clock;
  logger?: Logger;
  /** An already open database (tests share engines across cases). */
  database?: DatabaseHandle;
  webRoot?: string | null;
  sipTimers?: TimerValues;
  /** Numbers that changed (clause 7), answered 301 by the proxy; none without it. */
  movedNumbers?: MovedNumbers;
  /** The client licence's versions; tests add a later one to see it asked for again (default: LICENCE_VERSIONS). */
  licenceVersions?: readonly LicenceVersion[];
  /** In a cluster worker (SIP_WORKERS > 1): its private SIP port and the relayed public UDP port. */
  sipWorker?: SipServerConfig['worker'];
  /** Where call record writes wait while the database is down (default DATA_DIR/journal); one per process. */
  journalDir?: string;
}

/** Wires every module together. The same function serves `npm start`, the CLI and tests. */
export async function createService(config: Config, overrides: ServiceOverrides = {}): Promise<Service> {
  const logger = overrides.logger ?? createLogger(config.logLevel, { pretty: config.env === 'development' && process.stdout.isTTY });
  const clock = overrides.clock ?? systemClock;
  const capWarning = connectionCapWarning({ sip: config.sip.enabled ? config.sip.connections.max : 0, http: config.http.maxConnections });
  if (capWarning) logger.warn(capWarning);
  const database = overrides.database ?? (await openDatabase(config.database));
  // A database that is down at start does not stop the process: HTTP answers (not ready), and the
  // migrations, then SIP and the jobs, follow in the background once it answers.
  const startup = new BackgroundMigrations(database, logger);
  await startup.tryOnce();

  const keyring = config.dataKeys ? parseKeyring(config.dataKeys) : loadOrCreateLocalKeyring(config.dataDir);
  const cipher = createFieldCipher(keyring);
  const ctx: ServiceContext = { db: database.db, clock, settings: config.settings, cipher, logger };
  const metrics = createMetrics({ defaultMetrics: overrides.logger === undefined });

  const jobs = new JobRunner(database, clock, logger, metrics.jobObserver);
  // PGlite has no autovacuum (one backend, no launcher): without this its tables bloat and are never analysed.
  if (database.engine === 'pglite') jobs.register(embeddedMaintenanceJob(database.db));
  jobs.register(expireStaffSessionsJob(ctx));
  jobs.register(closeStaleCallsJob(database.db, { maxRingingSeconds: config.sip.ringTimeoutSeconds + 60, maxCallSeconds: 4 * 3600 }));

  // Issue #17: the Redis every node shares, when there are several (SIP state, cache invalidations).
  const redis = config.redisUrl ? connectSharedRedis(config.redisUrl, { name: `videophone:${config.nodeId}`, logger }) : null;

  // Clause 9: every call is charged in real time against its caller's credit limit. Its terms are
  // cached for long only where every change to them reaches this process: alone on the embedded
  // database, or told by Redis; billing and limit changes made here are forgotten (and announced) at once.
  // There, a call setup also takes terms past that lifetime while they are read again behind it.
  const charging = new Charging(ctx, config.nodeId, {
    ...(redis || database.engine === 'pglite'
      ? { termsCacheMs: ANNOUNCED_TERMS_CACHE_MS, revalidateMs: ANNOUNCED_TERMS_REVALIDATE_MS }
      : { termsCacheMs: TERMS_CACHE_MS }),
  });
  const sharedTerms = redis
    ? shareTermsInvalidations(charging, redis, { origin: `${config.nodeId}/${randomBytes(4).toString('hex')}`, logger })
    : null;
  void sharedTerms?.subscribe().catch((error: unknown) => logger.warn({ err: error }, 'could not subscribe to charging terms changes'));
  const stopTermsListening = onUsageTermsChanged(() => charging.forget());
  jobs.register(chargingJob(ctx, charging));

  // Clause 8: the registrar refuses clients below their kind's minimum version and notes what each device runs.
  const registrationVersions = new RegistrationVersions(database.db, config.sip.domain);
  const sip = config.sip.enabled
    ? createSipServer(
        {
          domain: config.sip.domain,
          host: config.sip.host,
          port: config.sip.port,
          advertisedAddress: config.sip.advertisedAddress ?? (config.sip.host === '0.0.0.0' ? defaultAdvertisedAddress() : config.sip.host),
          ...(config.sip.tls
            ? {
                tls: {
                  port: config.sip.tls.port,
                  ...loadTlsCertificate({
                    certFile: config.sip.tls.certFile,
                    keyFile: config.sip.tls.keyFile,
                    dataDir: config.dataDir,
                    domain: config.sip.domain,
                    production: config.env === 'production',
                  }),
                },
              }
            : {}),
          allowedOrigins: config.sip.allowedOrigins,
          connections: config.sip.connections,
          maxMessageBytes: config.sip.maxMessageBytes,
          isTrustedProxy: trustedProxyMatcher(config.trustProxy),
          ringTimeoutSeconds: config.sip.ringTimeoutSeconds,
          maxContactsPerNumber: config.sip.maxContactsPerNumber,
          sessionExpiresSeconds: config.sip.sessionExpiresSeconds,
          ...(overrides.sipTimers ? { timers: overrides.sipTimers } : {}),
          ...(config.sip.secret ? { secret: Buffer.from(config.sip.secret, 'utf8') } : {}),
          journalDir: overrides.journalDir ?? path.join(config.dataDir, 'journal'),
          edge: config.sip.edge,
          rtpengineUrl: config.sip.rtpengineUrl,
          nodeId: config.nodeId,
          redis,
          ...(overrides.sipWorker ? { worker: overrides.sipWorker } : {}),
        },
        {
          db: database.db,
          clock,
          logger,
          metrics,
          policy: (accounts) => versionAware(chargingAware(callPolicy(accounts), charging), registrationVersions, logger),
          budget: chargingBudget(charging, config.settings, logger),
          // Clause 7: calls to a number a maintenance window changed are answered 301 naming the new one.
          movedNumbers: overrides.movedNumbers ?? { movedTo: numberMovedTo(ctx) },
        },
      )
    : null;
  // A suspension or its lifting takes effect on this node's next request, not after the account cache's lifetime.
  // A subscriber's overall state mirrors their suspensions (entitlements asks; subscribers owns the state).
  mirrorSuspensionStateTo(reflectSuspensionState);
  const stopForgetting = sip ? onCallRightsChanged((numbers) => numbers.forEach((number) => sip.accounts.forget(number))) : () => undefined;

  const seal = loadOrCreateOperatorSeal(config.dataDir, config.agreementSealFile);
  const licences = new LicenceCatalogue(overrides.licenceVersions ?? LICENCE_VERSIONS);
  // Clause 11: termination waits for what billing says is owed; dunning acts through entitlements.
  const balance: BalanceSource = billingBalanceSource(ctx);
  const billing: BillingContext = { ...ctx, control: entitlementsServiceControl(ctx, sip?.location ?? null) };
  metrics.watchBillRun(async () => {
    const [newest] = await listBillRuns(database.db);
    return newest ? { total: newest.subscribersTotal, billed: newest.subscribersBilled, finished: newest.finishedAt !== null } : null;
  });
  jobs.register(billingCycleJob(billing));
  // Issue #15: online payment applies money through billing; a settlement paid online ends a termination at once.
  const paymentProviders = buildPaymentProviders(config, { db: database.db, clock });
  const payments: PaymentsContext = {
    ...billing,
    providers: paymentProviders.providers,
    simulator: paymentProviders.simulator,
    publicUrl: config.payments.publicUrl,
    termination: { balance, location: sip?.location ?? null },
  };
  jobs.register(reconcilePaymentsJob(payments));
  if (payments.simulator) jobs.register(simulatorDeliveriesJob(payments));
  // Clause 7: a maintenance window published late becomes an outage as it begins, credited like one.
  jobs.register(lateMaintenanceJob(ctx));
  // Clause 13: outage credits, posted to billing as credit notes (and adjustments when a correction shrinks one).
  jobs.register(outageCreditsJob(billing));
  jobs.register(endNumberQuarantineJob(database.db));
  // Staff search: identities written before search tokens existed are indexed in batches.
  jobs.register(indexSearchTokensJob(ctx));
  jobs.register(completeTerminationsJob(ctx, { balance, location: sip?.location ?? null }));
  jobs.register(deemedAcceptanceJob(ctx));
  // Notices reach subscribers by e-mail, SIP MESSAGE (urgent) and SMS (no provider bound by default).
  jobs.register(
    noticesJob(ctx, {
      smtpUrl: config.smtpUrl,
      recipients: { recipients: (ids) => noticeContacts(ctx, ids) },
      // Only urgent notices go to devices, so they are sent with RFC 3428's Priority: urgent.
      messenger: sip
        ? {
            sendText: (numbers, text, stopping) =>
              sip.messenger.sendText(numbers, text, { priority: 'urgent', ...(stopping ? { signal: stopping } : {}) }),
          }
        : null,
      sms: null,
    }),
  );
  // Clause 10: judicial orders start and end on time; one that ends calls in progress ends this node's.
  jobs.register(judicialOrdersJob(ctx));
  const stopEndingCalls = sip ? endCallsThrough((numbers, reason) => sip.hangUpCallsOf(numbers, reason)) : () => undefined;

  const app = await buildApp({
    ctx,
    sipDomain: config.sip.domain,
    seal,
    licences,
    balance,
    // Ready means migrated as well as reachable.
    database: {
      ...database,
      ping: async () => {
        if (!startup.applied) throw new DatabaseUnavailableError('migrations are not applied yet');
        await database.ping();
      },
    },
    jobs,
    metrics,
    settings: config.settings,
    logger,
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    allowedOrigins: config.allowedOrigins,
    metricsToken: config.metricsToken,
    starting: () => listening && !serving,
    signInRateLimitPerMinute: config.signInRateLimitPerMinute,
    applicationRateLimitPerMinute: config.applicationRateLimitPerMinute,
    webRoot: overrides.webRoot,
    location: sip?.location ?? null,
    sipBans: sip?.bans ?? null,
    ...(sip ? { sipCredentialsChanged: (username: string) => sip.accounts.forgetUsername(username) } : {}),
    provisioning: {
      domain: config.sip.domain,
      endpoint: {
        host: config.sip.advertisedAddress ?? config.sip.domain,
        udpPort: config.sip.port,
        tcpPort: config.sip.port,
        tlsPort: config.sip.tls?.port ?? null,
      },
      ...(sip ? { credentialsChanged: (username: string) => sip.accounts.forgetUsername(username) } : {}),
    },
    releaseMinimumsChanged: () => registrationVersions.forgetMinimums(),
    turn: config.turn,
    billing,
    charging,
    payments,
    paymentWebhookSecrets: config.paymentWebhookSecrets,
    connections: config.http,
  });

  // Until the schema is in place every API route would fail on a missing table: say 503, come back.
  app.addHook('onRequest', async (request) => {
    if (!startup.applied && request.url.startsWith('/api/')) throw databaseOutageToProblem(new DatabaseUnavailableError())!;
  });

  let closed = false;
  let listening = false;
  /** SIP and the jobs need the schema; they start once it is migrated (at once when the database was up). */
  let trafficStarted = false;
  /** SIP listens and the jobs run: only now is the node ready for traffic (/readyz). */
  let serving = false;
  const startTraffic = async () => {
    if (closed || !listening || trafficStarted) return;
    trafficStarted = true;
    // Call records journalled during an outage (also by an earlier process) go first.
    sip?.recorder.startReplaying();
    // The calls this node metered before it stopped are gone with its memory: so are their holds.
    if (sip) {
      const released = await charging.releaseNodeReservations().catch((error: unknown) => {
        logger.warn({ err: error }, 'could not release the reservations of an earlier run');
        return 0;
      });
      if (released > 0) logger.info({ released, node: config.nodeId }, 'released the call reservations of an earlier run');
    }
    if (sip) await sip.listen(app.server);
    if (config.jobsEnabled) jobs.start();
    serving = true;
  };
  void startup.whenApplied
    .then(startTraffic)
    .catch((error: unknown) => logger.error({ err: error }, 'could not start SIP or jobs after migrating'));

  return {
    config,
    ctx,
    database,
    jobs,
    metrics,
    app,
    sip,
    charging,
    seal,
    licences,
    payments,
    async listen() {
      const address = await app.listen({ host: config.http.host, port: config.http.port });
      listening = true;
      if (startup.applied) await startTraffic();
      else logger.warn('the database is not available: HTTP answers not ready; SIP and jobs start once migrations are applied');
      return address;
    },
    async close() {
      if (closed) return;
      closed = true;
      startup.stop();
      await jobs.stop();
      stopForgetting();
      stopEndingCalls();
      await sip?.close();
      stopTermsListening();
      sharedTerms?.stop();
      if (redis) disconnectSharedRedis(redis);
      await app.close();
      if (!overrides.database) await database.close();
    },
  };
}

/**
 * Entitlements' policy, with charging told of every accepted registration: it learns then how the
 * number is charged, so a subscriber who is not charged keeps calling while the database is away
 * (a charged one is under the operator's offline policy).
 */
function chargingAware(policy: CallPolicy, charging: Charging): CallPolicy {
  return {
    authorizeCall: (call) => policy.authorizeCall(call),
    async authorizeRegistration(registration) {
      const decision = await policy.authorizeRegistration(registration);
      if (decision.allow) charging.learn(registration.aor, registration.at);
      return decision;
    },
    // Registered on another node or worker: its calls may come here, and find its terms read.
    registeredElsewhere(registration) {
      policy.registeredElsewhere?.(registration);
      charging.learnIfUnknown(registration.aor, registration.at);
    },
  };
}

/**
 * The minimum supported client version (clause 8) after the account's own answer: an account that may
 * register is still refused when its client is too old, and told to upgrade. An accepted registration
 * records what the device runs (for the console), without holding up the answer.
 */
function versionAware(policy: CallPolicy, versions: RegistrationVersions, logger: Logger): CallPolicy {
  return {
    authorizeCall: (call) => policy.authorizeCall(call),
    registeredElsewhere: (registration) => policy.registeredElsewhere?.(registration),
    async authorizeRegistration(registration) {
      const decision = await policy.authorizeRegistration(registration);
      if (!decision.allow) return decision;
      const userAgent = registration.userAgent ?? null;
      const version = await versions.check(userAgent);
      if (!version.allow) return version;
      void versions
        .noteRegistration({
          deviceKey: registration.deviceId ?? registration.aor,
          number: registration.aor,
          userAgent,
          at: registration.at,
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'could not record the version a device runs'));
      return decision;
    },
  };
}

/**
 * Applies migrations now if the database answers, else keeps trying in the background (backing off
 * to every 10 s) until it does. A migration that fails for another reason at start is a bug and
 * stops the start, as before.
 */
class BackgroundMigrations {
  applied = false;
  readonly whenApplied: Promise<void>;
  #resolve!: () => void;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #attempts = 0;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: Logger,
  ) {
    this.whenApplied = new Promise((resolve) => (this.#resolve = resolve));
  }

  async tryOnce(): Promise<void> {
    try {
      await migrateToLatest(this.database.db, migrations);
      this.#done();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.logger.warn({ err: error }, 'the database is not available at start: migrations will be applied when it answers');
      this.#schedule();
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #done(): void {
    this.applied = true;
    this.#resolve();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#attempts += 1;
    const waitMs = Math.min(10_000, 500 * 2 ** Math.min(this.#attempts - 1, 5));
    this.#timer = setTimeout(() => void this.#retry(), waitMs);
    this.#timer.unref();
  }

  async #retry(): Promise<void> {
    try {
      await migrateToLatest(this.database.db, migrations);
      this.logger.info('the database answers: migrations applied');
      this.#done();
    } catch (error) {
      if (this.#stopped) return;
      // Logged each time only if it is not the outage we already reported: a broken migration is a bug to see.
      if (!isDatabaseUnavailable(error)) this.logger.error({ err: error }, 'migrations failed; retrying');
      this.#schedule();
    }
  }
}
