import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { listBillRuns } from '../bill-run.js';
import type { BillingContext } from '../context.js';
import { LocalDate, Nullable } from './schemas.js';

/** The monthly bill runs and how far each got. */
export async function billRunRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/billing/bill-runs',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary: 'Bill runs with their progress, newest first',
        response: {
          200: Type.Object({
            runs: Type.Array(
              Type.Object({
                period: LocalDate,
                startedAt: Type.String({ format: 'date-time' }),
                finishedAt: Nullable(Type.String({ format: 'date-time' })),
                subscribersTotal: Type.Integer(),
                subscribersBilled: Type.Integer(),
                lastError: Nullable(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ runs: await listBillRuns(ctx.db) }),
  );
}
