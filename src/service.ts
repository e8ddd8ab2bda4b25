import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './api/build-app.js';
import { migrations } from './migrations.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config/config.js';
import type { ServiceContext } from './platform/context.js';
import { createFieldCipher, loadOrCreateLocalKeyring, parseKeyring } from './platform/crypto/field-cipher.js';
import { openDatabase, type DatabaseHandle } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { OutboxRelay } from './platform/events/outbox.js';
import { JobRunner } from './platform/jobs/job-runner.js';
import { createLogger } from './platform/logging.js';
import { trustedProxyMatcher } from './platform/http/connection-limits.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import { connectionCapWarning } from './platform/open-file-limit.js';
import type { TimerValues } from './sip/transaction/timers.js';
import type { TransportObserver } from './sip/transport/transport-layer.js';
import { expireStaffSessionsJob } from './staff/index.js';
import { deemedAcceptanceJob, loadOrCreateOperatorSeal, type OperatorSeal } from './agreements/index.js';
import { endNumberQuarantineJob } from './numbers/index.js';
import { completeTerminationsJob, type BalanceSource } from './subscribers/index.js';
import { closeStaleCallsJob, createSipServer, defaultAdvertisedAddress, loadTlsCertificate, type SipServer } from './calls/index.js';
import { billingBalanceSource, billingCycleJob, entitlementsServiceControl, type BillingContext } from './billing/index.js';

export interface Service {
  config: Config;
  ctx: ServiceContext;
  database: DatabaseHandle;
  jobs: JobRunner;
  outbox: OutboxRelay;
  metrics: Metrics;
  app: FastifyInstance;
  sip: SipServer | null;
  /** The operator's seal on signed agreements (clause 17). */
  seal: OperatorSeal;
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
}

/** Wires every module together. The same function serves `npm start`, the CLI and tests. */
export async function createService(config: Config, overrides: ServiceOverrides = {}): Promise<Service> {
  const logger = overrides.logger ?? createLogger(config.logLevel, { pretty: config.env === 'development' && process.stdout.isTTY });
  const clock = overrides.clock ?? systemClock;
  const capWarning = connectionCapWarning({ sip: config.sip.enabled ? config.sip.connections.max : 0, http: config.http.maxConnections });
  if (capWarning) logger.warn(capWarning);
  const database = overrides.database ?? (await openDatabase(config.database));
  await migrateToLatest(database.db, migrations);

  const keyring = config.dataKeys ? parseKeyring(config.dataKeys) : loadOrCreateLocalKeyring(config.dataDir);
  const cipher = createFieldCipher(keyring);
  const ctx: ServiceContext = { db: database.db, clock, settings: config.settings, cipher, logger };
  const metrics = createMetrics({ defaultMetrics: overrides.logger === undefined });

  const jobs = new JobRunner(database, clock, logger, metrics.jobObserver);
  const outbox = new OutboxRelay(database.db, logger);
  jobs.register(expireStaffSessionsJob(ctx));
  jobs.register({ name: 'platform.outbox-relay', intervalSeconds: 1, advanceTo: (instant) => outbox.deliverPending(instant) });
  jobs.register(closeStaleCallsJob(database.db, { maxRingingSeconds: config.sip.ringTimeoutSeconds + 60, maxCallSeconds: 4 * 3600 }));

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
          md5FirstUserAgents: config.sip.md5FirstUserAgents,
          ...(overrides.sipTimers ? { timers: overrides.sipTimers } : {}),
          ...(config.sip.secret ? { secret: Buffer.from(config.sip.secret, 'utf8') } : {}),
        },
        { db: database.db, clock, logger, observer: sipTransportObserver(metrics) },
      )
    : null;

  const seal = loadOrCreateOperatorSeal(config.dataDir);
  // Clause 11: termination waits for what billing says is owed; dunning acts through entitlements.
  const balance: BalanceSource = billingBalanceSource(ctx);
  const billing: BillingContext = { ...ctx, control: entitlementsServiceControl(ctx, sip?.location ?? null) };
  jobs.register(billingCycleJob(billing));
  jobs.register(endNumberQuarantineJob(database.db));
  jobs.register(completeTerminationsJob(ctx, { balance, location: sip?.location ?? null }));
  jobs.register(deemedAcceptanceJob(ctx));

  const app = await buildApp({
    ctx,
    sipDomain: config.sip.domain,
    seal,
    balance,
    database,
    jobs,
    metrics,
    settings: config.settings,
    logger,
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    signInRateLimitPerMinute: config.signInRateLimitPerMinute,
    applicationRateLimitPerMinute: config.applicationRateLimitPerMinute,
    webRoot: overrides.webRoot,
    location: sip?.location ?? null,
    turn: config.turn,
    billing,
    paymentWebhookSecrets: config.paymentWebhookSecrets,
    connections: config.http,
  });

  let closed = false;
  return {
    config,
    ctx,
    database,
    jobs,
    outbox,
    metrics,
    app,
    sip,
    seal,
    async listen() {
      const address = await app.listen({ host: config.http.host, port: config.http.port });
      if (sip) await sip.listen(app.server);
      if (config.jobsEnabled) jobs.start();
      return address;
    },
    async close() {
      if (closed) return;
      closed = true;
      await jobs.stop();
      await sip?.close();
      await app.close();
      if (!overrides.database) await database.close();
    },
  };
}

/** What the SIP transport drops, in the metrics; connections refused by a cap also count as refused. */
function sipTransportObserver(metrics: Metrics): TransportObserver {
  return {
    onDropped(reason, protocol) {
      metrics.sipDropped.inc({ protocol, reason });
      if (reason === 'connection limit' || reason === 'source connection limit')
        metrics.connectionsRefused.inc({ transport: protocol, reason });
    },
    onReceived() {},
  };
}
