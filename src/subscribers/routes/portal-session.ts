import '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { activeSuspensions } from '../../entitlements/index.js';
import { numbersOfSubscriber } from '../../numbers/index.js';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem } from '../../platform/http/index.js';
import { PORTAL_SESSION_COOKIE, portalSignIn, portalSignOut, requireSubscriber } from '../../portal-auth/index.js';
import { subscriberDirectory } from '../portal-directory.js';
import { SubscriberKindSchema, SubscriberStatusSchema } from '../schemas.js';

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

/** The portal session: signing in and out, and who is signed in. */
export async function portalSessionRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; cookieSecure: boolean; signInRateLimitPerMinute: number },
): Promise<void> {
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
}
