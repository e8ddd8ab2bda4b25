import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { ProblemError } from '../../platform/http/index.js';
import { requireSubscriber, subscriberActor } from '../../portal-auth/index.js';
import {
  acceptLicence,
  hasAcceptedLicence,
  licenceAcceptanceCounts,
  licenceAcceptancesOf,
  licenceTextHash,
  type LicenceCatalogue,
} from '../licence.js';
import { unwrap } from './unwrap.js';

export interface LicenceRouteOptions {
  ctx: ServiceContext;
  licences: LicenceCatalogue;
}

const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
/** The softphone's own id for the browser it runs in, kept in that browser's storage. */
const DeviceId = Type.String({ format: 'uuid' });
const Texts = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });

const AcceptanceSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  deviceId: Type.String(),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
  textSha256: Type.String(),
  acceptedAt: Type.String(),
});

/** Clause 3 for the subscriber: the licence in force, in their language, and their acceptance of it on this device. */
export async function portalLicenceRoutes(parent: FastifyInstance, options: LicenceRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx, licences } = options;

  app.get(
    '/api/portal/licence',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'The client software licence in force (clause 3), in the reader’s language, and whether this device accepted it',
        querystring: Type.Object({ lang: Type.Optional(Language), deviceId: Type.Optional(DeviceId) }),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            effectiveAt: Type.String(),
            language: Language,
            text: Type.String(),
            textSha256: Type.String(),
            accepted: Type.Boolean(),
          }),
        },
      },
    },
    async (request) => {
      const subscriber = requireSubscriber(request);
      const current = licences.current(ctx.clock.now());
      if (!current) throw new ProblemError('not-found', 'No licence version is in force');
      const language = request.query.lang ?? 'zh-CN';
      const deviceId = request.query.deviceId;
      return {
        version: current.version,
        effectiveAt: current.effectiveAt.toISOString(),
        language,
        text: current.texts[language],
        textSha256: licenceTextHash(current, language),
        accepted: deviceId ? await hasAcceptedLicence(ctx, subscriber.subscriberId, current.version, deviceId) : false,
      };
    },
  );

  app.post(
    '/api/portal/licence/acceptances',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary:
          'Accept the licence in force on this device (time, device, User-Agent and the text’s hash are recorded); again on the same device: the first record; another version: 409',
        body: Type.Object(
          { version: Type.Integer({ minimum: 1 }), deviceId: DeviceId, language: Type.Optional(Language) },
          { additionalProperties: false },
        ),
        response: { 200: AcceptanceSchema, 201: AcceptanceSchema },
      },
    },
    async (request, reply) => {
      const subscriber = requireSubscriber(request);
      const actor = subscriberActor(request);
      const { acceptance, created } = unwrap(
        await acceptLicence(ctx, licences, {
          subscriberId: subscriber.subscriberId,
          version: request.body.version,
          deviceId: request.body.deviceId,
          language: request.body.language ?? 'zh-CN',
          userAgent: actor.userAgent ?? null,
          ip: actor.ip ?? null,
        }),
      );
      const { subscriberId: _subscriberId, ...body } = acceptance;
      return reply.status(created ? 201 : 200).send(body);
    },
  );
}

/** Clause 3 for staff: the versions the service knows, and who accepted what, where and when. */
export async function consoleLicenceRoutes(parent: FastifyInstance, options: LicenceRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx, licences } = options;

  app.get(
    '/api/console/licence-versions',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['agreements'],
        summary:
          'Client licence versions, newest first: texts, their hashes, which is in force, and how many subscribers and devices accepted each',
        response: {
          200: Type.Object({
            versions: Type.Array(
              Type.Object({
                version: Type.Integer(),
                effectiveAt: Type.String(),
                current: Type.Boolean(),
                summary: Texts,
                texts: Texts,
                textSha256: Texts,
                accepted: Type.Object({ subscribers: Type.Integer(), devices: Type.Integer() }),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const current = licences.current(ctx.clock.now());
      const counts = await licenceAcceptanceCounts(ctx);
      const versions = [...licences.list()].reverse().map((entry) => ({
        version: entry.version,
        effectiveAt: entry.effectiveAt.toISOString(),
        current: entry.version === current?.version,
        summary: entry.summary,
        texts: entry.texts,
        textSha256: { 'zh-CN': licenceTextHash(entry, 'zh-CN'), en: licenceTextHash(entry, 'en') },
        accepted: counts.get(entry.version) ?? { subscribers: 0, devices: 0 },
      }));
      return { versions };
    },
  );

  app.get(
    '/api/console/subscribers/:id/licence-acceptances',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['agreements'],
        summary: 'A subscriber’s acceptances of the client licence, newest first: version, device, User-Agent, time and the text’s hash',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ acceptances: Type.Array(AcceptanceSchema) }) },
      },
    },
    async (request) => {
      const acceptances = await licenceAcceptancesOf(ctx, request.params.id);
      return { acceptances: acceptances.map(({ subscriberId: _subscriberId, ...rest }) => rest) };
    },
  );
}
