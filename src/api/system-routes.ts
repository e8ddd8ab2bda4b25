import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Settings } from '../platform/config/index.js';
import { DatabaseUnavailableError, type DatabaseHandle } from '../platform/db/index.js';
import { DATABASE_RETRY_AFTER_SECONDS, sendProblem, isProblemCode, problem, problemCatalog, ProblemError } from '../platform/http/index.js';
import type { JobRunner } from '../platform/jobs/index.js';
import type { Metrics } from '../platform/metrics.js';

/** A load balancer must hear "not ready" within a second, also from a database that accepts but never answers. */
const READINESS_DEADLINE_MS = 750;

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(`the database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

interface SystemDeps {
  database: DatabaseHandle;
  metrics: Metrics;
  jobs: JobRunner;
  settings: Settings;
  /** Opens /metrics to non-loopback scrapers presenting it as a bearer token; null: loopback only. */
  metricsToken: string | null;
  /** True while the node listens for HTTP but has not yet started its SIP server and jobs. */
  starting: () => boolean;
}

/** Liveness, readiness, metrics, the problem catalog, and the console's read-only system pages. */
export async function systemRoutes(parent: FastifyInstance, deps: SystemDeps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));

  // One ping at a time: while the database is frozen, polls share the pending one instead of each
  // taking a pooled connection for as long as the query timeout.
  let pending: Promise<void> | null = null;
  const ping = () => (pending ??= deps.database.ping().finally(() => (pending = null)));

  app.get(
    '/readyz',
    { schema: { tags: ['system'], summary: 'Readiness: the database answers and SIP is listening' } },
    async (request, reply) => {
      try {
        await withDeadline(ping(), READINESS_DEADLINE_MS);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return sendProblem(
          reply,
          problem('unavailable', 'The database is not reachable', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }),
        );
      }
      // HTTP listens first (health checks need it), SIP a moment later: until then a load balancer or
      // a phone told "ready" would send SIP to a port nothing reads yet.
      if (deps.starting())
        return sendProblem(reply, problem('unavailable', 'The node is starting: SIP is not listening yet', { retryAfterSeconds: 1 }));
      return { status: 'ready', database: deps.database.engine };
    },
  );

  // Metrics name every route and job: operators' data, not the public's. Refused as 404, not 401/403,
  // so a prober learns nothing about what is there.
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!isLoopbackClient(request) && !presentsToken(request, deps.metricsToken))
      throw new ProblemError('not-found', `No route GET ${request.url.split('?')[0]}`);
    reply.header('cache-control', 'no-store');
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get(
    '/api/problems/:code',
    { schema: { tags: ['system'], summary: 'What a problem type means', params: Type.Object({ code: Type.String({ maxLength: 64 }) }) } },
    async (request) => {
      const { code } = request.params;
      if (!isProblemCode(code)) throw new ProblemError('not-found', `No problem type ${code}`);
      return { code, ...problemCatalog[code] };
    },
  );

  app.get(
    '/api/console/settings',
    {
      config: { staff: { permission: 'settings.read' } },
      schema: {
        tags: ['system'],
        summary: "The operator's agreement parameters in force",
        response: {
          200: Type.Object({ settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])) }),
        },
      },
    },
    async () => ({ settings: { ...deps.settings } }),
  );

  app.get(
    '/api/console/jobs',
    {
      config: { staff: { permission: 'jobs.read' } },
      schema: {
        tags: ['system'],
        summary: 'Scheduled jobs and how far each has advanced',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                name: Type.String(),
                intervalSeconds: Type.Number(),
                advancedTo: Type.Union([Type.String(), Type.Null()]),
                lastRunAt: Type.Union([Type.String(), Type.Null()]),
                lastDurationMs: Type.Union([Type.Number(), Type.Null()]),
                lastError: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ items: await deps.jobs.status() }),
  );
}

/**
 * A scraper on this machine: the connection itself comes from loopback and no proxy forwarded it (a
 * reverse proxy on the same host connects from loopback too, but says for whom with X-Forwarded-For
 * or Forwarded, RFC 7239).
 */
function isLoopbackClient(request: FastifyRequest): boolean {
  const address = request.socket.remoteAddress ?? '';
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  const loopback = address === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
  return loopback && request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
}

/** `Authorization: Bearer <token>` (RFC 6750 §2.1), compared in constant time over fixed-length digests. */
function presentsToken(request: FastifyRequest, token: string | null): boolean {
  if (token === null) return false;
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
