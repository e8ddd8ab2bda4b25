import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { moneyFigures } from '../billing/index.js';
import { callFiguresByDay, type LocationService } from '../calls/index.js';
import type { ServiceContext } from '../platform/context.js';
import { subscriberFlowByMonth, subscribersByStatus } from '../subscribers/index.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const MONTHS_SHOWN = 12;
const DAYS_SHOWN = 30;

/**
 * The overview page's figures per role: the business (subscribers, money) for those who read
 * billing, the network (registrations, calls and their quality) for those who read calls. Every
 * figure is one grouped query in its owner module.
 */
export async function dashboardRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; location: LocationService | null },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const monthsAgo = (months: number) => {
    const since = new Date(ctx.clock.now());
    since.setUTCMonth(since.getUTCMonth() - months, 1);
    return since;
  };

  app.get(
    '/api/console/dashboard/business',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['dashboards'],
        summary: 'Subscribers by status, new and terminated per month, billed and collected, receivables, overdue, ARPU',
        response: {
          200: Type.Object({
            subscribersByStatus: Type.Array(Type.Object({ status: Type.String(), count: Type.Integer() })),
            subscriberFlow: Type.Array(Type.Object({ month: Type.String(), joined: Type.Integer(), terminated: Type.Integer() })),
            money: Type.Object({
              months: Type.Array(Type.Object({ month: Type.String(), billedFen: Type.Integer(), collectedFen: Type.Integer() })),
              receivablesFen: Type.Integer(),
              overdueAccounts: Type.Integer(),
              collectionsFen: Type.Integer(),
              arpuFen: Nullable(Type.Integer()),
            }),
          }),
        },
      },
    },
    async () => {
      const since = monthsAgo(MONTHS_SHOWN - 1);
      const timeZone = ctx.settings.timeZone;
      const [byStatus, flow, money] = await Promise.all([
        subscribersByStatus(ctx.db),
        subscriberFlowByMonth(ctx.db, since, timeZone),
        moneyFigures(ctx.db, since, timeZone),
      ]);
      return { subscribersByStatus: byStatus, subscriberFlow: flow, money };
    },
  );

  app.get(
    '/api/console/dashboard/operations',
    {
      config: { staff: { permission: 'calls.read' } },
      schema: {
        tags: ['dashboards'],
        summary: 'Live registrations, calls in progress, and per day the call success rate and measured quality',
        response: {
          200: Type.Object({
            registrations: Type.Integer(),
            callsInProgress: Type.Integer(),
            days: Type.Array(
              Type.Object({
                day: Type.String(),
                attempts: Type.Integer(),
                answered: Type.Integer(),
                lossPercent: Nullable(Type.Number()),
                jitterMs: Nullable(Type.Number()),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const since = new Date(ctx.clock.now().getTime() - DAYS_SHOWN * 86_400_000);
      const calls = await callFiguresByDay(ctx.db, since, ctx.settings.timeZone);
      return { registrations: options.location?.count() ?? 0, callsInProgress: calls.inProgress, days: calls.days };
    },
  );
}
