import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { requireStaff } from '../staff/index.js';
import { SubscriberKindSchema, SubscriberStatusSchema } from '../subscribers/index.js';
import { searchCustomers } from './customer-search.js';

const CustomerSearchResultSchema = Type.Object({
  kind: Type.Union([Type.Literal('subscriber'), Type.Literal('bill')]),
  subscriberId: Type.String(),
  billId: Type.Union([Type.String(), Type.Null()]),
  billPeriod: Type.Union([Type.String(), Type.Null()]),
  maskedName: Type.Union([Type.String(), Type.Null()]),
  number: Type.Union([Type.String(), Type.Null()]),
  status: SubscriberStatusSchema,
  subscriberKind: SubscriberKindSchema,
  matchedBy: Type.Union([
    Type.Literal('name'),
    Type.Literal('number'),
    Type.Literal('contact-phone'),
    Type.Literal('id-last-four'),
    Type.Literal('account'),
    Type.Literal('bill'),
  ]),
});

/** The console's search box: anyone who may read subscribers; account and bill hits for billing readers. */
export async function searchRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/search',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['search'],
        summary: 'Find subscribers by name, number, contact phone, last four of the ID number, account or bill',
        querystring: Type.Object({
          q: Type.String({ maxLength: 100 }),
          limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
        }),
        response: {
          200: Type.Object({
            classifiedAs: Type.Union([Type.Literal('id'), Type.Literal('digits'), Type.Literal('name'), Type.Literal('none')]),
            results: Type.Array(CustomerSearchResultSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      // Results carry masked identity; keep them out of shared caches all the same.
      reply.header('cache-control', 'no-store');
      return searchCustomers(ctx, {
        q: request.query.q,
        limit: request.query.limit,
        mayReadBilling: staff.permissions.includes('billing.read'),
      });
    },
  );
}
