import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem } from '../../platform/http/index.js';
import { submitApplication } from '../application.js';

const Text = (maxLength: number) => Type.String({ maxLength });

/** The order and portal password every application carries (clause 2). */
const orderFields = {
  planCode: Text(40),
  creditLimitFen: Type.Integer({ minimum: 0 }),
  terminalCode: Type.Optional(Text(40)),
  deliveryAddress: Type.Optional(Text(400)),
  password: Type.String({ maxLength: 200 }),
};

/** Applying for the service, open to anyone. */
export async function applicationRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; applicationRateLimitPerMinute: number },
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
}
