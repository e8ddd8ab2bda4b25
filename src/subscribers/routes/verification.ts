import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem } from '../../platform/http/index.js';
import { requireStaff } from '../../staff/index.js';
import { SubscriberKindSchema, SubscriberStatusSchema } from '../schemas.js';
import { decideOnSubscriber, verificationQueue } from '../verification.js';

const SubscriberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The reviewer's queue of applications and their decision on each. */
export async function verificationRoutes(parent: FastifyInstance, options: { ctx: ServiceContext; sipDomain: string }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/verification-queue',
    {
      config: { staff: { permission: 'subscribers.verify' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Applications waiting for a reviewer, oldest first',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                kind: SubscriberKindSchema,
                status: SubscriberStatusSchema,
                createdAt: Type.String(),
                documentsReceivedAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await verificationQueue(ctx, request.query.limit) }),
  );

  app.post(
    '/api/console/subscribers/:id/verification',
    {
      config: { staff: { permission: 'subscribers.verify' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Approve, reject, ask for documents, or suspend for false data',
        params: SubscriberParams,
        body: Type.Object({
          decision: Type.Union([
            Type.Literal('approve'),
            Type.Literal('reject'),
            Type.Literal('request-documents'),
            Type.Literal('suspend-false-data'),
          ]),
          reason: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: { 200: Type.Object({ id: Type.String(), status: SubscriberStatusSchema }) },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const result = await decideOnSubscriber(
        ctx,
        { subscriberId: request.params.id, decision: request.body.decision, reason: request.body.reason },
        { type: 'staff', id: staff.id, name: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
        { sipDomain: options.sipDomain },
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );
}
