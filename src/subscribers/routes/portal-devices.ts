import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { issueDeviceCredentials, listDevices, revokeDeviceCredentials } from '../../calls/index.js';
import { numbersOfSubscriber } from '../../numbers/index.js';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import type { Result } from '../../platform/result.js';
import { requireSubscriber } from '../../portal-auth/index.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** The WebSocket URI of our SIP service as the browser reached this API (RFC 7118 over the same host). */
function sipWebSocketUri(request: FastifyRequest): string {
  return `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}/sip`;
}

/**
 * Whether SIP credentials may be issued to a subscriber now: the client licence (clause 3) must be
 * accepted, on the asking device when it names one. Injected: agreements owns the licence.
 */
export type CredentialsGate = (subscriberId: string, licenceDeviceId: string | undefined) => Promise<Result<null>>;

/** The subscriber's devices: SIP credentials issued, rotated, listed and revoked per device. */
export async function portalDeviceRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; sipDomain: string; sipCredentialsChanged?: (username: string) => void; credentialsGate: CredentialsGate },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/portal/devices',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'SIP credentials for one device of the subscriber’s number; the password is shown once (again with deviceId: rotated)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 60 }),
            deviceId: Type.Optional(Type.String({ format: 'uuid' })),
            number: Type.Optional(Type.String({ maxLength: 15 })),
            /** The softphone's id for this browser, under which it accepted the client licence. */
            licenceDeviceId: Type.Optional(Type.String({ format: 'uuid' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            deviceId: Type.String(),
            number: Type.String(),
            displayName: Nullable(Type.String()),
            authorizationUsername: Type.String(),
            password: Type.String(),
            domain: Type.String(),
            wsUri: Type.String(),
          }),
        },
      },
    },
    async (request, reply) => {
      const subscriber = requireSubscriber(request);
      if (subscriber.status !== 'active' && subscriber.status !== 'suspended') {
        throw new ProblemError('conflict', `Devices can be added once the service is active; it is ${subscriber.status}`);
      }
      const licence = await options.credentialsGate(subscriber.subscriberId, request.body.licenceDeviceId);
      if (!licence.ok) throw failureToProblem(licence.failure);
      const numbers = await numbersOfSubscriber(ctx.db, subscriber.subscriberId);
      const number = request.body.number ?? numbers[0];
      if (!number || !numbers.includes(number)) throw new ProblemError('not-found', 'That number is not yours');
      const issued = await issueDeviceCredentials(ctx.db, {
        number,
        realm: options.sipDomain,
        deviceName: request.body.name,
        deviceId: request.body.deviceId,
        now: ctx.clock.now(),
      });
      options.sipCredentialsChanged?.(issued.authorizationUsername);
      const row = await ctx.db
        .selectFrom('subscribers')
        .select('display_name')
        .where('id', '=', subscriber.subscriberId)
        .executeTakeFirstOrThrow();
      return reply.status(201).send({
        ...issued,
        number,
        displayName: row.display_name,
        domain: options.sipDomain,
        wsUri: sipWebSocketUri(request),
      });
    },
  );

  app.get(
    '/api/portal/devices',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'The devices holding SIP credentials for the subscriber’s numbers',
        response: {
          200: Type.Array(
            Type.Object({
              deviceId: Type.String(),
              number: Type.String(),
              name: Type.String(),
              createdAt: Type.String(),
              rotatedAt: Type.String(),
            }),
          ),
        },
      },
    },
    async (request) => listDevices(ctx.db, await numbersOfSubscriber(ctx.db, requireSubscriber(request).subscriberId)),
  );

  app.delete(
    '/api/portal/devices/:deviceId',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Revoke one device’s credentials',
        params: Type.Object({ deviceId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const numbers = await numbersOfSubscriber(ctx.db, requireSubscriber(request).subscriberId);
      let revoked = 0;
      for (const number of numbers)
        revoked += await revokeDeviceCredentials(ctx.db, { number, deviceId: request.params.deviceId }, ctx.clock.now());
      if (revoked === 0) throw new ProblemError('not-found', 'No such device');
      return reply.status(204).send(null);
    },
  );
}
