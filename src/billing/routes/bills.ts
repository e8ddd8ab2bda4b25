import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import { ProblemError } from '../../platform/http/index.js';
import { cjkFontPath, renderBillPdf } from '../bill-pdf.js';
import type { BillingContext } from '../context.js';
import { billDetail, listBills, type BillDetail } from '../statements.js';
import { subscriberOf } from './actors.js';
import { BillDetailSchema, BillSummarySchema } from './schemas.js';

/** The signed-in subscriber's bills (clause 5: the subscriber sees every bill, line by line). */
export async function portalBillRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

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
      return sendPdf(ctx, reply, bill);
    },
  );
}

/** Any subscriber's bill, for the billing clerk. */
export async function consoleBillRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

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
      return sendPdf(ctx, reply, bill);
    },
  );
}

async function sendPdf(ctx: BillingContext, reply: FastifyReply, bill: BillDetail) {
  if (!cjkFontPath()) throw new ProblemError('unavailable', 'Bill PDFs need a CJK font (fonts-wqy-zenhei or BILL_PDF_FONT)');
  const pdf = await renderBillPdf(bill, { name: ctx.settings.providerName, currency: ctx.settings.currency });
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="bill-${bill.period.slice(0, 7)}.pdf"`)
    .send(pdf);
}
