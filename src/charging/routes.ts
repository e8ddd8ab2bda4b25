import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { listCreditLimitOptions } from '../catalog/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireSubscriber, subscriberActor } from '../portal-auth/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { getMaskedSubscriber } from '../subscribers/index.js';
import { changeCreditLimit } from './limits.js';
import { chargingHistory, creditGauge, subscribersNearLimit } from './month-view.js';
import type { Charging } from './charging.js';

export interface ChargingRouteOptions {
  ctx: ServiceContext;
  /** The service's one `Charging`: a changed limit must reach the cache the proxy's grants read. */
  charging: Charging;
}

// Response schemas: the shapes of month-view.ts and limits.ts as they are sent. Amounts are integer fen.
const Fen = Type.Integer();
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const LocalDate = Type.String({ description: 'A calendar day, YYYY-MM-DD' });
const Uuid = Type.String({ format: 'uuid' });

const CreditGaugeSchema = Type.Object({
  period: LocalDate,
  limitFen: Fen,
  settledFen: Type.Integer({ description: "Fees of the month's completed calls" }),
  reservedFen: Type.Integer({ description: 'What calls in progress hold: the most they may still cost' }),
  callsInProgress: Type.Integer(),
  creditFen: Type.Integer({ description: 'Money paid ahead, which pays for fees incurred' }),
  headroomFen: Type.Integer({ description: 'limit + credit − settled − reserved, never below zero' }),
  percent: Type.Integer({ description: 'Fees (settled and held) as a share of the limit, in whole percent' }),
  blocked: Type.Boolean({ description: 'Calling is blocked for the credit limit (clause 9) until the fees are paid or the limit raised' }),
  alerts: Type.Array(Type.Object({ percent: Type.Union([Type.Literal(80), Type.Literal(100)]), at: Type.String({ format: 'date-time' }) })),
});

const LimitOptionSchema = Type.Object({ amountFen: Fen, isDefault: Type.Boolean() });

const LimitBody = Type.Object(
  { limitFen: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'The new monthly credit limit in fen' }) },
  { additionalProperties: false },
);

const LimitChangedSchema = Type.Object({
  limitFen: Fen,
  previousFen: Nullable(Fen),
  restored: Type.Boolean({ description: 'The new limit lifted a credit-limit block at once' }),
});

const HistoryKind = Type.Union([
  Type.Literal('authorized'),
  Type.Literal('refused'),
  Type.Literal('cutoff'),
  Type.Literal('exhausted'),
  Type.Literal('restored'),
  Type.Literal('alert'),
  Type.Literal('limit-changed'),
]);

const HistoryEntrySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  kind: HistoryKind,
  callKey: Nullable(Type.String()),
  detail: Type.Unknown({ description: 'What happened, by kind (seconds granted, money held, the fees, the old and new limit)' }),
});

const NearLimitSchema = Type.Object({
  subscriberId: Type.String(),
  /** The masked name (a person's or an organisation's), as the console's subscriber pages show it. */
  name: Nullable(Type.String()),
  numbers: Type.Array(Type.String()),
  limitFen: Fen,
  feesFen: Fen,
  percent: Type.Integer(),
  blocked: Type.Boolean(),
});

/**
 * Charging's HTTP surface (clause 9): the subscriber's gauge and limit choice in the portal; in the
 * console a subscriber's gauge and history (`billing.read`), a limit set by staff (`billing.manage`,
 * audited), and the subscribers at or near their limit (`billing.read`).
 */
export async function chargingRoutes(parent: FastifyInstance, options: ChargingRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx, charging } = options;

  // ── Portal ──
  app.get(
    '/api/portal/credit',
    {
      config: { portal: true },
      schema: {
        tags: ['charging'],
        summary: "This month's fees against the credit limit, and the limits the subscriber may choose",
        response: {
          200: Type.Object({
            gauge: Nullable(CreditGaugeSchema),
            options: Type.Array(LimitOptionSchema),
          }),
        },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const gauge = await creditGauge(ctx, subscriberId);
      const offered = await listCreditLimitOptions(ctx);
      return { gauge, options: offered.map(({ amountFen, isDefault }) => ({ amountFen, isDefault })) };
    },
  );
  app.put(
    '/api/portal/credit-limit',
    {
      config: { portal: true },
      schema: {
        tags: ['charging'],
        summary: 'Choose another of the offered credit limits (audited); a higher one lifts a credit-limit block at once',
        body: LimitBody,
        response: { 200: LimitChangedSchema },
      },
    },
    async (request) => {
      const result = await changeCreditLimit(
        ctx,
        charging,
        { subscriberId: requireSubscriber(request).subscriberId, limitFen: request.body.limitFen, by: 'subscriber' },
        subscriberActor(request),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );

  // ── Console ──
  app.get(
    '/api/console/charging/subscribers/:id',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['charging'],
        summary: "A subscriber's gauge for this month and their charging history, newest first",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ gauge: CreditGaugeSchema, history: Type.Array(HistoryEntrySchema) }) },
      },
    },
    async (request) => {
      const gauge = await creditGauge(ctx, request.params.id);
      if (!gauge) throw new ProblemError('not-found', 'No such subscriber with an order');
      return { gauge, history: await chargingHistory(ctx, request.params.id, request.query.limit) };
    },
  );
  app.put(
    '/api/console/charging/subscribers/:id/credit-limit',
    {
      config: { staff: { permission: 'billing.manage' } },
      schema: {
        tags: ['charging'],
        summary: "Set a subscriber's credit limit to any amount (an arrangement the operator made; audited)",
        params: Type.Object({ id: Uuid }),
        body: LimitBody,
        response: { 200: LimitChangedSchema },
      },
    },
    async (request) => {
      const result = await changeCreditLimit(
        ctx,
        charging,
        { subscriberId: request.params.id, limitFen: request.body.limitFen, by: 'staff' },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );
  app.get(
    '/api/console/charging/near-limit',
    {
      config: { staff: { permission: 'billing.read' } },
      schema: {
        tags: ['charging'],
        summary: "This month's subscribers at or above a share of their credit limit (or blocked), the fullest first",
        querystring: Type.Object({ threshold: Type.Integer({ minimum: 1, maximum: 100, default: 80 }) }),
        response: { 200: Type.Object({ thresholdPercent: Type.Integer(), subscribers: Type.Array(NearLimitSchema) }) },
      },
    },
    async (request) => {
      const near = await subscribersNearLimit(ctx, request.query.threshold);
      const subscribers = [];
      // At most 500 rows, each asked of its owner: the subscribers module masks the name, numbers hold the numbers.
      for (const row of near) {
        const masked = await getMaskedSubscriber(ctx, row.subscriberId);
        subscribers.push({
          subscriberId: row.subscriberId,
          name: masked?.identity.fullName ?? masked?.identity.legalName ?? null,
          numbers: await numbersOfSubscriber(ctx.db, row.subscriberId),
          limitFen: row.limitFen,
          feesFen: row.feesFen,
          percent: row.percent,
          blocked: row.blocked,
        });
      }
      return { thresholdPercent: request.query.threshold, subscribers };
    },
  );
}
