import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import { requireSubscriber } from '../../portal-auth/index.js';
import type { PaymentsContext } from '../context.js';
import { amountToPay, createPaymentIntent, paymentIntentOf, paymentIntentsOf } from '../intents.js';
import { PaymentIntentSchema, PaymentPurposeSchema } from './schemas.js';

const PurposeAmount = Type.Union([Type.Integer(), Type.Null()]);

/** The subscriber pays online what is owed: the amount is always the server's (issue #15). */
export async function portalPaymentRoutes(parent: FastifyInstance, options: { ctx: PaymentsContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/payments/options',
    {
      config: { portal: true },
      schema: {
        tags: ['payments'],
        summary: 'The providers offered and what each purpose would take now (null: nothing to pay for it)',
        response: {
          200: Type.Object({
            providers: Type.Array(Type.String()),
            amounts: Type.Object({ balance: PurposeAmount, monthFees: PurposeAmount, settlement: PurposeAmount }),
          }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const amountOf = async (purpose: 'balance' | 'month-fees' | 'settlement') => {
        const amount = await amountToPay(ctx, subscriberId, purpose, null);
        return amount.ok ? amount.value.amountFen : null;
      };
      return {
        providers: [...ctx.providers.keys()],
        amounts: { balance: await amountOf('balance'), monthFees: await amountOf('month-fees'), settlement: await amountOf('settlement') },
      };
    },
  );

  app.post(
    '/api/portal/payments',
    {
      config: { portal: true },
      schema: {
        tags: ['payments'],
        summary: 'Start paying online: the server decides the amount for the purpose and answers the QR code or page to pay at',
        body: Type.Object({
          purpose: PaymentPurposeSchema,
          billId: Type.Optional(Type.String({ format: 'uuid' })),
          provider: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
        }),
        response: { 201: PaymentIntentSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const result = await createPaymentIntent(ctx, {
        subscriberId,
        purpose: request.body.purpose,
        billId: request.body.billId ?? null,
        provider: request.body.provider,
        origin: `${request.protocol}://${request.host}`,
      });
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(201).send(result.value);
    },
  );

  app.get(
    '/api/portal/payments',
    {
      config: { portal: true },
      schema: {
        tags: ['payments'],
        summary: "The signed-in subscriber's online payments, newest first",
        response: { 200: Type.Object({ payments: Type.Array(PaymentIntentSchema) }) },
      },
    },
    async (request) => ({ payments: await paymentIntentsOf(ctx, requireSubscriber(request).subscriberId) }),
  );

  app.get(
    '/api/portal/payments/:id',
    {
      config: { portal: true },
      schema: {
        tags: ['payments'],
        summary: 'One online payment: its QR code while open, its receipt once paid',
        params: Type.Object({ id: Type.String() }),
        response: { 200: PaymentIntentSchema },
      },
    },
    async (request) => {
      const intent = await paymentIntentOf(ctx, request.params.id, requireSubscriber(request).subscriberId);
      if (!intent) throw new ProblemError('not-found', 'No such payment');
      return intent;
    },
  );
}
