import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { BillingContext } from '../context.js';
import { receivablesAgeing } from '../statements.js';
import { Fen } from './schemas.js';

/** What is owed to the operator across all subscribers. */
export async function receivablesRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/billing/receivables/ageing',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary: 'Outstanding bills by days past due',
        response: {
          200: Type.Object({ buckets: Type.Array(Type.Object({ bucket: Type.String(), bills: Type.Integer(), amountFen: Fen })) }),
        },
      },
    },
    async () => ({ buckets: await receivablesAgeing(ctx) }),
  );
}
