import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type, { type TSchema } from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { requireStaff, staffActor } from '../../staff/index.js';
import { requireSubscriber, subscriberActor } from '../../portal-auth/index.js';
import { getMaskedSubscriber } from '../../subscribers/index.js';
import { addCaseEntry, getNegotiationCase, listNegotiationCases, resolveNegotiationCase } from '../negotiation.js';
import { unwrap } from './unwrap.js';

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

export const CaseSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  subject: Type.Union([Type.Literal('terms-change'), Type.Literal('fee-dispute')]),
  version: Nullable(Type.Integer()),
  disputeId: Nullable(Type.String()),
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
  subject: Type.Union([Type.Literal('terms-change'), Type.Literal('fee-dispute')]),
  version: Nullable(Type.Integer()),
  status: Status,
  openedAt: Type.String(),
  resolvedAt: Nullable(Type.String()),
  entryCount: Type.Integer(),
});

/** Staff see whose case it is: the name masked as everywhere in the console (clause 1). */
const ConsoleCaseSummarySchema = Type.Object({ ...CaseSummarySchema.properties, subscriberName: Nullable(Type.String()) });

export const Text = Type.String({ minLength: 1, maxLength: 4000 });
const CaseParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Negotiation cases (clause 16) as the operator handles them: read, answer, resolve or escalate. */
export async function consoleNegotiationCaseRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/negotiation-cases',
    {
      config: { staff: { permission: 'negotiations.handle' } },
      schema: {
        tags: ['agreements'],
        summary: "Negotiation cases (clause 16), oldest first, optionally by status or one subscriber's",
        querystring: Type.Object({
          status: Type.Optional(Status),
          subscriberId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ cases: Type.Array(ConsoleCaseSummarySchema) }) },
      },
    },
    async (request) => {
      const cases = await listNegotiationCases(ctx, {
        limit: request.query.limit,
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.subscriberId ? { subscriberId: request.query.subscriberId } : {}),
      });
      const names = new Map<string, string | null>();
      for (const { subscriberId } of cases) {
        if (names.has(subscriberId)) continue;
        const identity = (await getMaskedSubscriber(ctx, subscriberId))?.identity;
        names.set(subscriberId, identity?.fullName ?? identity?.legalName ?? null);
      }
      return { cases: cases.map((c) => ({ ...c, subscriberName: names.get(c.subscriberId) ?? null })) };
    },
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
}

/** The subscriber's own negotiation cases (clause 16), each with its whole history, and writing in them. */
export async function portalNegotiationCaseRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

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
