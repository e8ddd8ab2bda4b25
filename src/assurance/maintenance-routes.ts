import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import {
  affectedOf,
  cancelWindow,
  findWindow,
  listWindows,
  publishWindow,
  subscriberCounts,
  windowsOfSubscriber,
  type MaintenanceWindow,
} from './maintenance.js';
import type { MaintenanceScope } from './tables.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });
const Number_ = Type.String({ maxLength: 30 });

const EffectSchema = Type.Union([Type.Literal('interruption'), Type.Literal('degraded'), Type.Literal('number-change')]);

const ScopeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('all') }, { additionalProperties: false, description: 'Every subscriber in service over the window' }),
  Type.Object(
    { kind: Type.Literal('numbers'), numbers: Type.Array(Number_, { maxItems: 1000 }) },
    { additionalProperties: false, description: 'The subscribers holding these numbers' },
  ),
]);

const NumberChangeSchema = Type.Object({ oldNumber: Number_, newNumber: Number_ }, { additionalProperties: false });

const WindowBody = Type.Object(
  {
    startsAt: Instant,
    endsAt: Instant,
    effect: EffectSchema,
    scope: ScopeSchema,
    numberChanges: Type.Optional(
      Type.Array(NumberChangeSchema, { maxItems: 1000, description: 'For a number change: one per number in scope' }),
    ),
    titleZh: Type.String({ maxLength: 200 }),
    titleEn: Type.String({ maxLength: 200 }),
    descriptionZh: Type.String({ maxLength: 2000 }),
    descriptionEn: Type.String({ maxLength: 2000 }),
    lateReason: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 2000,
          description:
            'Required when published less than VP_MAINTENANCE_NOTICE_LEAD_HOURS before the start; the window is then credited as an outage',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const WindowSchema = Type.Object({
  id: Uuid,
  reference: Type.String({ description: 'MW-<n>' }),
  startsAt: Instant,
  endsAt: Instant,
  effect: EffectSchema,
  scope: ScopeSchema,
  titleZh: Type.String(),
  titleEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  publishedAt: Instant,
  publishedBy: Type.String(),
  lateReason: Nullable(Type.String()),
  onTime: Type.Boolean({ description: 'Published at least the notice lead time ahead (clause 7); a late window is credited as an outage' }),
  outageId: Nullable(Uuid),
  cancelledAt: Nullable(Instant),
  cancelledBy: Nullable(Type.String()),
  cancelReason: Nullable(Type.String()),
  subscribers: Type.Integer({ description: 'How many subscribers it reaches' }),
});

const AffectedSchema = Type.Object({ subscriberId: Uuid, number: Nullable(Type.String()), newNumber: Nullable(Type.String()) });

/** Public: what anyone may read of a window. Neither subscribers nor their numbers are named. */
export const PublicWindowSchema = Type.Object({
  reference: Type.String(),
  state: Type.Union([Type.Literal('scheduled'), Type.Literal('in-progress')]),
  startsAt: Instant,
  endsAt: Instant,
  effect: EffectSchema,
  scope: Type.Union([Type.Literal('all'), Type.Literal('numbers')]),
  titleZh: Type.String(),
  titleEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
});

const PortalWindowSchema = Type.Object({
  id: Uuid,
  startsAt: Instant,
  endsAt: Instant,
  effect: EffectSchema,
  title: Type.String(),
  description: Type.String(),
  oldNumber: Nullable(Type.String()),
  newNumber: Nullable(Type.String()),
  inProgress: Type.Boolean(),
});

const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' });

function serialize(w: MaintenanceWindow, subscribers: number) {
  return {
    ...w,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    publishedAt: w.publishedAt.toISOString(),
    cancelledAt: w.cancelledAt?.toISOString() ?? null,
    subscribers,
  };
}

export function publicWindowView(w: MaintenanceWindow, now: Date) {
  return {
    reference: w.reference,
    state: w.startsAt <= now ? ('in-progress' as const) : ('scheduled' as const),
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    effect: w.effect,
    scope: w.scope.kind,
    titleZh: w.titleZh,
    titleEn: w.titleEn,
    descriptionZh: w.descriptionZh,
    descriptionEn: w.descriptionEn,
  };
}

/** Upcoming and in-progress windows not cancelled: the status page's. */
export async function publicWindows(ctx: ServiceContext) {
  const now = ctx.clock.now();
  const windows = await listWindows(ctx.db, { endingAfter: now });
  return windows
    .filter((w) => w.cancelledAt === null)
    .reverse()
    .map((w) => publicWindowView(w, now));
}

/**
 * Maintenance windows over HTTP (clause 7): the console's register (`notices.publish` to publish and
 * cancel, `outages.read` to read) and the portal's list of windows reaching the subscriber.
 */
export async function maintenanceRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/maintenance',
    {
      config: { portal: true },
      schema: {
        tags: ['assurance'],
        summary: 'Maintenance windows reaching this subscriber, upcoming and in progress, in the reader’s language',
        querystring: Type.Object({ lang: Language }),
        response: { 200: Type.Object({ windows: Type.Array(PortalWindowSchema) }) },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const zh = request.query.lang === 'zh-CN';
      const now = ctx.clock.now();
      const windows = await windowsOfSubscriber(ctx.db, subscriberId, now);
      return {
        windows: windows.map(({ window, changes }) => {
          const change = changes.find((c) => c.newNumber !== null) ?? null;
          return {
            id: window.id,
            startsAt: window.startsAt.toISOString(),
            endsAt: window.endsAt.toISOString(),
            effect: window.effect,
            title: zh ? window.titleZh : window.titleEn,
            description: zh ? window.descriptionZh : window.descriptionEn,
            oldNumber: change?.number ?? null,
            newNumber: change?.newNumber ?? null,
            inProgress: window.startsAt <= now,
          };
        }),
      };
    },
  );

  app.get(
    '/api/console/maintenance-windows',
    {
      // Every role that may publish (notices.publish) also reads outages: one permission guards reading.
      config: { staff: { permission: 'outages.read' } },
      schema: {
        tags: ['assurance'],
        summary: 'Maintenance windows, latest start first',
        response: {
          200: Type.Object({
            windows: Type.Array(WindowSchema),
            noticeLeadHours: Type.Integer(),
            now: Type.String({ format: 'date-time', description: "The server's time, against which the lead time is judged" }),
          }),
        },
      },
    },
    async () => {
      const windows = await listWindows(ctx.db);
      const counts = await subscriberCounts(ctx.db);
      return {
        windows: windows.map((w) => serialize(w, counts.get(w.id) ?? 0)),
        noticeLeadHours: ctx.settings.maintenanceNoticeLeadHours,
        now: ctx.clock.now().toISOString(),
      };
    },
  );

  app.get(
    '/api/console/maintenance-windows/:id',
    {
      // Every role that may publish (notices.publish) also reads outages: one permission guards reading.
      config: { staff: { permission: 'outages.read' } },
      schema: {
        tags: ['assurance'],
        summary: 'A maintenance window with the subscribers it reaches',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Object({ window: WindowSchema, affected: Type.Array(AffectedSchema) }) },
      },
    },
    async (request) => {
      const window = await findWindow(ctx.db, request.params.id);
      if (!window) throw new ProblemError('not-found', 'No such maintenance window');
      const affected = await affectedOf(ctx.db, window.id);
      return { window: serialize(window, new Set(affected.map((a) => a.subscriberId)).size), affected };
    },
  );

  app.post(
    '/api/console/maintenance-windows',
    {
      config: { staff: { permission: 'notices.publish' } },
      schema: {
        tags: ['assurance'],
        summary:
          'Publish a maintenance window and notify the subscribers it reaches (clause 7; audited). Less than the notice lead time ahead needs lateReason',
        body: WindowBody,
        response: { 201: WindowSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await publishWindow(
        ctx,
        {
          startsAt: new Date(body.startsAt),
          endsAt: new Date(body.endsAt),
          effect: body.effect,
          scope: body.scope as MaintenanceScope,
          numberChanges: body.numberChanges ?? [],
          titleZh: body.titleZh,
          titleEn: body.titleEn,
          descriptionZh: body.descriptionZh,
          descriptionEn: body.descriptionEn,
          lateReason: body.lateReason ?? null,
        },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      const affected = await affectedOf(ctx.db, result.value.id);
      return reply.status(201).send(serialize(result.value, new Set(affected.map((a) => a.subscriberId)).size));
    },
  );

  app.post(
    '/api/console/maintenance-windows/:id/cancel',
    {
      config: { staff: { permission: 'notices.publish' } },
      schema: {
        tags: ['assurance'],
        summary: 'Cancel a maintenance window that has not begun, and tell those it reached (audited)',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: WindowSchema },
      },
    },
    async (request) => {
      const result = await cancelWindow(ctx, request.params.id, request.body.reason, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      const affected = await affectedOf(ctx.db, result.value.id);
      return serialize(result.value, new Set(affected.map((a) => a.subscriberId)).size);
    },
  );
}
