import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { failureToProblem } from '../../platform/http/index.js';
import type { BillingContext } from '../context.js';
import { postAdjustment, recordPayment, refundCredit } from '../payments.js';
import { requireStaff } from '../../staff/index.js';
import { staffActor } from './actors.js';
import { Fen, Uuid } from './schemas.js';

const RecordedPaymentSchema = Type.Object({
  paymentId: Type.String(),
  duplicate: Type.Boolean(),
  allocatedFen: Fen,
  creditFen: Fen,
  lateFeesPostedFen: Fen,
});

/** Money in and out at the billing clerk's desk: payments, adjustments and credit notes, refunds. */
export async function paymentRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/console/billing/payments',
    {
      config: { staff: { permission: 'payments.record' } },
      schema: {
        tags: ['billing'],
        summary: 'Record a payment received at the desk (audited); a reference recorded before is not recorded twice',
        body: Type.Object({
          subscriberId: Uuid,
          amountFen: Type.Integer({ minimum: 1 }),
          reference: Type.String({ minLength: 1, maxLength: 100 }),
          paidAt: Type.Optional(Type.String({ format: 'date-time' })),
          backdateReason: Type.Optional(
            Type.String({
              maxLength: 500,
              description:
                'Required, with the permission payments.backdate, when paidAt is more than VP_PAYMENT_BACKDATE_TOLERANCE_DAYS back',
            }),
          ),
        }),
        response: { 200: RecordedPaymentSchema, 201: RecordedPaymentSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId, amountFen, reference, paidAt, backdateReason } = request.body;
      const at = paidAt ? new Date(paidAt) : ctx.clock.now();
      const backdating = { permitted: requireStaff(request).permissions.includes('payments.backdate'), reason: backdateReason };
      const result = await recordPayment(
        ctx,
        { subscriberId, provider: 'cashier', externalReference: reference, amountFen, paidAt: at, channel: 'manual', backdating },
        staffActor(request),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(result.value.duplicate ? 200 : 201).send(result.value);
    },
  );
  app.post(
    '/api/console/billing/subscribers/:subscriberId/adjustments',
    {
      config: { staff: { permission: 'billing.manage' } },
      schema: {
        tags: ['billing'],
        summary: 'An adjustment (a charge on the next bill) or a credit note (money back), with a reason (audited)',
        params: Type.Object({ subscriberId: Uuid }),
        body: Type.Object({
          kind: Type.Union([Type.Literal('adjustment'), Type.Literal('credit_note')]),
          amountFen: Type.Integer({ minimum: 1 }),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
          billId: Type.Optional(Uuid),
          idempotencyKey: Type.String({ minLength: 8, maxLength: 100 }),
        }),
        response: {
          200: Type.Object({ entryId: Type.String(), duplicate: Type.Boolean() }),
          201: Type.Object({ entryId: Type.String(), duplicate: Type.Boolean() }),
        },
      },
    },
    async (request, reply) => {
      const result = await postAdjustment(ctx, { subscriberId: request.params.subscriberId, ...request.body }, staffActor(request));
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(result.value.duplicate ? 200 : 201).send(result.value);
    },
  );
  app.post(
    '/api/console/billing/subscribers/:subscriberId/refunds',
    {
      config: { staff: { permission: 'billing.manage' } },
      schema: {
        tags: ['billing'],
        summary: 'Refund unapplied credit (audited)',
        params: Type.Object({ subscriberId: Uuid }),
        body: Type.Object({
          amountFen: Type.Integer({ minimum: 1 }),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
          paymentId: Type.Optional(Uuid),
        }),
        response: { 201: Type.Object({ refundId: Type.String(), creditFen: Fen }) },
      },
    },
    async (request, reply) => {
      const result = await refundCredit(ctx, { subscriberId: request.params.subscriberId, ...request.body }, staffActor(request));
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.code(201).send(result.value);
    },
  );
}
