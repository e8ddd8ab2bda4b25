import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/index.js';
import { requireStaff } from '../staff/index.js';
import { discloseUnderLegalRequest, listLegalRequests } from './legal-requests.js';

const LegalRequestSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  subscriberId: Type.String(),
  authority: Type.String(),
  legalBasis: Type.String(),
  documentReference: Type.String(),
  fields: Type.Array(Type.String()),
  purpose: Type.String(),
  staffId: Type.String(),
  staffUsername: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Disclosure to third parties (clause 1): recorded by a legal officer (`legal.orders`); the list
 * holds no identity values and is evidence, so anyone who reads the audit trail (`audit.read`:
 * auditors, legal officers) may read it.
 */
export async function legalRequestRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/console/legal-requests',
    {
      config: { staff: { permission: 'legal.orders' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Record a legal request (authority, legal basis, document) and disclose the identity fields it demands',
        // The texts are checked by the operation so that every missing one is named in one answer.
        body: Type.Object(
          {
            subscriberId: Type.String({ format: 'uuid' }),
            authority: Type.Optional(Type.String({ maxLength: 300 })),
            legalBasis: Type.Optional(Type.String({ maxLength: 500 })),
            documentReference: Type.Optional(Type.String({ maxLength: 300 })),
            fields: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
            purpose: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ request: LegalRequestSchema, values: Type.Record(Type.String(), Type.String()) }) },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const body = request.body;
      const result = await discloseUnderLegalRequest(
        ctx,
        {
          subscriberId: body.subscriberId,
          authority: body.authority ?? '',
          legalBasis: body.legalBasis ?? '',
          documentReference: body.documentReference ?? '',
          fields: body.fields,
          purpose: body.purpose ?? '',
        },
        { id: staff.id, username: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
      );
      if (!result.ok) throw failureToProblem(result.failure);
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(result.value);
    },
  );

  app.get(
    '/api/console/legal-requests',
    {
      config: { staff: { permission: 'audit.read' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Recorded legal requests, newest first (which fields were disclosed, never their values)',
        querystring: Type.Object({
          subscriberId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(LegalRequestSchema) }) },
      },
    },
    async (request) => ({
      items: await listLegalRequests(ctx, {
        limit: request.query.limit,
        ...(request.query.subscriberId ? { subscriberId: request.query.subscriberId } : {}),
      }),
    }),
  );
}
