import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { failureToProblem } from '../../platform/http/index.js';
import type { PaymentsContext } from '../context.js';
import { receiveNotification } from '../intents.js';

type RawRequest = FastifyRequest & { rawBody?: string };

/**
 * Providers' asynchronous notifications. Signatures cover the exact bytes received, so this scope
 * keeps every body as a string (JSON from WeChat Pay and the simulator, a form from Alipay) and the
 * adapter parses it after verifying. The answer is the provider's own acknowledgement.
 */
export async function notifyRoutes(scope: FastifyInstance, options: { ctx: PaymentsContext }): Promise<void> {
  const { ctx } = options;
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    (request as RawRequest).rawBody = body as string;
    done(null, body);
  });
  scope.post(
    '/api/payments/notify/:provider',
    {
      schema: {
        tags: ['payments'],
        summary: "A payment provider's signed asynchronous notification; applied once, however often it comes",
        params: Type.Object({ provider: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) }),
      },
    },
    async (request, reply) => {
      const { provider } = request.params as { provider: string };
      const result = await receiveNotification(ctx, provider, {
        headers: request.headers,
        rawBody: (request as RawRequest).rawBody ?? '',
        contentType: request.headers['content-type'],
      });
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(result.value.status).type(result.value.contentType).send(result.value.body);
    },
  );
}
