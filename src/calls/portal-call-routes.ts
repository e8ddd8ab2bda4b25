import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { callHistory } from './call-history.js';
import { qualityReportsOfCall, recordQualityReport } from './quality-reports.js';

export interface PortalCallRouteOptions {
  ctx: ServiceContext;
  /**
   * The numbers of the signed-in subscriber; throws a 401 problem when nobody is signed in.
   * Injected: the subscribers module owns who a subscriber is and which numbers are theirs.
   */
  numbersOf(request: FastifyRequest): Promise<string[]>;
}

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Direction = Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]);

const CallStatus = Type.Union([
  Type.Literal('ringing'),
  Type.Literal('answered'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

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

const QualityReportSchema = Type.Object({
  id: Type.String(),
  reporter: Type.String(),
  direction: Direction,
  receivedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer(),
  rttMs: Nullable(Type.Number()),
  jitterMs: Nullable(Type.Number()),
  lossPercent: Nullable(Type.Number()),
  packetsLost: Nullable(Type.Integer()),
  framesDecoded: Nullable(Type.Integer()),
  audioPacketsReceived: Nullable(Type.Integer()),
  sendKbps: Nullable(Type.Number()),
  receiveKbps: Nullable(Type.Number()),
  audioCodec: Nullable(Type.String()),
  videoCodec: Nullable(Type.String()),
  localCandidateType: Nullable(Type.String()),
  remoteCandidateType: Nullable(Type.String()),
  relayProtocol: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
});

/** The subscriber's call history and the softphone's end-of-call quality reports; staff see both per call. */
export async function portalCallRoutes(parent: FastifyInstance, options: PortalCallRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/calls',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: "The signed-in subscriber's recent calls, missed ones flagged",
        response: {
          200: Type.Object({
            calls: Type.Array(
              Type.Object({
                callId: Type.String(),
                direction: Direction,
                number: Type.String(),
                peer: Type.String(),
                status: CallStatus,
                finalStatus: Nullable(Type.Integer()),
                missed: Type.Boolean(),
                startedAt: Type.String({ format: 'date-time' }),
                durationMs: Nullable(Type.Integer()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const calls = await callHistory(ctx.db, await options.numbersOf(request));
      return { calls: calls.map((call) => ({ ...call, startedAt: call.startedAt.toISOString() })) };
    },
  );

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

  app.get(
    '/api/console/calls',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['calls'],
        summary: "A number's recent calls, each with how many quality reports its ends sent",
        querystring: Type.Object({ number: Type.String({ pattern: '^[0-9]{1,20}$' }) }),
        response: {
          200: Type.Object({
            calls: Type.Array(
              Type.Object({
                callId: Type.String(),
                caller: Type.String(),
                callee: Type.String(),
                status: CallStatus,
                finalStatus: Nullable(Type.Integer()),
                invitedAt: Type.String({ format: 'date-time' }),
                durationMs: Nullable(Type.Integer()),
                qualityReports: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { number } = request.query;
      const rows = await ctx.db
        .selectFrom('call_records as c')
        .select((eb) => [
          'c.call_id',
          'c.caller',
          'c.callee',
          'c.status',
          'c.final_status',
          'c.invited_at',
          'c.duration_ms',
          eb
            .selectFrom('call_quality_reports as q')
            .select((q) => q.fn.countAll<number>().as('n'))
            .whereRef('q.call_id', '=', 'c.call_id')
            .as('reports'),
        ])
        .where((eb) => eb.or([eb('c.caller', '=', number), eb('c.callee', '=', number)]))
        .orderBy('c.invited_at', 'desc')
        .limit(50)
        .execute();
      return {
        calls: rows.map((row) => ({
          callId: row.call_id,
          caller: row.caller,
          callee: row.callee,
          status: row.status,
          finalStatus: row.final_status,
          invitedAt: row.invited_at.toISOString(),
          durationMs: row.duration_ms,
          qualityReports: Number(row.reports ?? 0),
        })),
      };
    },
  );

  app.get(
    '/api/console/calls/:callId',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['calls'],
        summary: 'A call record with the quality reports both ends sent, for support',
        params: Type.Object({ callId: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: {
          200: Type.Object({
            records: Type.Array(
              Type.Object({
                id: Type.String(),
                caller: Type.String(),
                callee: Type.String(),
                status: CallStatus,
                finalStatus: Nullable(Type.Integer()),
                invitedAt: Type.String({ format: 'date-time' }),
                answeredAt: Nullable(Type.String({ format: 'date-time' })),
                endedAt: Nullable(Type.String({ format: 'date-time' })),
                durationMs: Nullable(Type.Integer()),
                hungUpBy: Nullable(Type.String()),
                endReason: Nullable(Type.String()),
              }),
            ),
            qualityReports: Type.Array(QualityReportSchema),
          }),
        },
      },
    },
    async (request) => {
      const { callId } = request.params;
      const records = await ctx.db.selectFrom('call_records').selectAll().where('call_id', '=', callId).orderBy('invited_at').execute();
      if (records.length === 0) throw new ProblemError('not-found', `No call ${callId}`);
      const reports = await qualityReportsOfCall(ctx.db, callId);
      return {
        records: records.map((row) => ({
          id: row.id,
          caller: row.caller,
          callee: row.callee,
          status: row.status,
          finalStatus: row.final_status,
          invitedAt: row.invited_at.toISOString(),
          answeredAt: row.answered_at?.toISOString() ?? null,
          endedAt: row.ended_at?.toISOString() ?? null,
          durationMs: row.duration_ms,
          hungUpBy: row.hung_up_by,
          endReason: row.end_reason,
        })),
        qualityReports: reports.map((report) => ({ ...report, receivedAt: report.receivedAt.toISOString() })),
      };
    },
  );
}
