import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { PortalCallRouteOptions } from '../portal-call-routes.js';

/** Failures a softphone user saw, reported for the operator's logs. */
export async function softphoneProblemRoutes(parent: FastifyInstance, options: PortalCallRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/portal/softphone/problems',
    {
      // A broken page must not flood the log: a person's phone reports a handful of problems a minute.
      config: { portal: true, rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['portal'],
        summary:
          'A softphone reports a failure the person saw (relay refused, ICE failed, media path lost and restarted), for the operator’s logs',
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('turn-failed'), Type.Literal('ice-failed'), Type.Literal('ice-restart')]),
            callId: Type.Optional(Type.String({ maxLength: 256 })),
            detail: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ logged: Type.Boolean() }) },
      },
    },
    async (request, reply) => {
      const numbers = await options.numbersOf(request);
      // Logged, not stored: what support needs is in the quality report; this makes relay outages visible.
      request.log.warn({ numbers, ...request.body, userAgent: request.headers['user-agent'] }, `softphone problem: ${request.body.kind}`);
      return reply.status(202).send({ logged: true });
    },
  );
}
