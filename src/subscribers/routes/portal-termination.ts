import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem } from '../../platform/http/index.js';
import { requireSubscriber, subscriberActor } from '../../portal-auth/index.js';
import { requestTermination, type TerminationDeps } from '../termination.js';

/** The subscriber ends the agreement (clause 11). */
export async function portalTerminationRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; termination: TerminationDeps },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/portal/termination',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Ask to end the agreement (clause 11): it ends once every fee is settled',
        response: {
          200: Type.Union([
            Type.Object({ status: Type.Literal('terminated'), terminatedAt: Type.String() }),
            Type.Object({ status: Type.Literal('awaiting-settlement'), outstandingFen: Type.Integer() }),
          ]),
        },
      },
    },
    async (request) => {
      const result = await requestTermination(ctx, requireSubscriber(request).subscriberId, options.termination, subscriberActor(request));
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );
}
