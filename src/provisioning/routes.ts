import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { FetchLimiter } from './fetch-limiter.js';
import { renderLinphoneXml } from './terminal-config.js';
import {
  fetchConfiguration,
  listProvisionedTerminals,
  provisionInventoryUnit,
  replaceWithInventoryUnit,
  rotateProvisioningSecret,
  unprovisionTerminal,
  type FetchFormat,
  type IssuedSecret,
  type ProvisionedTerminal,
  type ProvisioningDeps,
} from './terminal-provisioning.js';
import { listFetches } from './fetches.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const UnitId = Type.String({ minLength: 1, maxLength: 100 });

const TerminalSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  unitId: Type.String(),
  mac: Type.String(),
  serial: Nullable(Type.String()),
  number: Type.String(),
  deviceId: Type.String({ format: 'uuid' }),
  sipUsername: Type.String(),
  secretIssuedAt: Instant,
  assignedAt: Instant,
  unassignedAt: Nullable(Instant),
  lastFetchAt: Nullable(Instant),
});
const IssuedSchema = Type.Object({
  terminal: TerminalSchema,
  secret: Type.String({ description: 'Shown this once; load it into the unit. Only its hash is kept' }),
  paths: Type.Object({ linphoneXml: Type.String(), json: Type.String() }),
});
const FetchSchema = Type.Object({
  at: Instant,
  mac: Type.String(),
  unitId: Nullable(Type.String()),
  sourceIp: Type.String(),
  userAgent: Nullable(Type.String()),
  format: Type.Union([Type.Literal('linphone-xml'), Type.Literal('json')]),
  outcome: Type.Union([Type.Literal('served'), Type.Literal('denied'), Type.Literal('rate-limited')]),
});

const serialize = (t: ProvisionedTerminal) => ({
  ...t,
  secretIssuedAt: t.secretIssuedAt.toISOString(),
  assignedAt: t.assignedAt.toISOString(),
  unassignedAt: t.unassignedAt?.toISOString() ?? null,
  lastFetchAt: t.lastFetchAt?.toISOString() ?? null,
});
const serializeIssued = (issued: IssuedSecret) => ({ ...issued, terminal: serialize(issued.terminal) });

export interface ProvisioningRouteOptions {
  ctx: ServiceContext;
  deps: ProvisioningDeps;
  /** Fetches per unit (MAC) and per source address per minute. */
  fetchesPerUnitPerMinute?: number;
  fetchesPerSourcePerMinute?: number;
}

/**
 * Remote provisioning of SIP terminals (clause 4: terminals provision their SIP account from the
 * operator). Units fetch `/provisioning/<mac>/<secret>/linphone.xml` (Linphone's remote provisioning)
 * or `…/config.json` (the neutral format, docs/provisioning.md) over the deployment's HTTPS; staff
 * assign units, rotate secrets, unassign and replace (`devices.manage`, audited).
 */
export async function provisioningRoutes(parent: FastifyInstance, options: ProvisioningRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx, deps } = options;
  const limits = {
    perUnit: new FetchLimiter(options.fetchesPerUnitPerMinute ?? 6),
    perSource: new FetchLimiter(options.fetchesPerSourcePerMinute ?? 60),
  };

  const serve = (format: FetchFormat) =>
    async function handler(
      request: { params: { mac: string; secret: string }; ip: string; headers: Record<string, string | string[] | undefined> },
      reply: FastifyReply,
    ) {
      const userAgent = request.headers['user-agent'];
      const result = await fetchConfiguration(ctx, deps, limits, {
        mac: request.params.mac,
        secret: request.params.secret,
        sourceIp: request.ip,
        userAgent: typeof userAgent === 'string' ? userAgent : null,
        format,
      });
      void reply.header('cache-control', 'no-store');
      if (result.outcome === 'rate-limited') {
        void reply.header('retry-after', String(result.retryAfterSeconds));
        throw new ProblemError('too-many-requests', 'Too many configuration fetches; try again later', {
          retryAfterSeconds: result.retryAfterSeconds,
        });
      }
      // The same answer for an unknown MAC and a wrong secret: nothing says which MACs exist.
      if (result.outcome === 'denied') throw new ProblemError('not-found', 'No configuration here');
      if (format === 'json') return reply.type('application/json').send(result.config);
      return reply.type('application/xml; charset=utf-8').send(renderLinphoneXml(result.config));
    };

  const fetchSchema = (format: FetchFormat) => ({
    // The secret is in the path: keep request lines out of the logs.
    logLevel: 'warn' as const,
    schema: {
      tags: ['provisioning'],
      summary:
        format === 'json'
          ? "A unit's configuration in the neutral JSON format (docs/provisioning.md)"
          : "A unit's configuration as Linphone remote provisioning XML (lpconfig), for linphonerc [misc] config-uri",
      params: Type.Object({ mac: Type.String({ maxLength: 40 }), secret: Type.String({ maxLength: 100 }) }),
    },
  });
  app.get('/provisioning/:mac/:secret/linphone.xml', fetchSchema('linphone-xml'), serve('linphone-xml'));
  app.get('/provisioning/:mac/:secret/config.json', fetchSchema('json'), serve('json'));

  app.get(
    '/api/console/provisioning/terminals',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['provisioning'],
        summary: 'Provisioned units, live and ended, newest first',
        querystring: Type.Object({ live: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ terminals: Type.Array(TerminalSchema) }) },
      },
    },
    async (request) => ({
      terminals: (await listProvisionedTerminals(ctx.db, { live: request.query.live ?? false })).map(serialize),
    }),
  );

  app.post(
    '/api/console/provisioning/terminals',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['provisioning'],
        summary: "Provision a unit: its own SIP device credentials for the subscriber's number and a fetch secret (shown once); audited",
        body: Type.Object(
          {
            unitId: Type.String({ format: 'uuid', description: 'The unit in the inventory; its MAC and serial come from there' }),
            number: Type.Optional(
              Type.String({ pattern: '^\\d{3,15}$', description: "Default: the buying subscriber's number, when they have one" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: IssuedSchema },
      },
    },
    async (request, reply) => {
      const result = await provisionInventoryUnit(
        ctx,
        deps,
        { unitId: request.body.unitId, number: request.body.number ?? null },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(serializeIssued(result.value));
    },
  );

  app.post(
    '/api/console/provisioning/terminals/:unitId/secret',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['provisioning'],
        summary: 'A new fetch secret for a unit (the old one stops working); shown once; audited',
        params: Type.Object({ unitId: UnitId }),
        response: { 200: IssuedSchema },
      },
    },
    async (request) => {
      const result = await rotateProvisioningSecret(ctx, request.params.unitId, staffActor(request, requireStaff(request)));
      if (!result.ok) throw failureToProblem(result.failure);
      return serializeIssued(result.value);
    },
  );

  app.post(
    '/api/console/provisioning/terminals/:unitId/unassign',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['provisioning'],
        summary: "End a unit's provisioning (returned, scrapped): its SIP device credentials are revoked; audited",
        params: Type.Object({ unitId: UnitId }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: TerminalSchema },
      },
    },
    async (request) => {
      const result = await unprovisionTerminal(
        ctx,
        deps,
        request.params.unitId,
        staffActor(request, requireStaff(request)),
        request.body.reason,
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return serialize(result.value);
    },
  );

  app.post(
    '/api/console/provisioning/terminals/:unitId/replace',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['provisioning'],
        summary:
          'Swap a unit (clause 4 replacement): the old one loses its SIP credentials, the new one gets new ones for the same number; audited',
        params: Type.Object({ unitId: UnitId }),
        body: Type.Object({ newUnitId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: IssuedSchema },
      },
    },
    async (request) => {
      const result = await replaceWithInventoryUnit(
        ctx,
        deps,
        { oldUnitId: request.params.unitId, newUnitId: request.body.newUnitId },
        staffActor(request, requireStaff(request)),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return serializeIssued(result.value);
    },
  );

  app.get(
    '/api/console/provisioning/fetches',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['provisioning'],
        summary: 'The audit of configuration fetches (served, denied, rate-limited), newest first',
        querystring: Type.Object({ mac: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: Type.Object({ fetches: Type.Array(FetchSchema) }) },
      },
    },
    async (request) => ({
      fetches: (await listFetches(ctx.db, request.query.mac ?? null)).map((f) => ({ ...f, at: f.at.toISOString() })),
    }),
  );
}
