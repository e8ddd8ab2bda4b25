import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { failureToProblem } from '../../platform/http/index.js';
import type { PortalCallRouteOptions } from '../portal-call-routes.js';
import { recordQualityReport } from '../quality-reports.js';
import { Direction, Nullable } from './schemas.js';

const QualityReportBody = Type.Object(
  {
    callId: Type.String({ minLength: 1, maxLength: 256 }),
    direction: Direction,
    durationMs: Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600 * 1000 }),
    rttMs: Nullable(Type.Number({ minimum: 0 })),
    jitterMs: Nullable(Type.Number({ minimum: 0 })),
    lossPercent: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
    packetsLost: Nullable(Type.Integer({ minimum: 0 })),
    framesDecoded: Nullable(Type.Integer({ minimum: 0 })),
    audioPacketsReceived: Nullable(Type.Integer({ minimum: 0 })),
    sendKbps: Nullable(Type.Number({ minimum: 0 })),
    receiveKbps: Nullable(Type.Number({ minimum: 0 })),
    audioCodec: Nullable(Type.String({ maxLength: 64 })),
    videoCodec: Nullable(Type.String({ maxLength: 64 })),
    localCandidateType: Nullable(Type.String({ maxLength: 16 })),
    remoteCandidateType: Nullable(Type.String({ maxLength: 16 })),
    relayProtocol: Nullable(Type.String({ maxLength: 8 })),
    userAgent: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  },
  { additionalProperties: false },
);

/** The softphone's end-of-call quality report. */
export async function qualityReportRoutes(parent: FastifyInstance, options: PortalCallRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/portal/calls/quality-reports',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'What the softphone measured over a call, sent when it ends (keyed by SIP Call-ID)',
        body: QualityReportBody,
        response: { 201: Type.Object({ id: Type.String() }), 200: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      const numbers = await options.numbersOf(request);
      const result = await recordQualityReport(
        ctx.db,
        numbers,
        { ...request.body, userAgent: request.body.userAgent ?? null },
        ctx.clock.now(),
      );
      if (!result.ok) {
        request.log.warn({ callId: request.body.callId, failure: result.failure.message }, 'quality report refused');
        throw failureToProblem(result.failure);
      }
      return reply.status(result.value.duplicate ? 200 : 201).send({ id: result.value.id });
    },
  );
}
