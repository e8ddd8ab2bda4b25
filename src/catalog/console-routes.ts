import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/index.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { createPlan, listAllPlanVersions, listCurrentCatalogue, revisePlan, withdrawPlanVersion, type Plan } from './catalog.js';
import {
  createCreditLimitOption,
  endCreditLimitOption,
  listCreditLimitOptions,
  withdrawCreditLimitOption,
  type CreditLimitOption,
} from './credit-limit-options.js';
import { buildPriceList } from './price-list.js';
import { LanguageSchema, PriceListSchema } from './price-list-schema.js';
import {
  createTerminalModel,
  listTerminalModelHistories,
  scheduleTerminalPrice,
  withdrawTerminalPrice,
  type TerminalPrice,
} from './terminal-models.js';
import { startOfEffectiveDate, versionStatus } from './versions.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const EffectiveDate = Type.String({
  format: 'date',
  description: "A local date in the operator's time zone; the change takes effect at 00:00 that day, which must not have passed",
});
const StatusSchema = Type.Union([Type.Literal('scheduled'), Type.Literal('in-effect'), Type.Literal('ended')], {
  description: 'scheduled: may still be withdrawn; in-effect and ended: frozen',
});
const Code = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,31}$', minLength: 2, maxLength: 32 });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.String({ maxLength: 1000 });
// Upper bounds keep amounts far inside safe integers and catch a slipped decimal point.
const RentFen = Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Monthly rent in fen' });
const RatePrecise = Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Rate per minute in 1/10000 fen (150000 = ¥0.15)' });
const IncludedMinutes = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Increment = Type.Integer({ minimum: 1, maximum: 3600, description: 'Seconds each call is rounded up to' });
const PriceFen = Type.Integer({ minimum: 0, maximum: 100_000_000 });

const PlanVersionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  monthlyRentFen: Type.Integer(),
  includedMinutes: Type.Integer(),
  perMinuteRatePrecise: Type.Integer(),
  billingIncrementSeconds: Type.Integer(),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
  validFrom: Instant,
  validTo: Nullable(Instant),
  status: StatusSchema,
});
const CreditLimitSchema = Type.Object({
  amountFen: Type.Integer(),
  isDefault: Type.Boolean(),
  active: Type.Boolean(),
  validFrom: Instant,
  validTo: Nullable(Instant),
  status: StatusSchema,
});
const TerminalPriceSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  priceFen: Type.Integer(),
  validFrom: Instant,
  validTo: Nullable(Instant),
  status: StatusSchema,
});
const TerminalSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  listed: Type.Boolean(),
  sortOrder: Type.Integer(),
  prices: Type.Array(TerminalPriceSchema),
});

/**
 * Catalogue editing for administrators (`catalog.manage`, issue #14): plan versions, credit-limit
 * choices and terminal prices, each taking effect at 00:00 of a chosen date; a version not yet in
 * effect may be withdrawn, one that has begun is frozen (409 catalogue-version-frozen). Every change
 * is audited by the module. The preview shows the public price list as it will read on a date.
 */
export async function catalogConsoleRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const manage = { staff: { permission: 'catalog.manage' as const } };
  const windowOf = (item: { validFrom: Date; validTo: Date | null }) => ({
    validFrom: item.validFrom.toISOString(),
    validTo: item.validTo?.toISOString() ?? null,
    status: versionStatus(item, ctx.clock.now()),
  });
  const planOut = (plan: Plan) => ({ ...plan, ...windowOf(plan) });
  const limitOut = (option: CreditLimitOption) => ({ ...option, ...windowOf(option) });
  const priceOut = (price: TerminalPrice) => ({ id: price.id, priceFen: price.priceFen, ...windowOf(price) });

  app.get(
    '/api/console/catalog',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Every plan version, credit-limit choice and terminal price, with whether each is scheduled, in effect or ended',
        response: {
          200: Type.Object({
            today: Type.String({ format: 'date', description: "Today in the operator's time zone" }),
            timeZone: Type.String(),
            plans: Type.Array(PlanVersionSchema),
            creditLimits: Type.Array(CreditLimitSchema),
            terminals: Type.Array(TerminalSchema),
          }),
        },
      },
    },
    async () => ({
      today: localDateOf(ctx.clock.now(), ctx.settings.timeZone),
      timeZone: ctx.settings.timeZone,
      plans: (await listAllPlanVersions(ctx)).map(planOut),
      creditLimits: (await listCreditLimitOptions(ctx, { includeInactive: true })).map(limitOut),
      terminals: (await listTerminalModelHistories(ctx)).map(({ prices, ...model }) => ({ ...model, prices: prices.map(priceOut) })),
    }),
  );

  app.get(
    '/api/console/catalog/price-list',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Preview: the public price list as it will read at 00:00 of a date (what /prices shows from then)',
        querystring: Type.Object({ date: EffectiveDate, lang: Type.Optional(LanguageSchema) }),
        response: { 200: PriceListSchema },
      },
    },
    async (request) => {
      const at = startOfEffectiveDate(ctx, request.query.date);
      return buildPriceList(await listCurrentCatalogue(ctx, at), ctx.settings, request.query.lang ?? 'zh-CN');
    },
  );

  app.post(
    '/api/console/catalog/plans',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'A new plan, on offer from 00:00 of a date; audited',
        body: Type.Object(
          {
            code: Code,
            nameZh: Name,
            nameEn: Name,
            descriptionZh: Type.Optional(Description),
            descriptionEn: Type.Optional(Description),
            monthlyRentFen: RentFen,
            includedMinutes: IncludedMinutes,
            perMinuteRatePrecise: RatePrecise,
            billingIncrementSeconds: Increment,
            sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
            validFrom: EffectiveDate,
          },
          { additionalProperties: false },
        ),
        response: { 201: PlanVersionSchema },
      },
    },
    async (request, reply) => {
      const { validFrom, ...plan } = request.body;
      const result = await createPlan(
        ctx,
        { ...plan, validFrom: startOfEffectiveDate(ctx, validFrom) },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(planOut(result.value));
    },
  );

  app.post(
    '/api/console/catalog/plans/:code/versions',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary:
          'A new version of a plan from 00:00 of a date: the version in effect then ends there; what is not given is carried over; audited',
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            nameZh: Type.Optional(Name),
            nameEn: Type.Optional(Name),
            descriptionZh: Type.Optional(Description),
            descriptionEn: Type.Optional(Description),
            monthlyRentFen: Type.Optional(RentFen),
            includedMinutes: Type.Optional(IncludedMinutes),
            perMinuteRatePrecise: Type.Optional(RatePrecise),
            billingIncrementSeconds: Type.Optional(Increment),
            effectiveFrom: EffectiveDate,
          },
          { additionalProperties: false },
        ),
        response: { 201: PlanVersionSchema },
      },
    },
    async (request, reply) => {
      const { effectiveFrom, ...changes } = request.body;
      const result = await revisePlan(
        ctx,
        request.params.code,
        { ...changes, effectiveFrom: startOfEffectiveDate(ctx, effectiveFrom) },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(planOut(result.value));
    },
  );

  app.delete(
    '/api/console/catalog/plan-versions/:id',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Withdraw a plan version that has not taken effect; one in effect, ended or on an order is frozen (409); audited',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: PlanVersionSchema },
      },
    },
    async (request) => {
      const result = await withdrawPlanVersion(ctx, request.params.id, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return planOut(result.value);
    },
  );

  const AmountParams = Type.Object({ amountFen: Type.Integer({ minimum: 1, maximum: 100_000_000 }) });

  app.post(
    '/api/console/catalog/credit-limits',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Offer a new monthly credit limit (clause 9) from 00:00 of a date; audited',
        body: Type.Object(
          { amountFen: Type.Integer({ minimum: 1, maximum: 100_000_000 }), validFrom: EffectiveDate },
          { additionalProperties: false },
        ),
        response: { 201: CreditLimitSchema },
      },
    },
    async (request, reply) => {
      const result = await createCreditLimitOption(
        ctx,
        { amountFen: request.body.amountFen, validFrom: startOfEffectiveDate(ctx, request.body.validFrom) },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(limitOut(result.value));
    },
  );

  app.post(
    '/api/console/catalog/credit-limits/:amountFen/end',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Stop offering a credit limit from 00:00 of a date (those who chose it keep it); audited',
        params: AmountParams,
        body: Type.Object({ validTo: EffectiveDate }, { additionalProperties: false }),
        response: { 200: CreditLimitSchema },
      },
    },
    async (request) => {
      const result = await endCreditLimitOption(
        ctx,
        request.params.amountFen,
        startOfEffectiveDate(ctx, request.body.validTo),
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return limitOut(result.value);
    },
  );

  app.delete(
    '/api/console/catalog/credit-limits/:amountFen',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Withdraw a credit limit announced for a later date; one already offered is frozen (409); audited',
        params: AmountParams,
        response: { 200: CreditLimitSchema },
      },
    },
    async (request) => {
      const result = await withdrawCreditLimitOption(ctx, request.params.amountFen, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return limitOut(result.value);
    },
  );

  app.post(
    '/api/console/catalog/terminals',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'A new terminal model, on sale at its first price from 00:00 of a date; audited',
        body: Type.Object(
          {
            code: Code,
            nameZh: Name,
            nameEn: Name,
            descriptionZh: Type.Optional(Description),
            descriptionEn: Type.Optional(Description),
            priceFen: PriceFen,
            sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
            validFrom: EffectiveDate,
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ code: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { validFrom, ...model } = request.body;
      const result = await createTerminalModel(
        ctx,
        { ...model, validFrom: startOfEffectiveDate(ctx, validFrom) },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send({ code: result.value.code });
    },
  );

  app.post(
    '/api/console/catalog/terminals/:code/prices',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: "A terminal's new price from 00:00 of a date; orders made before keep the price they copied; audited",
        params: Type.Object({ code: Code }),
        body: Type.Object({ priceFen: PriceFen, validFrom: EffectiveDate }, { additionalProperties: false }),
        response: { 201: TerminalPriceSchema },
      },
    },
    async (request, reply) => {
      const result = await scheduleTerminalPrice(
        ctx,
        request.params.code,
        { priceFen: request.body.priceFen, validFrom: startOfEffectiveDate(ctx, request.body.validFrom) },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(priceOut(result.value));
    },
  );

  app.delete(
    '/api/console/catalog/terminal-prices/:id',
    {
      config: manage,
      schema: {
        tags: ['catalog'],
        summary: 'Withdraw a terminal price that has not taken effect; one that has is frozen (409); audited',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: TerminalPriceSchema },
      },
    },
    async (request) => {
      const result = await withdrawTerminalPrice(ctx, request.params.id, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return priceOut(result.value);
    },
  );
}
