import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { recordAudit } from '../../audit/index.js';
import { ProblemError } from '../../platform/http/index.js';
import { requireStaff, staffActor } from '../../staff/index.js';
import { callHistory } from '../call-history.js';
import type { PortalCallRouteOptions } from '../portal-call-routes.js';
import { qualityReportsOfCall } from '../quality-reports.js';
import { CallStatus, Direction, Nullable, QualityReportSchema } from './schemas.js';

/** The signed-in subscriber's call history. */
export async function portalCallHistoryRoutes(parent: FastifyInstance, options: PortalCallRouteOptions): Promise<void> {
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
                recordId: Type.String({ description: 'The call record: what a fee dispute about this call names' }),
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
}

/**
 * Call records for support: a number's recent calls, and one call with the quality reports both ends
 * sent. Clause 10 (secrecy of communication): only staff with `calls.read` see them, and every view
 * is audited with the subscriber whose calls were read as its target (each party's, for one call).
 */
export async function consoleCallRecordRoutes(
  parent: FastifyInstance,
  options: Pick<PortalCallRouteOptions, 'ctx' | 'subscriberOfNumber'>,
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  /** The audit targets for a view of these numbers' calls: their subscribers, else the number itself. */
  const targetsOf = async (numbers: string[]) => {
    const targets = new Map<string, { type: string; id: string }>();
    for (const number of new Set(numbers)) {
      const subscriberId = (await options.subscriberOfNumber?.(number)) ?? null;
      const target = subscriberId ? { type: 'subscriber', id: subscriberId } : { type: 'number', id: number };
      targets.set(`${target.type}:${target.id}`, target);
    }
    return [...targets.values()];
  };

  app.get(
    '/api/console/calls',
    {
      config: { staff: { permission: 'calls.read' } },
      schema: {
        tags: ['calls'],
        summary: "A number's recent calls, each with how many quality reports its ends sent (the view is audited)",
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
      const actor = staffActor(request, requireStaff(request));
      for (const target of await targetsOf([number]))
        await recordAudit(ctx.db, {
          at: ctx.clock.now(),
          actor,
          action: 'calls.history.view',
          target,
          detail: { number, calls: rows.length },
        });
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
      config: { staff: { permission: 'calls.read' } },
      schema: {
        tags: ['calls'],
        summary: 'A call record with the quality reports both ends sent, for support (the view is audited)',
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
      const actor = staffActor(request, requireStaff(request));
      for (const target of await targetsOf(records.flatMap((row) => [row.caller, row.callee])))
        await recordAudit(ctx.db, {
          at: ctx.clock.now(),
          actor,
          action: 'calls.call.view',
          target,
          detail: { callId, qualityReports: reports.length },
        });
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
