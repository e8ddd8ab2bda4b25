import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { amountOwedNow, billBalances } from '../billing/index.js';
import { creditGauge } from '../charging/index.js';
import { activeSuspensions } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { subscriberStanding } from '../subscribers/index.js';
import { portalStanding, type PortalStanding } from './standing.js';

const Fen = Type.Integer();
const ActionSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('pay'),
    purpose: Type.Union([Type.Literal('bill'), Type.Literal('balance'), Type.Literal('month-fees'), Type.Literal('final-settlement')]),
    billId: Type.Union([Type.String(), Type.Null()]),
    amountFen: Fen,
  }),
  Type.Object({ kind: Type.Literal('contact-support') }),
  Type.Object({ kind: Type.Literal('read-notices') }),
  Type.Object({ kind: Type.Literal('send-documents') }),
  Type.Object({ kind: Type.Literal('raise-credit-limit') }),
]);
const Actions = Type.Array(ActionSchema);

const StandingSchema = Type.Object({
  headline: Type.Union([
    Type.Literal('applied'),
    Type.Literal('documents_requested'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('active'),
    Type.Literal('suspended'),
    Type.Literal('terminated'),
    Type.Literal('terminating'),
  ]),
  owedNowFen: Fen,
  supportContact: Type.String(),
  items: Type.Array(
    Type.Union([
      Type.Object({
        kind: Type.Literal('suspension'),
        cause: Type.Union([
          Type.Literal('overdue'),
          Type.Literal('credit-limit'),
          Type.Literal('judicial'),
          Type.Literal('false-data'),
          Type.Literal('abuse'),
        ]),
        blocks: Type.Union([Type.Literal('outgoing'), Type.Literal('all')]),
        since: Type.String(),
        actions: Actions,
      }),
      Type.Object({
        kind: Type.Literal('termination'),
        requestedAt: Type.String(),
        waitsOn: Type.Union([Type.Literal('final-settlement'), Type.Literal('completion')]),
        amountFen: Fen,
        actions: Actions,
      }),
      Type.Object({ kind: Type.Literal('owed'), amountFen: Fen, overdue: Type.Boolean(), actions: Actions }),
    ]),
  ),
});

/** The portal's status card: one answer assembled from the modules that know each part. */
export async function portalStatusRoutes(parent: FastifyInstance, options: { ctx: ServiceContext; billing: boolean }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/status',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary:
          'Where the service stands: every open suspension with its cause, a termination in progress and what it waits on, what is owed now; each with the action that resolves it',
        response: { 200: StandingSchema },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const standing = await standingOf(ctx, subscriberId, options.billing);
      return { ...standing, supportContact: ctx.settings.supportContact };
    },
  );
}

export async function standingOf(ctx: ServiceContext, subscriberId: string, billing: boolean): Promise<PortalStanding> {
  const subscriber = await subscriberStanding(ctx, subscriberId);
  if (!subscriber) throw new ProblemError('not-found', 'No such subscriber');
  const today = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  const bills = billing ? await billBalances(ctx.db, subscriberId) : [];
  const gauge = billing ? await creditGauge(ctx, subscriberId) : null;
  return portalStanding({
    subscriber,
    suspensions: await activeSuspensions(ctx.db, subscriberId),
    owedNowFen: billing ? (await amountOwedNow(ctx, subscriberId)).totalFen : null,
    overdueBills: bills
      .filter((bill) => bill.outstandingFen > 0 && bill.dueDate < today)
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1))
      .map((bill) => ({ billId: bill.billId, outstandingFen: bill.outstandingFen })),
    monthFeesFen: gauge ? gauge.settledFen + gauge.reservedFen : null,
  });
}
