import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { requireStaff, staffActor } from '../../staff/index.js';
import { requireSubscriber, subscriberActor } from '../../portal-auth/index.js';
import {
  acceptTermsChange,
  listAgreementVersions,
  objectToTermsChange,
  pendingTermsChanges,
  publishAgreementVersion,
} from '../terms-changes.js';
import { hasAgreementText, renderAgreement } from '../render.js';
import { currentAgreementVersion } from '../signing.js';
import { agreementParametersFor } from '../subscriber-parameters.js';
import { readableDiff } from '../terms-diff.js';
import { ProblemError } from '../../platform/http/index.js';
import { CaseSchema, Text } from './negotiation-cases.js';
import { unwrap } from './unwrap.js';

const VersionParams = Type.Object({ version: Type.Integer({ minimum: 1 }) });

/** Agreement versions (clause 15): the console publishes the next one and sees how subscribers answered each. */
export async function consoleAgreementVersionRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
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
}

/** The subscriber's pending terms changes (clause 15): shown, objected to (opening a case, clause 16) or accepted. */
export async function portalTermsChangeRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/terms-changes',
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

  app.get(
    '/api/portal/agreement-versions/:version/changes',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary:
          'The full text of an agreement version, filled with the subscriber’s order, and a readable diff against the version in force (clause 15)',
        params: VersionParams,
        querystring: Type.Object({ lang: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' }) }),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            language: Type.String(),
            text: Type.String(),
            inForce: Type.Union([Type.Object({ version: Type.Integer(), text: Type.String() }), Type.Null()]),
            diff: Type.Array(
              Type.Object({
                change: Type.Union([Type.Literal('same'), Type.Literal('inserted'), Type.Literal('deleted')]),
                text: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const { version } = request.params;
      const language = request.query.lang;
      if (!hasAgreementText(version)) throw new ProblemError('not-found', `Agreement version ${version} has no text`);
      const parameters = await agreementParametersFor(ctx, subscriberId);
      const text = renderAgreement(version, language, parameters);
      const current = await currentAgreementVersion(ctx);
      const inForce =
        current && hasAgreementText(current.version)
          ? { version: current.version, text: renderAgreement(current.version, language, parameters) }
          : null;
      return { version, language, text, inForce, diff: readableDiff(inForce?.text ?? '', text, language) };
    },
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
}
