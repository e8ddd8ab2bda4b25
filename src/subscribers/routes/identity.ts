import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import { requireStaff } from '../../staff/index.js';
import { getMaskedSubscriber, listIdentityReveals, listMaskedSubscribers, minimumPurposeLength, revealIdentityField } from '../identity.js';
import { SubscriberKindSchema, SubscriberStatusSchema } from '../schemas.js';

const MaskedSubscriberSchema = Type.Object({
  id: Type.String(),
  kind: SubscriberKindSchema,
  status: SubscriberStatusSchema,
  createdAt: Type.String(),
  identity: Type.Record(Type.String(), Type.String()),
});
const SubscriberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Subscribers as staff see them: identity masked, one field revealed in clear with a stated purpose, and the log of reveals. */
export async function identityRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/subscribers',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Subscribers with their identity data masked',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: { 200: Type.Object({ items: Type.Array(MaskedSubscriberSchema) }) },
      },
    },
    async (request) => ({ items: await listMaskedSubscribers(ctx, request.query.limit) }),
  );

  app.get(
    '/api/console/subscribers/:id',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['subscribers'],
        summary: 'One subscriber, identity masked',
        params: SubscriberParams,
        response: { 200: MaskedSubscriberSchema },
      },
    },
    async (request) => {
      const subscriber = await getMaskedSubscriber(ctx, request.params.id);
      if (!subscriber) throw new ProblemError('not-found', 'No such subscriber');
      return subscriber;
    },
  );

  app.post(
    '/api/console/subscribers/:id/reveal',
    {
      config: { staff: { permission: 'identity.reveal' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Reveal one identity field in clear, stating why; the reveal is recorded',
        params: SubscriberParams,
        body: Type.Object({ field: Type.String({ maxLength: 40 }), purpose: Type.String({ maxLength: 500 }) }),
        response: { 200: Type.Object({ field: Type.String(), value: Type.String() }) },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const result = await revealIdentityField(ctx, {
        subscriberId: request.params.id,
        field: request.body.field,
        purpose: request.body.purpose,
        staff: { id: staff.id, username: staff.username },
        ip: request.ip,
      });
      if (!result.ok) throw failureToProblem(result.failure);
      // A revealed value must not linger in caches or history.
      reply.header('cache-control', 'no-store');
      return result.value;
    },
  );

  app.get(
    '/api/console/identity-reveals',
    {
      config: { staff: { permission: 'audit.read' } },
      schema: {
        tags: ['subscribers'],
        summary: `Who saw which identity value, when and why (purposes of at least ${minimumPurposeLength} characters)`,
        querystring: Type.Object({
          subscriberId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                at: Type.String(),
                subscriberId: Type.String(),
                field: Type.String(),
                staffId: Type.String(),
                staffUsername: Type.String(),
                purpose: Type.String(),
                ip: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: await listIdentityReveals(ctx, {
        limit: request.query.limit,
        ...(request.query.subscriberId ? { subscriberId: request.query.subscriberId } : {}),
      }),
    }),
  );
}
