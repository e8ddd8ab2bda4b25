import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadOrCreateOperatorSeal } from '../agreements/index.js';
import { defaultAdvertisedAddress, loadTlsCertificate } from '../calls/index.js';
import { migrations } from '../migrations.js';
import { clusterForwardSecret, sharedDatagramEndpoint, startClusterPrimary } from '../platform/cluster/index.js';
import type { Config } from '../platform/config/index.js';
import { loadOrCreateLocalKeyring } from '../platform/crypto/index.js';
import { migrateToLatest, openDatabase } from '../platform/db/index.js';
import type { ServiceOverrides } from '../service.js';

/**
 * `videophone serve` with SIP_WORKERS > 1, in the primary process (issue #17): everything done once
 * per node happens here before any worker starts, then the workers are forked and kept running.
 * Resolves with a stop function that stops them cleanly (SIGTERM: each flushes its registrations).
 */
export async function serveClusterPrimary(settings: Config, logger: Logger): Promise<{ stop(): Promise<void> }> {
  // Files the workers would otherwise race to create on first start.
  if (!settings.dataKeys) loadOrCreateLocalKeyring(settings.dataDir);
  loadOrCreateOperatorSeal(settings.dataDir, settings.agreementSealFile);
  if (settings.sip.enabled && settings.sip.tls)
    loadTlsCertificate({
      certFile: settings.sip.tls.certFile,
      keyFile: settings.sip.tls.keyFile,
      dataDir: settings.dataDir,
      domain: settings.sip.domain,
      production: settings.env === 'production',
    });
  // Migrations once, before the workers: they find the schema in place. A database that is down now
  // does not stop the node; each worker applies them (under the migrator's lock) once it answers.
  try {
    const database = await openDatabase(settings.database);
    try {
      await migrateToLatest(database.db, migrations);
    } finally {
      await database.close();
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not apply the migrations before starting the workers; they will when the database answers');
  }
  const primary = await startClusterPrimary({
    workers: settings.sip.workers,
    udp: settings.sip.enabled ? { host: settings.sip.host, port: settings.sip.port } : null,
    // Nonces and flow tokens one worker issues must verify on every other: one secret per node at least.
    env: settings.sip.secret ? {} : { SIP_SECRET: randomBytes(32).toString('hex') },
    logger,
  });
  logger.info(
    { workers: settings.sip.workers, pids: primary.workerPids, sipPort: settings.sip.port, httpPort: settings.http.port },
    `Videophone primary started ${settings.sip.workers} workers`,
  );
  return primary;
}

/**
 * A worker's configuration: its own node name among the node's workers, and its share of each
 * source's message rate. The primary spreads one source's Call-IDs over every worker, so each sees
 * about 1/N of that source's messages: held to 1/N of SIP_RATE_LIMIT_PER_SECOND (and of the burst),
 * the node as a whole admits what one process would.
 */
export function workerSettings(settings: Config, index: number): Config {
  const workers = Math.max(1, settings.sip.workers);
  const edge = settings.sip.edge;
  return {
    ...settings,
    nodeId: `${settings.nodeId}/w${index}`,
    sip: {
      ...settings.sip,
      edge: {
        ...edge,
        rateLimitPerSecond: Math.max(1, Math.ceil(edge.rateLimitPerSecond / workers)),
        rateLimitBurst: Math.max(1, Math.ceil(edge.rateLimitBurst / workers)),
      },
    },
  };
}

/** What a worker's SIP server needs besides the configuration: its private port and the shared public UDP port. */
export function workerOverrides(settings: Config, index: number, logger: Logger): ServiceOverrides {
  const forwardSecret = clusterForwardSecret();
  if (!forwardSecret) throw new Error('a SIP worker is started by the primary (videophone serve with SIP_WORKERS > 1)');
  const localAddress = settings.sip.advertisedAddress ?? (settings.sip.host === '0.0.0.0' ? defaultAdvertisedAddress() : settings.sip.host);
  return {
    // A journal is one process's file: each worker keeps (and after a restart replays) its own.
    journalDir: path.join(settings.dataDir, 'journal', `w${index}`),
    sipWorker: {
      privatePort: settings.sip.workerPortBase === null ? 0 : settings.sip.workerPortBase + index,
      publicUdp: sharedDatagramEndpoint({
        host: settings.sip.host,
        port: settings.sip.port,
        localAddress,
        slot: index,
        slots: Math.max(1, settings.sip.workers),
        forwardSecret,
        onError: (error, context) => logger.warn({ err: error }, `${context}: ${error.message}`),
      }),
    },
  };
}
