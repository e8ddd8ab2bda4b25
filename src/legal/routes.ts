import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { SUSPENSION_CAUSES } from '../entitlements/index.js';
import { subscriberIdForNumber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import type { Result } from '../platform/result.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { requireStaff } from '../staff/index.js';
import {
  decideAbuseReport,
  downloadEvidence,
  liftAbuseSuspension,
  listAbuseReports,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  reportAbuse,
} from './abuse-reports.js';
import {
  disclosedOrdersOf,
  downloadOrderDocument,
  liftJudicialOrder,
  listJudicialOrders,
  MAX_ORDER_DOCUMENT_BYTES,
  placeJudicialOrder,
  viewJudicialOrder,
  type LegalStaff,
} from './judicial-orders.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Scope = Type.Union([Type.Literal('all'), Type.Literal('outgoing')]);
const FileBody = Type.Object(
  {
    contentType: Type.String({ maxLength: 100 }),
    /** The file's bytes, base64. */
    base64: Type.String({ maxLength: Math.ceil((MAX_ORDER_DOCUMENT_BYTES * 4) / 3) + 4 }),
  },
  { additionalProperties: false },
);

const JudicialOrderSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  authority: Type.String(),
  caseNumber: Type.String(),
  legalBasis: Type.String(),
  document: Type.Object({ contentType: Type.String(), sizeBytes: Type.Integer(), sha256: Type.String() }),
  scope: Scope,
  from: Type.String({ format: 'date-time' }),
  until: Nullable(Type.String({ format: 'date-time' })),
  endCallsInProgress: Type.Boolean(),
  discloseToSubscriber: Type.Boolean(),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('in-force'), Type.Literal('ended'), Type.Literal('lifted')]),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  appliedAt: Nullable(Type.String({ format: 'date-time' })),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  liftedAt: Nullable(Type.String({ format: 'date-time' })),
  liftedBy: Nullable(Type.String()),
  liftReason: Nullable(Type.String()),
});

const AbuseReportSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  description: Type.String(),
  reportedAt: Type.String({ format: 'date-time' }),
  reportedBy: Type.String(),
  decision: Type.Union([Type.Literal('pending'), Type.Literal('suspend'), Type.Literal('dismiss')]),
  decisionNote: Nullable(Type.String()),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decidedBy: Nullable(Type.String()),
  liftedAt: Nullable(Type.String({ format: 'date-time' })),
  liftedBy: Nullable(Type.String()),
  liftReason: Nullable(Type.String()),
  evidence: Type.Array(
    Type.Object({
      id: Type.String(),
      fileName: Type.String(),
      contentType: Type.String(),
      sizeBytes: Type.Integer(),
      sha256: Type.String(),
    }),
  ),
});

const extensions: Record<string, string> = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png' };
// Large enough for the document (base64 grows it by a third) and the order's texts.
const orderBodyLimit = Math.ceil((MAX_ORDER_DOCUMENT_BYTES * 4) / 3) + 64 * 1024;
const reportBodyLimit = Math.ceil((MAX_EVIDENCE_BYTES * MAX_EVIDENCE_FILES * 4) / 3) + 64 * 1024;

function legalStaff(request: FastifyRequest): LegalStaff {
  const staff = requireStaff(request);
  return { id: staff.id, username: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureToProblem(result.failure);
  return result.value;
}

function decode(base64: string, field: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    throw new ProblemError('invalid-request', `${field} is not base64`, { errors: [{ field, message: 'not base64' }] });
  return Buffer.from(base64, 'base64');
}

/** The subscriber an order or report names: by id, or by one of their numbers. */
async function subscriberNamed(
  ctx: ServiceContext,
  body: { subscriberId?: string | undefined; number?: string | undefined },
): Promise<string> {
  if (body.subscriberId) return body.subscriberId;
  const id = body.number ? await subscriberIdForNumber(ctx.db, body.number) : null;
  if (!id)
    throw new ProblemError('invalid-request', 'Name the subscriber by id or by an assigned number', {
      errors: [{ field: 'subscriberId', message: 'required (or number)' }],
    });
  return id;
}

/**
 * Judicial orders and abuse reports (clauses 10 and 3), for the legal officer only (`legal.orders`):
 * every read of an order, its document or a report's evidence is audited, as is every change. The
 * subscriber reads only what the officer allowed them to (`/api/portal/service-restrictions`).
 */
export async function legalRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const legal = { staff: { permission: 'legal.orders' as const } };

  app.post(
    '/api/console/legal/judicial-orders',
    {
      config: legal,
      bodyLimit: orderBodyLimit,
      schema: {
        tags: ['legal'],
        summary:
          "Record a judicial or state-security order (clause 10) with its document; one effective now suspends the subscriber's service at once",
        body: Type.Object(
          {
            subscriberId: Type.Optional(Uuid),
            number: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })),
            authority: Type.String({ maxLength: 300 }),
            caseNumber: Type.String({ maxLength: 200 }),
            legalBasis: Type.String({ maxLength: 1000 }),
            scope: Scope,
            from: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
            until: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
            endCallsInProgress: Type.Boolean(),
            discloseToSubscriber: Type.Boolean(),
            document: FileBody,
          },
          { additionalProperties: false },
        ),
        response: { 201: JudicialOrderSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const order = unwrap(
        await placeJudicialOrder(
          ctx,
          {
            subscriberId: await subscriberNamed(ctx, body),
            authority: body.authority,
            caseNumber: body.caseNumber,
            legalBasis: body.legalBasis,
            scope: body.scope,
            from: body.from ? new Date(body.from) : null,
            until: body.until ? new Date(body.until) : null,
            endCallsInProgress: body.endCallsInProgress,
            discloseToSubscriber: body.discloseToSubscriber,
            document: { contentType: body.document.contentType, content: decode(body.document.base64, 'document') },
          },
          legalStaff(request),
        ),
      );
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(order);
    },
  );

  app.get(
    '/api/console/legal/judicial-orders',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: 'Judicial orders, newest first (the listing is audited)',
        querystring: Type.Object({ subscriberId: Type.Optional(Uuid), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(JudicialOrderSchema) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return {
        items: await listJudicialOrders(ctx, { subscriberId: request.query.subscriberId, limit: request.query.limit }, legalStaff(request)),
      };
    },
  );

  app.get(
    '/api/console/legal/judicial-orders/:id',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: 'One judicial order (the view is audited)',
        params: Type.Object({ id: Uuid }),
        response: { 200: JudicialOrderSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return unwrap(await viewJudicialOrder(ctx, request.params.id, legalStaff(request)));
    },
  );

  app.get(
    '/api/console/legal/judicial-orders/:id/document',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: "The order's document as received (the download is audited)",
        params: Type.Object({ id: Uuid }),
      },
    },
    async (request, reply) => {
      const document = unwrap(await downloadOrderDocument(ctx, request.params.id, legalStaff(request)));
      return reply
        .type(document.contentType)
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="judicial-order-${request.params.id}${extensions[document.contentType] ?? ''}"`,
        )
        .send(document.content);
    },
  );

  app.post(
    '/api/console/legal/judicial-orders/:id/lift',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: "Lift an order (its suspension closes at once; the subscriber's other suspensions stay)",
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: JudicialOrderSchema },
      },
    },
    async (request) =>
      unwrap(await liftJudicialOrder(ctx, { orderId: request.params.id, reason: request.body.reason }, legalStaff(request))),
  );

  app.post(
    '/api/console/legal/abuse-reports',
    {
      config: legal,
      bodyLimit: reportBodyLimit,
      schema: {
        tags: ['legal'],
        summary: `Record a report of unlawful use (clause 3) with up to ${MAX_EVIDENCE_FILES} evidence files (PDF, JPEG, PNG)`,
        body: Type.Object(
          {
            subscriberId: Type.Optional(Uuid),
            number: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })),
            description: Type.String({ maxLength: 5000 }),
            evidence: Type.Array(
              Type.Object({ fileName: Type.String({ maxLength: 200 }), ...FileBody.properties }, { additionalProperties: false }),
              {
                maxItems: MAX_EVIDENCE_FILES,
              },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: AbuseReportSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const report = unwrap(
        await reportAbuse(
          ctx,
          {
            subscriberId: await subscriberNamed(ctx, body),
            description: body.description,
            evidence: body.evidence.map((file, index) => ({
              fileName: file.fileName,
              contentType: file.contentType,
              content: decode(file.base64, `evidence/${index}`),
            })),
          },
          legalStaff(request),
        ),
      );
      return reply.status(201).send(report);
    },
  );

  app.get(
    '/api/console/legal/abuse-reports',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: 'Abuse reports, newest first (the listing is audited)',
        querystring: Type.Object({ subscriberId: Type.Optional(Uuid), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(AbuseReportSchema) }) },
      },
    },
    async (request) => ({
      items: await listAbuseReports(ctx, { subscriberId: request.query.subscriberId, limit: request.query.limit }, legalStaff(request)),
    }),
  );

  app.get(
    '/api/console/legal/abuse-reports/:id/evidence/:evidenceId',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: 'One evidence file of a report (the download is audited)',
        params: Type.Object({ id: Uuid, evidenceId: Uuid }),
      },
    },
    async (request, reply) => {
      const file = unwrap(
        await downloadEvidence(ctx, { reportId: request.params.id, evidenceId: request.params.evidenceId }, legalStaff(request)),
      );
      return reply
        .type(file.contentType)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${encodeURIComponent(file.fileName)}"`)
        .send(file.content);
    },
  );

  app.post(
    '/api/console/legal/abuse-reports/:id/decision',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: 'Decide a report: suspend the subscriber (cause abuse) or dismiss it',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          { decision: Type.Union([Type.Literal('suspend'), Type.Literal('dismiss')]), note: Type.String({ maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: AbuseReportSchema },
      },
    },
    async (request) =>
      unwrap(
        await decideAbuseReport(
          ctx,
          { reportId: request.params.id, decision: request.body.decision, note: request.body.note },
          legalStaff(request),
        ),
      ),
  );

  app.post(
    '/api/console/legal/abuse-reports/:id/lift',
    {
      config: legal,
      schema: {
        tags: ['legal'],
        summary: "Lift the suspension a report's decision opened",
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: AbuseReportSchema },
      },
    },
    async (request) =>
      unwrap(await liftAbuseSuspension(ctx, { reportId: request.params.id, reason: request.body.reason }, legalStaff(request))),
  );

  app.get(
    '/api/portal/service-restrictions',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary:
          'What the subscriber is told about a judicial suspension: a neutral notice and the support contact, and the details of those orders the legal officer allowed to be disclosed',
        response: {
          200: Type.Object({
            supportContact: Type.String(),
            notice: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
            disclosedOrders: Type.Array(
              Type.Object({
                authority: Type.String(),
                caseNumber: Type.String(),
                legalBasis: Type.String(),
                scope: Scope,
                from: Type.String({ format: 'date-time' }),
                until: Nullable(Type.String({ format: 'date-time' })),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const { en, 'zh-CN': zh } = SUSPENSION_CAUSES.judicial.refusal;
      reply.header('cache-control', 'no-store');
      return {
        supportContact: ctx.settings.supportContact,
        notice: { en, 'zh-CN': zh },
        disclosedOrders: await disclosedOrdersOf(ctx, subscriberId),
      };
    },
  );
}
