import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { ProblemError } from '../../platform/http/index.js';
import { agreementParameters, renderAgreement } from '../render.js';
import { currentAgreementVersion } from '../signing.js';

/** The agreement in effect, for anyone (before applying, there is no order to fill in). */
export async function currentAgreementRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
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
}
