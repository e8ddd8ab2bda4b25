import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ProblemError } from '../platform/http/index.js';
import { WebReleaseReader } from './web-release.js';

/** Which web client is released; open softphones poll it and reload when idle (clause 8). */
export async function releaseRoutes(parent: FastifyInstance, options: { webRoot: string | null }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const reader = options.webRoot ? new WebReleaseReader(options.webRoot) : null;
  app.get(
    '/api/releases/web',
    {
      schema: {
        tags: ['releases'],
        summary: 'The released web client build',
        response: { 200: Type.Object({ buildId: Type.String(), builtAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (_request, reply) => {
      const release = reader?.current();
      if (!release) throw new ProblemError('not-found', 'This server does not serve the web client');
      void reply.header('cache-control', 'no-cache');
      return { buildId: release.buildId, builtAt: release.builtAt.toISOString() };
    },
  );
}
