import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { creditsOfOutage, creditsOfSubscriber } from './credit-views.js';
import { maintenanceRoutes, publicWindows, PublicWindowSchema } from './maintenance-routes.js';
import { correctOutage, endOutage, findOutage, listOutages, outageVersions, recordOutage, type Outage } from './outages.js';
import { numberMatches } from './rules.js';
import type { OutageScope } from './tables.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
const Text = Type.String({ maxLength: 2000 });

const CauseSchema = Type.Union(
  [
    Type.Literal('platform'),
    Type.Literal('third-party'),
    Type.Literal('force-majeure'),
    Type.Literal('government-action'),
    Type.Literal('announced-maintenance'),
  ],
  {
    description:
      'platform and third-party earn credits (clause 13); force-majeure, government-action (clause 14) and announced-maintenance (clause 7) do not',
  },
);

const ScopeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('everyone') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('numbers'),
      ranges: Type.Array(
        Type.String({ maxLength: 50, description: 'A prefix ending in * (+86106000*) or a range first-last of equal length' }),
        {
          maxItems: 100,
        },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('subscribers'), subscriberIds: Type.Array(Type.String(), { maxItems: 1000 }) },
    { additionalProperties: false },
  ),
]);

const FactsBody = Type.Object(
  {
    startsAt: Instant,
    endsAt: Nullable(Instant),
    cause: CauseSchema,
    scope: ScopeSchema,
    descriptionZh: Text,
    descriptionEn: Text,
  },
  { additionalProperties: false },
);

const OutageSchema = Type.Object({
  id: Uuid,
  reference: Type.String({ description: 'OUT-<n>, as bill lines name it' }),
  version: Type.Integer(),
  startsAt: Instant,
  endsAt: Nullable(Instant),
  cause: CauseSchema,
  scope: ScopeSchema,
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  recordedAt: Instant,
  changedAt: Instant,
  creditedAt: Nullable(Instant),
});

const VersionSchema = Type.Object({
  version: Type.Integer(),
  startsAt: Instant,
  endsAt: Nullable(Instant),
  cause: CauseSchema,
  scope: ScopeSchema,
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  note: Nullable(Type.String()),
  recordedAt: Instant,
  recordedBy: Type.String(),
});

const CreditDocumentSchema = Type.Object({
  outageId: Uuid,
  reference: Type.String(),
  version: Type.Integer(),
  subscriberId: Uuid,
  seq: Type.Integer(),
  amountFen: Type.Integer({ description: 'Positive: a credit note; negative: an adjustment charge after a correction shrank the outage' }),
  entitledFen: Type.Integer({ description: 'What the outage owes the subscriber in total after this document' }),
  affectedMinutes: Type.Integer(),
  reason: Type.String({ description: 'The bill line text: the outage named and clause 13 cap stated' }),
  posted: Type.Boolean(),
  createdAt: Instant,
});

/** Public: what anyone may read of an outage. No subscriber is named. */
const PublicOutageSchema = Type.Object({
  reference: Type.String(),
  state: Type.Union([Type.Literal('ongoing'), Type.Literal('scheduled'), Type.Literal('resolved')]),
  startsAt: Instant,
  endsAt: Nullable(Instant),
  cause: CauseSchema,
  scope: Type.Union([Type.Literal('everyone'), Type.Literal('numbers'), Type.Literal('subscribers')]),
  ranges: Type.Array(Type.String(), { description: 'For a numbers scope, the prefixes and ranges' }),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  updatedAt: Instant,
});

/** How long a resolved outage stays on the status page and in the portal notice. */
const RECENT_DAYS = 7;

function serialize(o: Outage) {
  return {
    ...o,
    startsAt: o.startsAt.toISOString(),
    endsAt: o.endsAt?.toISOString() ?? null,
    recordedAt: o.recordedAt.toISOString(),
    changedAt: o.changedAt.toISOString(),
    creditedAt: o.creditedAt?.toISOString() ?? null,
  };
}

function publicView(o: Outage, now: Date) {
  return {
    reference: o.reference,
    state: o.startsAt > now ? ('scheduled' as const) : o.endsAt === null || o.endsAt > now ? ('ongoing' as const) : ('resolved' as const),
    startsAt: o.startsAt.toISOString(),
    endsAt: o.endsAt?.toISOString() ?? null,
    cause: o.cause,
    scope: o.scope.kind,
    ranges: o.scope.kind === 'numbers' ? o.scope.ranges : [],
    descriptionZh: o.descriptionZh,
    descriptionEn: o.descriptionEn,
    updatedAt: o.changedAt.toISOString(),
  };
}

const factsOf = (body: Type.Static<typeof FactsBody>) => ({
  startsAt: new Date(body.startsAt),
  endsAt: body.endsAt === null ? null : new Date(body.endsAt),
  cause: body.cause,
  scope: body.scope as OutageScope,
  descriptionZh: body.descriptionZh,
  descriptionEn: body.descriptionEn,
});

/**
 * Assurance's HTTP surface: the public status page, the portal's notice of outages that reach the
 * subscriber with their outage credits, the console's outage register (`outages.read` to read,
 * `outages.manage` to record, end and correct; each change audited), and maintenance windows.
 */
export async function assuranceRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const recentSince = () => new Date(ctx.clock.now().getTime() - RECENT_DAYS * 86_400_000);

  // ── Public ──
  app.get(
    '/api/status',
    {
      schema: {
        tags: ['assurance'],
        summary: `The status page: ongoing outages, announced maintenance to come, and outages resolved in the last ${RECENT_DAYS} days`,
        response: {
          200: Type.Object({
            checkedAt: Instant,
            outages: Type.Array(PublicOutageSchema),
            maintenance: Type.Array(PublicWindowSchema, { description: 'Maintenance windows to come and in progress (clause 7)' }),
          }),
        },
      },
    },
    async () => {
      const now = ctx.clock.now();
      const outages = await listOutages(ctx.db, { since: recentSince() });
      return { checkedAt: now.toISOString(), outages: outages.map((o) => publicView(o, now)), maintenance: await publicWindows(ctx) };
    },
  );

  // ── Maintenance windows (clause 7) ──
  await app.register(maintenanceRoutes, { ctx });

  // ── Portal ──
  app.get(
    '/api/portal/outages',
    {
      config: { portal: true },
      schema: {
        tags: ['assurance'],
        summary: "Outages that reach this subscriber's numbers (ongoing, to come, recently resolved) and the outage credits they earned",
        response: { 200: Type.Object({ outages: Type.Array(PublicOutageSchema), credits: Type.Array(CreditDocumentSchema) }) },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const now = ctx.clock.now();
      const numbers = await numbersOfSubscriber(ctx.db, subscriberId);
      const reaches = (scope: OutageScope) =>
        scope.kind === 'everyone' ||
        (scope.kind === 'subscribers' && scope.subscriberIds.includes(subscriberId)) ||
        (scope.kind === 'numbers' && numbers.some((n) => numberMatches(n, scope.ranges)));
      const outages = (await listOutages(ctx.db, { since: recentSince() })).filter((o) => reaches(o.scope));
      return { outages: outages.map((o) => publicView(o, now)), credits: await creditsOfSubscriber(ctx.db, subscriberId) };
    },
  );

  // ── Console ──
  app.get(
    '/api/console/outages',
    {
      config: { staff: { permission: 'outages.read' } },
      schema: {
        tags: ['assurance'],
        summary: 'The outage register, newest first',
        response: { 200: Type.Object({ outages: Type.Array(OutageSchema) }) },
      },
    },
    async () => ({ outages: (await listOutages(ctx.db)).map(serialize) }),
  );
  app.get(
    '/api/console/outages/:id',
    {
      config: { staff: { permission: 'outages.read' } },
      schema: {
        tags: ['assurance'],
        summary: 'An outage with every version recorded and the credit documents each affected subscriber received',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({ outage: OutageSchema, versions: Type.Array(VersionSchema), credits: Type.Array(CreditDocumentSchema) }),
        },
      },
    },
    async (request) => {
      const outage = await findOutage(ctx.db, request.params.id);
      if (!outage) throw new ProblemError('not-found', 'No such outage');
      const versions = (await outageVersions(ctx.db, outage.id)).map((v) => ({
        ...v,
        startsAt: v.startsAt.toISOString(),
        endsAt: v.endsAt?.toISOString() ?? null,
        recordedAt: v.recordedAt.toISOString(),
      }));
      return { outage: serialize(outage), versions, credits: await creditsOfOutage(ctx.db, outage.id) };
    },
  );
  app.post(
    '/api/console/outages',
    {
      config: { staff: { permission: 'outages.manage' } },
      schema: {
        tags: ['assurance'],
        summary: 'Record an outage, or announce a maintenance window at least the notice lead time ahead (clause 7); audited',
        body: FactsBody,
        response: { 201: OutageSchema },
      },
    },
    async (request, reply) => {
      const result = await recordOutage(ctx, factsOf(request.body), staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(serialize(result.value));
    },
  );
  app.post(
    '/api/console/outages/:id/end',
    {
      config: { staff: { permission: 'outages.manage' } },
      schema: {
        tags: ['assurance'],
        summary: 'End an ongoing outage (a new version; audited). Credits follow from the job once it has ended',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ endsAt: Instant }, { additionalProperties: false }),
        response: { 200: OutageSchema },
      },
    },
    async (request) => {
      const result = await endOutage(ctx, request.params.id, new Date(request.body.endsAt), staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return serialize(result.value);
    },
  );
  app.post(
    '/api/console/outages/:id/corrections',
    {
      config: { staff: { permission: 'outages.manage' } },
      schema: {
        tags: ['assurance'],
        summary:
          'Correct an outage: its facts as a new version with the reason (audited). Credits already posted stay; the job posts the difference',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            ...FactsBody.properties,
            note: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the facts changed' }),
            expectedVersion: Type.Optional(
              Type.Integer({ minimum: 1, description: 'Refused with 409 if the outage is no longer at this version' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: OutageSchema },
      },
    },
    async (request) => {
      const result = await correctOutage(
        ctx,
        request.params.id,
        factsOf(request.body),
        request.body.note,
        staffActor(request, requireStaff(request)),
        request.body.expectedVersion,
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return serialize(result.value);
    },
  );
}
