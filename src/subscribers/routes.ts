import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireStaff } from '../staff/index.js';
import { submitApplication } from './application.js';
import { decideOnSubscriber, verificationQueue } from './verification.js';
import { SubscriberKindSchema, SubscriberStatusSchema } from './schemas.js';
import { getMaskedSubscriber, listIdentityReveals, listMaskedSubscribers, minimumPurposeLength, revealIdentityField } from './identity.js';

const MaskedSubscriberSchema = Type.Object({
  id: Type.String(),
  kind: SubscriberKindSchema,
  status: SubscriberStatusSchema,
  createdAt: Type.String(),
  identity: Type.Record(Type.String(), Type.String()),
});
const SubscriberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const Text = (maxLength: number) => Type.String({ maxLength });

/** The order and portal password every application carries (clause 2). */
const orderFields = {
  planCode: Text(40),
  creditLimitFen: Type.Integer({ minimum: 0 }),
  terminalCode: Type.Optional(Text(40)),
  deliveryAddress: Type.Optional(Text(400)),
  password: Type.String({ maxLength: 200 }),
};

export async function subscriberRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; applicationRateLimitPerMinute: number; sipDomain: string },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/subscribers/applications',
    {
      // Anyone may apply; a per-address limit keeps the queue usable.
      config: { rateLimit: { max: options.applicationRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['subscribers'],
        summary: 'Apply for the service as a person or an organisation (agreement clause 1)',
        body: Type.Union([
          Type.Object(
            {
              kind: Type.Literal('individual'),
              fullName: Text(100),
              birthDate: Text(20),
              address: Text(400),
              idType: Text(40),
              idNumber: Text(40),
              employer: Type.Optional(Text(200)),
              contactPhone: Text(40),
              ...orderFields,
            },
            { additionalProperties: false },
          ),
          Type.Object(
            {
              kind: Type.Literal('organisation'),
              legalName: Text(200),
              creditCode: Text(40),
              address: Text(400),
              contactName: Text(100),
              contactPhone: Text(40),
              ...orderFields,
            },
            { additionalProperties: false },
          ),
        ]),
        response: { 201: Type.Object({ id: Type.String(), status: Type.Literal('applied') }) },
      },
    },
    async (request, reply) => {
      const result = await submitApplication(ctx, request.body, {
        type: 'anonymous',
        id: null,
        name: null,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(result.value);
    },
  );

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
