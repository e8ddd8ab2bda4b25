import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import type { BillingContext } from '../context.js';
import { recordPayment } from '../payments.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../webhook.js';
import { Uuid } from './schemas.js';

/**
 * Payment providers' webhooks: the raw body is what is signed, so this plug-in's scope keeps it
 * (the JSON parser below applies to this route only).
 */
export async function paymentWebhookRoutes(
  scope: FastifyInstance,
  options: { ctx: BillingContext; webhookSecrets: Record<string, string> },
): Promise<void> {
  const { ctx } = options;
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as FastifyRequest & { rawBody?: string }).rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ProblemError('malformed-json', 'The body is not JSON'), undefined);
    }
  });
  scope.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/payments/webhook/:provider',
    {
      schema: {
        tags: ['billing'],
        summary: "A payment provider's signed notification (HMAC-SHA256 of `<timestamp>.<body>`); delivering it again records nothing new",
        params: Type.Object({ provider: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) }),
        body: Type.Object({
          reference: Type.String({ minLength: 1, maxLength: 100 }),
          subscriberId: Uuid,
          amountFen: Type.Integer({ minimum: 1 }),
          paidAt: Type.String({ format: 'date-time' }),
        }),
        response: { 200: Type.Object({ paymentId: Type.String(), duplicate: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { provider } = request.params;
      const secret = options.webhookSecrets[provider];
      if (!secret) throw new ProblemError('not-found', `No webhook for provider ${provider}`);
      const check = verifyWebhook(
        secret,
        {
          signature: request.headers[SIGNATURE_HEADER] as string | undefined,
          timestamp: request.headers[TIMESTAMP_HEADER] as string | undefined,
        },
        (request as FastifyRequest & { rawBody?: string }).rawBody ?? '',
        ctx.clock.now(),
      );
      if (!check.ok) throw new ProblemError('invalid-signature', check.reason);
      const { reference, subscriberId, amountFen, paidAt } = request.body;
      const result = await recordPayment(
        ctx,
        { subscriberId, provider, externalReference: reference, amountFen, paidAt: new Date(paidAt), channel: 'webhook' },
        { type: 'system', id: null, name: `payment provider ${provider}` },
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return { paymentId: result.value.paymentId, duplicate: result.value.duplicate };
    },
  );
}
