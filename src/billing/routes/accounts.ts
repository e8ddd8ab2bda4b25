import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { BillingContext } from '../context.js';
import { dunningStageOf } from '../dunning.js';
import { ledgerOf } from '../ledger.js';
import { balanceOf, listBills, usageOf } from '../statements.js';
import { requireStaff } from '../../staff/index.js';
import { subscriberOf } from './actors.js';
import { BalanceSchema, BillSummarySchema, Fen, LedgerLineSchema, LocalDate, Nullable, Uuid } from './schemas.js';

/** What the signed-in subscriber owes and has used this month (clause 5). */
export async function portalAccountRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

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
}

/** One subscriber's billing account as the billing clerk sees it. */
export async function consoleAccountRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/billing/subscribers/:subscriberId',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['billing'],
        summary:
          "A subscriber's bills, balance and dunning stage; the ledger too for those who move money (billing.manage or payments.record)",
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
            ledger: Type.Optional(Type.Array(LedgerLineSchema)),
          }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = request.params;
      // Every payment reference and correction line by line is the desk's working material; support
      // (billing.read) answers "what do I owe and is it overdue" from the balance and the bills.
      const { permissions } = requireStaff(request);
      const movesMoney = permissions.includes('billing.manage') || permissions.includes('payments.record');
      return {
        balance: await balanceOf(ctx, subscriberId),
        dunning: await dunningStageOf(ctx, subscriberId),
        bills: await listBills(ctx, subscriberId),
        ...(movesMoney ? { ledger: await ledgerOf(ctx.db, subscriberId) } : {}),
      };
    },
  );
}
