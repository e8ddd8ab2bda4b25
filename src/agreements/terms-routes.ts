import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type, { type TSchema } from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/index.js';
import type { Result } from '../platform/result.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { requireSubscriber, subscriberActor } from '../portal-auth/index.js';
import { addCaseEntry, getNegotiationCase, listNegotiationCases, resolveNegotiationCase } from './negotiation.js';
import {
  acceptTermsChange,
  listAgreementVersions,
  objectToTermsChange,
  pendingTermsChanges,
  publishAgreementVersion,
} from './terms-changes.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Status = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('escalated-to-arbitration')]);

const EntrySchema = Type.Object({
  id: Type.Integer(),
  authorType: Type.Union([Type.Literal('subscriber'), Type.Literal('staff')]),
  authorId: Type.String(),
  authorName: Nullable(Type.String()),
  at: Type.String(),
  text: Type.String(),
});

const CaseSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  subject: Type.Literal('terms-change'),
  version: Nullable(Type.Integer()),
  status: Status,
  openedAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  arbitrationBody: Nullable(Type.String()),
  entries: Type.Array(EntrySchema),
});

const CaseSummarySchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  subject: Type.Literal('terms-change'),
  version: Nullable(Type.Integer()),
  status: Status,
  openedAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
  entryCount: Type.Integer(),
});

const Text = Type.String({ minLength: 1, maxLength: 4000 });
const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1 }) });
const CaseParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureToProblem(result.failure);
  return result.value;
}

/**
 * Terms changes (clause 15) and negotiation cases (clause 16): the console publishes versions and
 * handles cases; the portal shows pending changes, takes objections and acceptances, and shows cases.
 */
export async function termsChangeRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/console/agreement-versions',
    {
      config: { staff: { permission: 'agreements.publish' } },
      schema: {
        tags: ['agreements'],
        summary:
          'Publish the next agreement version (clause 15): every active or suspended subscriber is notified and may object until the end of the window',
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            summary: Type.String({ minLength: 1, maxLength: 2000 }),
            effectiveAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            version: Type.Integer(),
            summary: Type.String(),
            publishedAt: Type.String(),
            effectiveAt: Type.String(),
            lastDayToObject: Type.String(),
            objectionDeadline: Type.String(),
            notified: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { version, summary, effectiveAt } = request.body;
      const published = await publishAgreementVersion(
        ctx,
        { version, summary, ...(effectiveAt ? { effectiveAt: new Date(effectiveAt) } : {}) },
        staffActor(request, requireStaff(request)),
      );
      return reply.status(201).send(unwrap(published));
    },
  );

  app.get(
    '/api/console/agreement-versions',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['agreements'],
        summary: 'Agreement versions, newest first, with how subscribers answered each (notified, objected, accepted, accepted by silence)',
        response: {
          200: Type.Object({
            versions: Type.Array(
              Type.Object({
                version: Type.Integer(),
                summary: Type.String(),
                publishedAt: Type.String(),
                effectiveAt: Type.String(),
                counts: Type.Object({
                  notified: Type.Integer(),
                  pending: Type.Integer(),
                  objected: Type.Integer(),
                  accepted: Type.Integer(),
                  acceptedBySilence: Type.Integer(),
                }),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ versions: await listAgreementVersions(ctx) }),
  );

  app.get(
    '/api/console/negotiation-cases',
    {
      config: { staff: { permission: 'negotiations.handle' } },
      schema: {
        tags: ['agreements'],
        summary: 'Negotiation cases (clause 16), oldest first, optionally by status',
        querystring: Type.Object({ status: Type.Optional(Status), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ cases: Type.Array(CaseSummarySchema) }) },
      },
    },
    async (request) => ({
      cases: await listNegotiationCases(ctx, {
        limit: request.query.limit,
        ...(request.query.status ? { status: request.query.status } : {}),
      }),
    }),
  );

  app.get(
    '/api/console/negotiation-cases/:id',
    {
      config: { staff: { permission: 'negotiations.handle' } },
      schema: {
        tags: ['agreements'],
        summary: 'One negotiation case with its whole history',
        params: CaseParams,
        response: { 200: CaseSchema },
      },
    },
    async (request) => unwrap(await getNegotiationCase(ctx, request.params.id)),
  );

  app.post(
    '/api/console/negotiation-cases/:id/entries',
    {
      config: { staff: { permission: 'negotiations.handle' } },
      schema: {
        tags: ['agreements'],
        summary: 'The operator writes in an open negotiation case; the subscriber is told',
        params: CaseParams,
        body: Type.Object({ text: Text }, { additionalProperties: false }),
        response: { 201: EntrySchema },
      },
    },
    async (request, reply) => {
      const entry = await addCaseEntry(
        ctx,
        { caseId: request.params.id, text: request.body.text },
        staffActor(request, requireStaff(request)),
      );
      return reply.status(201).send(unwrap(entry));
    },
  );

  app.post(
    '/api/console/negotiation-cases/:id/resolution',
    {
      config: { staff: { permission: 'negotiations.handle' } },
      schema: {
        tags: ['agreements'],
        summary: 'Close an open case: resolved by agreement, or escalated to the arbitration body the agreement names',
        params: CaseParams,
        body: Type.Object(
          { outcome: Type.Union([Type.Literal('resolved'), Type.Literal('escalated-to-arbitration')]), text: Text },
          { additionalProperties: false },
        ),
        response: { 200: CaseSchema },
      },
    },
    async (request) =>
      unwrap(
        await resolveNegotiationCase(
          ctx,
          { caseId: request.params.id, outcome: request.body.outcome, text: request.body.text },
          staffActor(request, requireStaff(request)),
        ),
      ),
  );

  app.get(
    '/api/portal/notices',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'The subscriber’s pending terms changes: what changes, from when, and the last day to object',
        response: {
          200: Type.Object({
            termsChanges: Type.Array(
              Type.Object({
                version: Type.Integer(),
                summary: Type.String(),
                notifiedAt: Type.String(),
                effectiveAt: Type.String(),
                lastDayToObject: Type.String(),
                objectionDeadline: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ termsChanges: await pendingTermsChanges(ctx, requireSubscriber(request).subscriberId) }),
  );

  app.post(
    '/api/portal/agreement-versions/:version/objection',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary:
          'Object to a new agreement version (clause 15) until the end of the last day to object, operator’s time; opens a negotiation case (clause 16)',
        params: VersionParams,
        body: Type.Object({ reason: Text }, { additionalProperties: false }),
        response: { 201: CaseSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const opened = await objectToTermsChange(
        ctx,
        { subscriberId, version: request.params.version, reason: request.body.reason },
        subscriberActor(request),
      );
      return reply.status(201).send(unwrap(opened));
    },
  );

  app.post(
    '/api/portal/agreement-versions/:version/acceptance',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'Accept a new agreement version explicitly, before the objection window ends',
        params: VersionParams,
        response: {
          200: Type.Object({ version: Type.Integer(), response: Type.Literal('accepted'), respondedAt: Type.String() }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const answer = unwrap(await acceptTermsChange(ctx, { subscriberId, version: request.params.version }, subscriberActor(request)));
      return { version: answer.version, response: 'accepted' as const, respondedAt: answer.respondedAt };
    },
  );

  app.get(
    '/api/portal/negotiation-cases',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'The subscriber’s negotiation cases, each with its whole history',
        response: { 200: Type.Object({ cases: Type.Array(CaseSchema) }) },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const summaries = await listNegotiationCases(ctx, { subscriberId, limit: 500 });
      const cases = [];
      for (const summary of summaries) cases.push(unwrap(await getNegotiationCase(ctx, summary.id, subscriberId)));
      return { cases };
    },
  );

  app.post(
    '/api/portal/negotiation-cases/:id/entries',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'The subscriber writes in one of their own open negotiation cases',
        params: CaseParams,
        body: Type.Object({ text: Text }, { additionalProperties: false }),
        response: { 201: EntrySchema },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const entry = await addCaseEntry(ctx, { caseId: request.params.id, text: request.body.text, subscriberId }, subscriberActor(request));
      return reply.status(201).send(unwrap(entry));
    },
  );
}
