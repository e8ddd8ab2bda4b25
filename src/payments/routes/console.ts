import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import { requireStaff, staffActor } from '../../staff/index.js';
import type { PaymentsContext } from '../context.js';
import { paymentIntentOf, recentOnlinePayments } from '../intents.js';
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
  subscriberId: Type.Union([Type.String(), Type.Null()]),
  resolvedBy: Type.Union([
    Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  resolution: Type.Union([Type.String(), Type.Null()]),
});

const IntentStatusSchema = Type.Union([
  Type.Literal('created'),
  Type.Literal('pending'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('expired'),
  Type.Literal('closed'),
]);

const OnlinePaymentSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  purpose: Type.Union([Type.Literal('bill'), Type.Literal('balance'), Type.Literal('month-fees'), Type.Literal('settlement')]),
  amountFen: Type.Integer(),
  refundedFen: Type.Integer(),
  provider: Type.String(),
  merchantReference: Type.String(),
  providerReference: Type.Union([Type.String(), Type.Null()]),
  status: IntentStatusSchema,
  createdAt: Type.String(),
  settledAt: Type.Union([Type.String(), Type.Null()]),
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
        summary: 'Close a mismatch, saying what was done about it (audited)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ resolution: Type.String({ minLength: 1, maxLength: 1000 }) }),
        response: { 200: MismatchSchema },
      },
    },
    async (request) => {
      const result = await resolvePaymentMismatch(
        ctx,
        request.params.id,
        request.body.resolution,
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );

  app.get(
    '/api/console/payments/online',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['payments'],
        summary: 'Online payments newest first, a page at a time, with what has been refunded of each',
        querystring: Type.Object({
          status: Type.Optional(IntentStatusSchema),
          offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), payments: Type.Array(OnlinePaymentSchema) }) },
      },
    },
    async (request) => recentOnlinePayments(ctx, request.query),
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
      const result = await refundOnlinePayment(
        ctx,
        { intentId: request.params.id, ...request.body },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(201).send(result.value);
    },
  );
}
