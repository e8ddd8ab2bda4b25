import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import {
  changeRelease,
  listDeviceVersions,
  listMinimumVersions,
  listReleases,
  publishRelease,
  setMinimumVersion,
  type ClientRelease,
} from './releases.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const KindSchema = Type.Union([Type.Literal('web'), Type.Literal('terminal'), Type.Literal('linphone'), Type.Literal('baresip')], {
  description: 'The client kind, as read from User-Agent (web softphone, our terminal firmware, Linphone, baresip)',
});
const VersionSchema = Type.String({ pattern: '^\\d+(\\.\\d+){0,3}$', maxLength: 40, description: 'Dotted numbers, e.g. 1.4.2' });
const Percent = Type.Integer({ minimum: 0, maximum: 100 });

const ReleaseSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: KindSchema,
  version: Type.String(),
  artifactUrl: Nullable(Type.String()),
  rolloutPercent: Percent,
  state: Type.Union([Type.Literal('rolling'), Type.Literal('paused'), Type.Literal('rolled-back')]),
  notes: Type.String(),
  createdAt: Instant,
  createdBy: Type.String(),
  changedAt: Instant,
});
const MinimumSchema = Type.Object({ kind: KindSchema, version: Type.String(), changedAt: Instant, changedBy: Type.String() });
const DeviceVersionSchema = Type.Object({
  deviceKey: Type.String({ description: 'The device id, the number (its own credentials), or unit:<id> before it registered' }),
  number: Nullable(Type.String()),
  unitId: Nullable(Type.String()),
  kind: Nullable(KindSchema),
  version: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  source: Type.Union([Type.Literal('registration'), Type.Literal('provisioning')]),
  seenAt: Instant,
});

const serialize = (release: ClientRelease) => ({
  ...release,
  createdAt: release.createdAt.toISOString(),
  changedAt: release.changedAt.toISOString(),
});

/**
 * The console's release channels (clause 8): publish a version for a client kind, stage its rollout
 * (percentage of units, pause, resume, roll back), set the minimum version the registrar enforces,
 * and see what version every device runs. Changes need `releases.manage` and are audited.
 */
export async function releaseConsoleRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; minimumsChanged?: () => void },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/releases',
    {
      config: { staff: { permission: 'releases.manage' } },
      schema: {
        tags: ['releases'],
        summary: 'Releases on every channel, newest first, and the minimum version of each client kind',
        response: { 200: Type.Object({ releases: Type.Array(ReleaseSchema), minimums: Type.Array(MinimumSchema) }) },
      },
    },
    async () => ({
      releases: (await listReleases(ctx.db)).map(serialize),
      minimums: (await listMinimumVersions(ctx.db)).map((m) => ({ ...m, changedAt: m.changedAt.toISOString() })),
    }),
  );

  app.post(
    '/api/console/releases',
    {
      config: { staff: { permission: 'releases.manage' } },
      schema: {
        tags: ['releases'],
        summary: "Publish a version on a kind's channel, to a percentage of units (0 to stage it); audited",
        body: Type.Object(
          {
            kind: KindSchema,
            version: VersionSchema,
            artifactUrl: Nullable(Type.String({ maxLength: 500 })),
            rolloutPercent: Percent,
            notes: Type.String({ maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReleaseSchema },
      },
    },
    async (request, reply) => {
      const result = await publishRelease(ctx, request.body, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(serialize(result.value));
    },
  );

  app.post(
    '/api/console/releases/:id/change',
    {
      config: { staff: { permission: 'releases.manage' } },
      schema: {
        tags: ['releases'],
        summary:
          'Stage a rollout: set its percentage, pause it (no new units), resume, or roll it back (units return to the version before); audited',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Union([
          Type.Object({ action: Type.Literal('set-rollout'), rolloutPercent: Percent }, { additionalProperties: false }),
          Type.Object(
            { action: Type.Union([Type.Literal('pause'), Type.Literal('resume'), Type.Literal('roll-back')]) },
            { additionalProperties: false },
          ),
        ]),
        response: { 200: ReleaseSchema },
      },
    },
    async (request) => {
      const result = await changeRelease(ctx, request.params.id, request.body, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return serialize(result.value);
    },
  );

  app.put(
    '/api/console/releases/minimum-versions/:kind',
    {
      config: { staff: { permission: 'releases.manage' } },
      schema: {
        tags: ['releases'],
        summary:
          'Set (or with null, lift) the lowest version of a client kind that may register; older clients are told to upgrade; audited',
        params: Type.Object({ kind: KindSchema }),
        body: Type.Object({ version: Nullable(VersionSchema) }, { additionalProperties: false }),
        response: { 200: Type.Object({ minimum: Nullable(MinimumSchema) }) },
      },
    },
    async (request) => {
      const result = await setMinimumVersion(ctx, request.params.kind, request.body.version, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      options.minimumsChanged?.();
      return { minimum: result.value ? { ...result.value, changedAt: result.value.changedAt.toISOString() } : null };
    },
  );

  app.get(
    '/api/console/device-versions',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['releases'],
        summary: 'What version every device runs, from its last REGISTER or provisioning fetch (User-Agent), latest first',
        response: { 200: Type.Object({ devices: Type.Array(DeviceVersionSchema) }) },
      },
    },
    async () => ({
      devices: (await listDeviceVersions(ctx.db)).map((d) => ({ ...d, seenAt: d.seenAt.toISOString() })),
    }),
  );
}
