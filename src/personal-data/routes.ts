import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { exportOwnData } from './own-data-export.js';

export async function personalDataRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/my-data',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Everything held about the subscriber, in clear, as a download (clause 1)',
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const data = await exportOwnData(ctx, subscriberId);
      if (request.query.download)
        reply.header('content-disposition', `attachment; filename="videophone-my-data-${ctx.clock.now().toISOString().slice(0, 10)}.json"`);
      return data;
    },
  );
}
