import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { Settings } from '../platform/config/settings.js';
import { DatabaseUnavailableError, type DatabaseHandle } from '../platform/db/database.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../platform/http/failure-to-problem.js';
import { sendProblem } from '../platform/http/problem-handlers.js';
import { isProblemCode, problem, problemCatalog, ProblemError } from '../platform/http/problems.js';
import type { JobRunner } from '../platform/jobs/job-runner.js';
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
}

/** Liveness, readiness, metrics, the problem catalog, and the console's read-only system pages. */
export async function systemRoutes(parent: FastifyInstance, deps: SystemDeps): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/healthz', { schema: { tags: ['system'], summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));

  // One ping at a time: while the database is frozen, polls share the pending one instead of each
  // taking a pooled connection for as long as the query timeout.
  let pending: Promise<void> | null = null;
  const ping = () => (pending ??= deps.database.ping().finally(() => (pending = null)));

  app.get('/readyz', { schema: { tags: ['system'], summary: 'Readiness: the database answers' } }, async (request, reply) => {
    try {
      await withDeadline(ping(), READINESS_DEADLINE_MS);
      return { status: 'ready', database: deps.database.engine };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return sendProblem(
        reply,
        problem('unavailable', 'The database is not reachable', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }),
      );
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
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
