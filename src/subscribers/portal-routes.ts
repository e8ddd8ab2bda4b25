import '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { issueDeviceCredentials, listDevices, revokeDeviceCredentials } from '../calls/index.js';
import { activeSuspensions } from '../entitlements/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { subscriberDirectory } from './portal-directory.js';
import { PORTAL_SESSION_COOKIE, portalSignIn, portalSignOut, requireSubscriber, subscriberActor } from '../portal-auth/index.js';
import { requestTermination, type TerminationDeps } from './termination.js';
import { SubscriberKindSchema, SubscriberStatusSchema } from './schemas.js';

export interface PortalRouteOptions {
  ctx: ServiceContext;
  cookieSecure: boolean;
  signInRateLimitPerMinute: number;
  sipDomain: string;
  termination: TerminationDeps;
  /** Tells the SIP account cache on this node that a device username now exists (it may be remembered as unknown). */
  sipCredentialsChanged?: (username: string) => void;
}

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const MeSchema = Type.Object({
  subscriberId: Type.String(),
  kind: SubscriberKindSchema,
  status: SubscriberStatusSchema,
  displayName: Nullable(Type.String()),
  numbers: Type.Array(Type.String()),
  activatedAt: Nullable(Type.String()),
  terminationRequestedAt: Nullable(Type.String()),
  terminatedAt: Nullable(Type.String()),
  suspensions: Type.Array(
    Type.Object({
      cause: Type.Union([
        Type.Literal('overdue'),
        Type.Literal('credit-limit'),
        Type.Literal('judicial'),
        Type.Literal('false-data'),
        Type.Literal('abuse'),
        Type.Literal('termination'),
      ]),
      blocks: Type.Union([Type.Literal('outgoing'), Type.Literal('all')]),
      reason: Type.String(),
      startedAt: Type.String(),
    }),
  ),
});

/** The WebSocket URI of our SIP service as the browser reached this API (RFC 7118 over the same host). */
function sipWebSocketUri(request: FastifyRequest): string {
  return `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}/sip`;
}

/** The subscriber portal's account routes: sign-in, who am I, devices, own data, ending the agreement. */
export async function portalRoutes(parent: FastifyInstance, options: PortalRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.post(
    '/api/portal/sign-in',
    {
      config: { portal: false, rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['portal'],
        summary: 'Sign in to the subscriber portal with the contact phone (or videophone number) and password',
        body: Type.Object(
          { login: Type.String({ minLength: 1, maxLength: 40 }), password: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ subscriberId: Type.String(), status: SubscriberStatusSchema, expiresAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const result = await portalSignIn(
        ctx,
        {
          login: request.body.login,
          password: request.body.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        },
        subscriberDirectory,
      );
      if (!result.ok) throw failureToProblem(result.failure);
      reply.setCookie(PORTAL_SESSION_COOKIE, result.value.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: options.cookieSecure,
        // Max-Age, not Expires: a client with a skewed clock would drop an Expires cookie at once.
        maxAge: Math.floor((result.value.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000),
      });
      return {
        subscriberId: result.value.subscriber.subscriberId,
        status: result.value.subscriber.status,
        expiresAt: result.value.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/portal/sign-out',
    { config: { portal: false }, schema: { tags: ['portal'], summary: 'End this portal session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const token = request.cookies[PORTAL_SESSION_COOKIE];
      if (token) await portalSignOut(ctx, token);
      reply.clearCookie(PORTAL_SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/portal/me',
    {
      config: { portal: true },
      schema: { tags: ['portal'], summary: 'The signed-in subscriber, their numbers and open suspensions', response: { 200: MeSchema } },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const row = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', subscriberId).executeTakeFirstOrThrow();
      return {
        subscriberId,
        kind: row.kind,
        status: row.status,
        displayName: row.display_name,
        numbers: await numbersOfSubscriber(ctx.db, subscriberId),
        activatedAt: row.activated_at?.toISOString() ?? null,
        terminationRequestedAt: row.termination_requested_at?.toISOString() ?? null,
        terminatedAt: row.terminated_at?.toISOString() ?? null,
        suspensions: (await activeSuspensions(ctx.db, subscriberId)).map((s) => ({
          cause: s.cause,
          blocks: s.blocks,
          reason: s.reason,
          startedAt: s.startedAt,
        })),
      };
    },
  );

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

  app.post(
    '/api/portal/termination',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Ask to end the agreement (clause 11): it ends once every fee is settled',
        response: {
          200: Type.Union([
            Type.Object({ status: Type.Literal('terminated'), terminatedAt: Type.String() }),
            Type.Object({ status: Type.Literal('awaiting-settlement'), outstandingFen: Type.Integer() }),
          ]),
        },
      },
    },
    async (request) => {
      const result = await requestTermination(ctx, requireSubscriber(request).subscriberId, options.termination, subscriberActor(request));
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );
}
