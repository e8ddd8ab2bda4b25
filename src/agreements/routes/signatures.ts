import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import { activateIfReady } from '../../subscribers/index.js';
import { requireSubscriber, subscriberActor } from '../../portal-auth/index.js';
import { renderAgreementPdf } from '../agreement-pdf.js';
import { renderAgreement } from '../render.js';
import { sha256Hex, type OperatorSeal } from '../seal.js';
import { currentAgreementVersion, signAgreement, signedCopy, type SignedCopy } from '../signing.js';
import { agreementParametersFor } from '../subscriber-parameters.js';
import { notifyOfPendingVersions } from '../terms-changes.js';

const SignedCopySchema = Type.Object({
  text: Type.String(),
  signature: Type.Object({
    id: Type.String(),
    subscriberId: Type.String(),
    version: Type.Integer(),
    language: Type.String(),
    textSha256: Type.String(),
    signedAt: Type.String(),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    operatorSignature: Type.String(),
    operatorKeyId: Type.String(),
  }),
  operatorPublicKey: Type.String(),
});

const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' });

/** The subscriber reads the agreement filled with their order, signs it, and keeps the signed copy (clause 17). */
export async function portalSignatureRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; seal: OperatorSeal; sipDomain: string },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/agreement',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'The agreement to sign, filled with the subscriber’s order, its SHA-256, and the subscriber’s signatures so far',
        querystring: Type.Object({ lang: Language }),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            language: Type.String(),
            text: Type.String(),
            textSha256: Type.String(),
            signatures: Type.Array(
              Type.Object({ id: Type.String(), version: Type.Integer(), language: Type.String(), signedAt: Type.String() }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const current = await currentAgreementVersion(ctx);
      if (!current) throw new ProblemError('not-found', 'No agreement version is in effect');
      const text = renderAgreement(current.version, request.query.lang, await agreementParametersFor(ctx, subscriberId));
      const signatures = await ctx.db
        .selectFrom('agreement_signatures')
        .select(['id', 'version', 'language', 'signed_at'])
        .where('subscriber_id', '=', subscriberId)
        .orderBy('signed_at', 'desc')
        .execute();
      return {
        version: current.version,
        language: request.query.lang,
        text,
        textSha256: sha256Hex(text),
        signatures: signatures.map((s) => ({ id: s.id, version: s.version, language: s.language, signedAt: s.signed_at.toISOString() })),
      };
    },
  );

  app.post(
    '/api/portal/agreement/signatures',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'Sign the agreement (clause 17): the subscriber confirms the hash of the exact text they read',
        body: Type.Object(
          { version: Type.Integer(), language: Language, textSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([
            SignedCopySchema,
            Type.Object({ activated: Type.Boolean(), number: Type.Union([Type.String(), Type.Null()]) }),
          ]),
        },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const parameters = await agreementParametersFor(ctx, subscriberId);
      const current = await currentAgreementVersion(ctx);
      // What was read must be what is signed: a text that changed in between (new version, new
      // settings) is refused rather than signed unseen.
      if (
        !current ||
        current.version !== request.body.version ||
        sha256Hex(renderAgreement(current.version, request.body.language, parameters)) !== request.body.textSha256
      ) {
        throw new ProblemError('conflict', 'The agreement text has changed since it was shown; read it again before signing');
      }
      const actor = subscriberActor(request);
      const signed = await signAgreement(
        ctx,
        { subscriberId, language: request.body.language, parameters, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null },
        options.seal,
      );
      if (!signed.ok) throw failureToProblem(signed.failure);
      const activation = await activateIfReady(ctx, subscriberId, options.sipDomain, actor);
      if (!activation.ok) throw failureToProblem(activation.failure);
      // Signed the version in force while a newer one awaits its effective date: told of it now (clause 15).
      if (activation.value.activated) await notifyOfPendingVersions(ctx, subscriberId);
      return reply.status(201).send({ ...signed.value, ...activation.value });
    },
  );

  app.get(
    '/api/portal/agreement/signatures/:id',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary: 'The subscriber’s signed copy: exact text, signature record and the operator’s seal key (clause 17)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: SignedCopySchema },
      },
    },
    async (request) => {
      const result = await signedCopy(ctx, request.params.id);
      if (!result.ok || result.value.signature.subscriberId !== requireSubscriber(request).subscriberId) {
        throw new ProblemError('not-found', 'No such signed agreement');
      }
      return result.value;
    },
  );

  app.get(
    '/api/portal/agreement/signatures/:id/pdf',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'agreements'],
        summary:
          'The subscriber’s signed copy as a PDF: the text, both parties’ signature details, the seal fingerprint and how to verify (clause 17)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const result = await signedCopy(ctx, request.params.id);
      if (!result.ok || result.value.signature.subscriberId !== requireSubscriber(request).subscriberId) {
        throw new ProblemError('not-found', 'No such signed agreement');
      }
      return sendAgreementPdf(reply, result.value);
    },
  );
}

function sendAgreementPdf(reply: FastifyReply, copy: SignedCopy): Promise<FastifyReply> {
  return renderAgreementPdf(copy).then((pdf) =>
    reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="videophone-agreement-${copy.signature.id}.pdf"`)
      .send(pdf),
  );
}

/** Any signed agreement, for staff (clause 17). */
export async function consoleSignatureRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/agreement-signatures/:id',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['agreements'],
        summary: 'A signed agreement: the exact text, the signature record and the operator’s seal key (clause 17)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: SignedCopySchema },
      },
    },
    async (request) => {
      const result = await signedCopy(ctx, request.params.id);
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );

  app.get(
    '/api/console/agreement-signatures/:id/pdf',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['agreements'],
        summary:
          'A signed agreement as a PDF: the text, both parties’ signature details, the seal fingerprint and how to verify (clause 17)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      const result = await signedCopy(ctx, request.params.id);
      if (!result.ok) throw failureToProblem(result.failure);
      return sendAgreementPdf(reply, result.value);
    },
  );
}
