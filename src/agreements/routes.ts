import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/failure-to-problem.js';
import { ProblemError } from '../platform/http/problems.js';
import { agreementParameters, renderAgreement } from './render.js';
import { currentAgreementVersion, signedCopy } from './signing.js';

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

export async function agreementRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/agreements/current',
    {
      schema: {
        tags: ['agreements'],
        summary: 'The agreement in effect, with the operator’s terms filled in and placeholders for the order',
        querystring: Type.Object({ lang: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' }) }),
        response: {
          200: Type.Object({ version: Type.Integer(), effectiveAt: Type.String(), language: Type.String(), text: Type.String() }),
        },
      },
    },
    async (request) => {
      const current = await currentAgreementVersion(ctx);
      if (!current) throw new ProblemError('not-found', 'No agreement version is in effect');
      const language = request.query.lang;
      const text = renderAgreement(current.version, language, agreementParameters(ctx.settings, null));
      return { version: current.version, effectiveAt: current.effectiveAt, language, text };
    },
  );

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
}
