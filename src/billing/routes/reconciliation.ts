import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { importReconciliation, previewReconciliation } from '../bank-import.js';
import type { BillingContext } from '../context.js';
import { staffActor } from './actors.js';
import { Fen, Nullable } from './schemas.js';

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

const ReconciliationBody = Type.Object({
  fileName: Type.String({ minLength: 1, maxLength: 200 }),
  csv: Type.String({ minLength: 1, maxLength: 900_000 }),
});

/** The bank's reconciliation file: previewed row by row, then imported as payments. */
export async function reconciliationRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

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
}
