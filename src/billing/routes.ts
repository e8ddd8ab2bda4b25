import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Actor } from '../audit/index.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireStaff } from '../staff/index.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { importReconciliation, previewReconciliation } from './bank-import.js';
import { listBillRuns } from './bill-run.js';
import type { BillingContext } from './context.js';
import { dunningStageOf } from './dunning.js';
import { ledgerOf } from './ledger.js';
import { postAdjustment, recordPayment, refundCredit } from './payments.js';
import { cjkFontPath, renderBillPdf } from './bill-pdf.js';
import { balanceOf, billDetail, listBills, receivablesAgeing, usageOf, type BillDetail } from './statements.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from './webhook.js';

export interface BillingRouteOptions {
  ctx: BillingContext;
  webhookSecrets: Record<string, string>;
}

const Uuid = Type.String({ format: 'uuid' });

// Response schemas: the shapes of statements.ts, bill-run.ts, dunning.ts, ledger.ts, payments.ts and
// bank-import.ts as they are sent (dates as ISO strings). Amounts are integer fen.
const Fen = Type.Integer();
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const LocalDate = Type.String({ description: 'A calendar day, YYYY-MM-DD' });

const BillSummarySchema = Type.Object({
  id: Type.String(),
  period: LocalDate,
  kind: Type.Union([Type.Literal('regular'), Type.Literal('final')]),
  issueDate: LocalDate,
  dueDate: LocalDate,
  totalFen: Fen,
  outstandingFen: Fen,
  status: Type.Union([Type.Literal('paid'), Type.Literal('open'), Type.Literal('overdue')]),
});

/** `LedgerKind` of tables.ts: what a ledger entry or bill line is. */
const LedgerKindSchema = Type.Union([
  Type.Literal('rent'),
  Type.Literal('usage'),
  Type.Literal('late_fee'),
  Type.Literal('payment'),
  Type.Literal('refund'),
  Type.Literal('credit_note'),
  Type.Literal('adjustment'),
  Type.Literal('correction'),
]);

const BillDetailSchema = Type.Object({
  ...BillSummarySchema.properties,
  subscriberId: Type.String(),
  serviceFrom: Nullable(LocalDate),
  serviceTo: Nullable(LocalDate),
  lateFeeFen: Fen,
  principalFen: Fen,
  lines: Type.Array(
    Type.Object({
      position: Type.Integer(),
      kind: LedgerKindSchema,
      amountFen: Fen,
      description: Type.String(),
      detail: Type.Unknown({ description: 'What the amount is made of; its shape depends on the kind' }),
    }),
  ),
  lateFee: Type.Object({ daysLate: Type.Integer(), accruedFen: Fen, postedFen: Fen, ratePerDay: Type.String() }),
});

const BalanceSchema = Type.Object({
  balanceFen: Fen,
  outstandingFen: Fen,
  overdueFen: Fen,
  creditFen: Fen,
  accruingLateFeesFen: Fen,
});

const LedgerLineSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  kind: LedgerKindSchema,
  amountFen: Fen,
  billId: Nullable(Type.String()),
  callRecordId: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  description: Type.String(),
  detail: Type.Unknown(),
  postedAt: Type.String({ format: 'date-time' }),
  onBillId: Nullable(Type.String()),
  position: Nullable(Type.Integer()),
});

const RecordedPaymentSchema = Type.Object({
  paymentId: Type.String(),
  duplicate: Type.Boolean(),
  allocatedFen: Fen,
  creditFen: Fen,
  lateFeesPostedFen: Fen,
});

const ReconciliationReportSchema = Type.Object({
  importId: Nullable(Type.String()),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  totalAcceptedFen: Fen,
  rows: Type.Array(
    Type.Object({
      line: Type.Integer(),
      status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
      problem: Nullable(
        Type.Union([
          Type.Literal('unreadable'),
          Type.Literal('no-reference'),
          Type.Literal('bad-date'),
          Type.Literal('bad-amount'),
          Type.Literal('bad-subscriber-id'),
          Type.Literal('repeated-reference'),
          Type.Literal('no-account'),
          Type.Literal('future-date'),
          Type.Literal('reference-conflict'),
          Type.Literal('imported-before'),
          Type.Literal('payment-refused'),
        ]),
      ),
      reason: Nullable(Type.String()),
      reference: Nullable(Type.String()),
      subscriberId: Nullable(Type.String()),
      amountFen: Nullable(Fen),
      date: Nullable(Type.String()),
    }),
  ),
});

function staffActor(request: FastifyRequest): Actor {
  const staff = requireStaff(request);
  return { type: 'staff', id: staff.id, name: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** Billing's HTTP surface: the subscriber's portal, the billing clerk's console, and providers' webhooks. */
export async function billingRoutes(parent: FastifyInstance, options: BillingRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  // The portal guard (subscribers module) has resolved the session cookie before the handler runs.
  const subscriberOf = async (request: FastifyRequest): Promise<string> => requireSubscriber(request).subscriberId;

  // ── Portal (clause 5: the subscriber sees every bill, line by line, and what is owed) ──
  app.get(
    '/api/portal/bills',
    {
      config: { portal: true },
      schema: {
        tags: ['billing'],
        summary: "The signed-in subscriber's bills, newest first",
        response: { 200: Type.Object({ bills: Type.Array(BillSummarySchema) }) },
      },
    },
    async (request) => ({
      bills: await listBills(ctx, await subscriberOf(request)),
    }),
  );
  app.get(
    '/api/portal/bills/:id',
    {
      config: { portal: true },
      schema: {
        tags: ['billing'],
        summary: 'One bill with every line explained and its late fee so far',
        params: Type.Object({ id: Type.String() }),
        response: { 200: BillDetailSchema },
      },
    },
    async (request) => {
      const bill = await billDetail(ctx, request.params.id, await subscriberOf(request));
      if (!bill) throw new ProblemError('not-found', 'No such bill');
      return bill;
    },
  );
  app.get(
    '/api/portal/bills/:id/pdf',
    {
      config: { portal: true },
      schema: { tags: ['billing'], summary: 'One bill as PDF, in Chinese and English', params: Type.Object({ id: Type.String() }) },
    },
    async (request, reply) => {
      const bill = await billDetail(ctx, request.params.id, await subscriberOf(request));
      if (!bill) throw new ProblemError('not-found', 'No such bill');
      return sendPdf(reply, bill);
    },
  );
  app.get(
    '/api/portal/balance',
    {
      config: { portal: true },
      schema: { tags: ['billing'], summary: 'Balance, overdue amount, credit and late fees accruing', response: { 200: BalanceSchema } },
    },
    async (request) => balanceOf(ctx, await subscriberOf(request)),
  );
  app.get(
    '/api/portal/usage',
    {
      config: { portal: true },
      schema: {
        tags: ['billing'],
        summary: "This month's calls: included and charged time, charge so far",
        response: {
          200: Type.Object({
            period: LocalDate,
            calls: Type.Integer(),
            billableSeconds: Type.Integer(),
            includedSeconds: Type.Integer(),
            chargedSeconds: Type.Integer(),
            chargeFen: Fen,
          }),
        },
      },
    },
    async (request) => usageOf(ctx, await subscriberOf(request)),
  );

  const sendPdf = async (reply: FastifyReply, bill: BillDetail) => {
    if (!cjkFontPath()) throw new ProblemError('unavailable', 'Bill PDFs need a CJK font (fonts-wqy-zenhei or BILL_PDF_FONT)');
    const pdf = await renderBillPdf(bill, { name: ctx.settings.providerName, currency: ctx.settings.currency });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="bill-${bill.period.slice(0, 7)}.pdf"`)
      .send(pdf);
  };

  // ── Console ──
  app.get(
    '/api/console/billing/bill-runs',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary: 'Bill runs with their progress, newest first',
        response: {
          200: Type.Object({
            runs: Type.Array(
              Type.Object({
                period: LocalDate,
                startedAt: Type.String({ format: 'date-time' }),
                finishedAt: Nullable(Type.String({ format: 'date-time' })),
                subscribersTotal: Type.Integer(),
                subscribersBilled: Type.Integer(),
                lastError: Nullable(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ runs: await listBillRuns(ctx.db) }),
  );
  app.get(
    '/api/console/billing/subscribers/:subscriberId',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary: "A subscriber's ledger, bills, balance and dunning stage",
        params: Type.Object({ subscriberId: Uuid }),
        response: {
          200: Type.Object({
            balance: BalanceSchema,
            dunning: Type.Object({
              stage: Type.String(),
              since: Nullable(Type.String({ format: 'date-time' })),
              oldestUnpaidDueDate: Nullable(LocalDate),
              overdueFen: Fen,
            }),
            bills: Type.Array(BillSummarySchema),
            ledger: Type.Array(LedgerLineSchema),
          }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = request.params;
      return {
        balance: await balanceOf(ctx, subscriberId),
        dunning: await dunningStageOf(ctx, subscriberId),
        bills: await listBills(ctx, subscriberId),
        ledger: await ledgerOf(ctx.db, subscriberId),
      };
    },
  );
  app.get(
    '/api/console/billing/bills/:id',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary: 'One bill, line by line',
        params: Type.Object({ id: Type.String() }),
        response: { 200: BillDetailSchema },
      },
    },
    async (request) => {
      const bill = await billDetail(ctx, request.params.id);
      if (!bill) throw new ProblemError('not-found', 'No such bill');
      return bill;
    },
  );
  app.get(
    '/api/console/billing/bills/:id/pdf',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: { tags: ['billing'], summary: 'One bill as PDF', params: Type.Object({ id: Type.String() }) },
    },
    async (request, reply) => {
      const bill = await billDetail(ctx, request.params.id);
      if (!bill) throw new ProblemError('not-found', 'No such bill');
      return sendPdf(reply, bill);
    },
  );
  app.get(
    '/api/console/billing/receivables/ageing',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary: 'Outstanding bills by days past due',
        response: {
          200: Type.Object({ buckets: Type.Array(Type.Object({ bucket: Type.String(), bills: Type.Integer(), amountFen: Fen })) }),
        },
      },
    },
    async () => ({ buckets: await receivablesAgeing(ctx) }),
  );
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
        }),
        response: { 200: RecordedPaymentSchema, 201: RecordedPaymentSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId, amountFen, reference, paidAt } = request.body;
      const at = paidAt ? new Date(paidAt) : ctx.clock.now();
      const result = await recordPayment(
        ctx,
        { subscriberId, provider: 'cashier', externalReference: reference, amountFen, paidAt: at, channel: 'manual' },
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
  const ReconciliationBody = Type.Object({
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    csv: Type.String({ minLength: 1, maxLength: 900_000 }),
  });
  app.post(
    '/api/console/billing/reconciliation/preview',
    {
      config: { staff: { permission: 'payments.record' } },
      schema: {
        tags: ['billing'],
        summary: 'What importing a bank reconciliation file would do, row by row',
        body: ReconciliationBody,
        response: { 200: ReconciliationReportSchema },
      },
    },
    async (request) => previewReconciliation(ctx, request.body.csv),
  );
  app.post(
    '/api/console/billing/reconciliation/import',
    {
      config: { staff: { permission: 'payments.record' } },
      schema: {
        tags: ['billing'],
        summary: 'Import a bank reconciliation file; returns the accepted, duplicate and rejected rows',
        body: ReconciliationBody,
        response: { 200: ReconciliationReportSchema },
      },
    },
    async (request) => importReconciliation(ctx, request.body.csv, request.body.fileName, staffActor(request)),
  );

  // ── Payment providers' webhooks: the raw body is what is signed, so this scope keeps it ──
  await app.register(async (scope) => {
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
          summary:
            "A payment provider's signed notification (HMAC-SHA256 of `<timestamp>.<body>`); delivering it again records nothing new",
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
  });
}
