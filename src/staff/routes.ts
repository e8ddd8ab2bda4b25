import '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import type { Result } from '../platform/result.js';
import {
  createStaffAccount,
  listStaff,
  resetStaffTotp,
  setStaffRoles,
  setStaffStatus,
  unlockStaff,
  type StaffSummary,
} from './accounts.js';
import { completeStaffPasswordReset, issueStaffPasswordReset, previewStaffPasswordReset } from './password-reset.js';
import { requireStaff, STAFF_SESSION_COOKIE, staffFromCookie } from './guard.js';
import { roles } from './permissions.js';
import { signIn, signOut, type StaffPrincipal } from './sign-in.js';

const StaffPrincipalSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
});

const StaffSummarySchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  totpEnrolled: Type.Boolean(),
  createdAt: Type.String(),
});

const TotpEnrolmentSchema = Type.Object({ secret: Type.String(), uri: Type.String(), qrDataUrl: Type.String() });

// 32 random bytes in base64url are 43 characters; the limit only keeps junk out.
const ResetTokenSchema = Type.String({ minLength: 1, maxLength: 100 });

const RoleSchema = Type.Union(roles.map((role) => Type.Literal(role)));
const StaffIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function staffActor(request: FastifyRequest, staff: Pick<StaffPrincipal, 'id' | 'username'>): Actor {
  return { type: 'staff', id: staff.id, name: staff.username, ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureToProblem(result.failure);
  return result.value;
}

export async function staffRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; cookieSecure: boolean; signInRateLimitPerMinute: number },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  // Max-Age rather than Expires: a relative lifetime does not depend on the browser's clock agreeing
  // with ours. The server enforces the real expiry either way.
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(STAFF_SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.cookieSecure,
      maxAge: ctx.settings.staffSessionMaxHours * 3600,
    });

  app.post(
    '/api/auth/staff/login',
    {
      // Per client address, against password spraying across many accounts; the per-account lockout
      // stops guessing at one.
      config: { rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['staff'],
        summary: 'Sign a staff member in (password, then TOTP code)',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
          totpCode: Type.Optional(Type.String({ maxLength: 10 })),
        }),
        response: { 200: Type.Object({ staff: StaffPrincipalSchema }) },
      },
    },
    async (request, reply) => {
      const { username, password, totpCode } = request.body;
      const result = await signIn(ctx, { username, password, totpCode, ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
      const signedIn = unwrap(result);
      setSessionCookie(reply, signedIn.token);
      return { staff: signedIn.staff };
    },
  );

  app.post('/api/auth/staff/logout', { schema: { tags: ['staff'], summary: 'Sign out' } }, async (request, reply) => {
    const token = request.cookies[STAFF_SESSION_COOKIE];
    if (token) {
      const staff = await staffFromCookie(ctx, request);
      await signOut(ctx, token, staff ? staffActor(request, staff) : { type: 'anonymous', id: null, name: null, ip: request.ip });
    }
    reply.clearCookie(STAFF_SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  // The reset link's token travels in the body, not the URL, so it stays out of request logs.
  app.post(
    '/api/auth/staff/password-reset/preview',
    {
      config: { rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['staff'],
        summary: 'Whose password reset link this is, or why it no longer works',
        body: Type.Object({ token: ResetTokenSchema }),
        response: { 200: Type.Object({ username: Type.String(), displayName: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request) => unwrap(await previewStaffPasswordReset(ctx, request.body.token)),
  );

  app.post(
    '/api/auth/staff/password-reset',
    {
      config: { rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['staff'],
        summary: 'Set a new password with a one-time reset link; ends every session of the account',
        body: Type.Object({ token: ResetTokenSchema, password: Type.String({ maxLength: 200 }) }),
        response: { 200: Type.Object({ username: Type.String(), totpEnrolmentRequired: Type.Boolean() }) },
      },
    },
    async (request) =>
      unwrap(
        await completeStaffPasswordReset(ctx, request.body.token, request.body.password, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        }),
      ),
  );

  app.get(
    '/api/auth/staff/session',
    { schema: { tags: ['staff'], summary: 'The signed-in staff member', response: { 200: Type.Object({ staff: StaffPrincipalSchema }) } } },
    async (request) => {
      const staff = await staffFromCookie(ctx, request);
      if (!staff) throw new ProblemError('unauthenticated', 'Not signed in');
      return { staff };
    },
  );

  app.get(
    '/api/console/staff',
    {
      config: { staff: { permission: 'staff.read' } },
      schema: {
        tags: ['staff'],
        summary: 'List staff accounts',
        response: { 200: Type.Object({ items: Type.Array(StaffSummarySchema) }) },
      },
    },
    async () => ({ items: await listStaff(ctx) }),
  );

  app.post(
    '/api/console/staff',
    {
      config: { staff: { permission: 'staff.manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account; answers the TOTP enrolment secret once',
        body: Type.Object({
          username: Type.String({ maxLength: 64 }),
          displayName: Type.String({ maxLength: 200 }),
          password: Type.String({ maxLength: 200 }),
          roles: Type.Array(RoleSchema, { minItems: 1, maxItems: roles.length }),
        }),
        response: { 201: Type.Object({ staff: StaffSummarySchema, totp: TotpEnrolmentSchema }) },
      },
    },
    async (request, reply) => {
      const created = unwrap(await createStaffAccount(ctx, request.body, staffActor(request, requireStaff(request))));
      return reply.status(201).send(created);
    },
  );

  app.put(
    '/api/console/staff/:id/roles',
    {
      config: { staff: { permission: 'staff.manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Replace the roles of a staff account',
        params: StaffIdParams,
        body: Type.Object({ roles: Type.Array(RoleSchema, { minItems: 1, maxItems: roles.length }) }),
        response: { 200: Type.Object({ staff: StaffSummarySchema }) },
      },
    },
    async (request) => ({
      staff: unwrap(await setStaffRoles(ctx, request.params.id, request.body.roles, staffActor(request, requireStaff(request)))),
    }),
  );

  const accountAction = (path: string, summary: string, act: (id: string, actor: Actor) => Promise<Result<StaffSummary>>) =>
    app.post(
      `/api/console/staff/:id/${path}`,
      {
        config: { staff: { permission: 'staff.manage' } },
        schema: { tags: ['staff'], summary, params: StaffIdParams, response: { 200: Type.Object({ staff: StaffSummarySchema }) } },
      },
      async (request) => ({ staff: unwrap(await act(request.params.id, staffActor(request, requireStaff(request)))) }),
    );
  app.post(
    '/api/console/staff/:id/password-reset',
    {
      config: { staff: { permission: 'staff.manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Issue a one-time password reset link (revokes older ones); the token is answered once',
        params: StaffIdParams,
        response: { 201: Type.Object({ token: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const issued = unwrap(await issueStaffPasswordReset(ctx, request.params.id, staffActor(request, requireStaff(request))));
      return reply.status(201).send(issued);
    },
  );

  accountAction('unlock', 'Unlock an account locked by failed sign-ins', (id, actor) => unlockStaff(ctx, id, actor));
  accountAction('disable', 'Disable an account and end its sessions', (id, actor) => setStaffStatus(ctx, id, 'disabled', actor));
  accountAction('enable', 'Enable a disabled account', (id, actor) => setStaffStatus(ctx, id, 'active', actor));
  accountAction('totp-reset', 'Forget the second factor; the next sign-in enrols a new authenticator', (id, actor) =>
    resetStaffTotp(ctx, id, actor),
  );
}
