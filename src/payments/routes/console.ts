import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import { requireStaff } from '../../staff/index.js';
import type { PaymentsContext } from '../context.js';
import { paymentIntentOf } from '../intents.js';
import { paymentMismatches, resolvePaymentMismatch } from '../reconcile.js';
import { refundOnlinePayment } from '../refunds.js';
import { PaymentIntentSchema } from './schemas.js';

const MismatchSchema = Type.Object({
  id: Type.String(),
  intentId: Type.Union([Type.String(), Type.Null()]),
  provider: Type.String(),
  merchantReference: Type.String(),
  kind: Type.Union([
    Type.Literal('missed-notification'),
    Type.Literal('amount-differs'),
    Type.Literal('status-differs'),
    Type.Literal('unknown-at-provider'),
    Type.Literal('unknown-intent'),
    Type.Literal('refund-not-recorded'),
  ]),
  detail: Type.Unknown(),
  foundAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
});

/** Staff's side of online payment: reconciliation's mismatches and refunds through the provider. */
export async function consolePaymentRoutes(parent: FastifyInstance, options: { ctx: PaymentsContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/payments/mismatches',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['payments'],
        summary: "Differences reconciliation found between our records and the providers', newest first, with how many are open",
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ openCount: Type.Integer(), mismatches: Type.Array(MismatchSchema) }) },
      },
    },
    async (request) => paymentMismatches(ctx, { open: request.query.open ?? false }),
  );

  app.post(
    '/api/console/payments/mismatches/:id/resolve',
    {
      config: { staff: { permission: 'payments.record' } },
      schema: {
        tags: ['payments'],
        summary: 'Mark a mismatch as dealt with',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      if (!(await resolvePaymentMismatch(ctx, request.params.id))) throw new ProblemError('not-found', 'No open mismatch with this id');
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/console/payments/online/:id',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['payments'],
        summary: 'One online payment',
        params: Type.Object({ id: Type.String() }),
        response: { 200: PaymentIntentSchema },
      },
    },
    async (request) => {
      const intent = await paymentIntentOf(ctx, request.params.id, null);
      if (!intent) throw new ProblemError('not-found', 'No such payment');
      return intent;
    },
  );

  app.post(
    '/api/console/payments/online/:id/refunds',
    {
      config: { staff: { permission: 'billing.manage' } },
      schema: {
        tags: ['payments'],
        summary: 'Refund credit to where it came from: through the provider of this online payment, then off the account',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ amountFen: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 1, maxLength: 500 }) }),
        response: {
          201: Type.Object({
            refundId: Type.String(),
            refundReference: Type.String(),
            providerRefundReference: Type.Union([Type.String(), Type.Null()]),
            status: Type.Union([Type.Literal('succeeded'), Type.Literal('pending'), Type.Literal('failed')]),
            billingRefundId: Type.Union([Type.String(), Type.Null()]),
            creditFen: Type.Integer(),
          }),
        },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const result = await refundOnlinePayment(
        ctx,
        { intentId: request.params.id, ...request.body },
        { type: 'staff', id: staff.id, name: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(201).send(result.value);
    },
  );
}
