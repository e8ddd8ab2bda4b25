import '@fastify/cookie';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import { subscriberIdForNumber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database } from '../platform/db/schema.js';
import { ProblemError } from '../platform/http/problems.js';
import { fail, ok, type Result } from '../platform/result.js';
import {
  accountWideLockoutPolicyOf,
  countFailedSignIn,
  countFailedSignInFrom,
  isLocked,
  lockoutPolicyOf,
  signInSource,
  type LockableAccounts,
  type LockableSources,
} from '../platform/sign-in-lockout.js';
import { hashPassword, verifyPassword } from '../staff/passwords.js';
import type { SubscriberKind, SubscriberStatus } from './tables.js';
import { validatePhoneNumber } from './validation/index.js';

/**
 * The subscriber portal's own sign-in: a subscriber signs in with the contact phone given when
 * applying (or, once active, the videophone number) and a password chosen then. Portal and console
 * sessions are separate cookies with separate lifetimes; a subscriber never holds a staff session.
 */
export const PORTAL_SESSION_COOKIE = 'vp_portal';
export const minimumPortalPasswordLength = 8;

export interface SubscriberPrincipal {
  subscriberId: string;
  kind: SubscriberKind;
  status: SubscriberStatus;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `true` on every `/api/portal/*` route that needs a signed-in subscriber. */
    portal?: boolean;
  }
  interface FastifyRequest {
    subscriber: SubscriberPrincipal | null;
  }
}

/** The keyed hash under which a login is stored and looked up; phone numbers are compared in E.164. */
function loginIndex(ctx: ServiceContext, e164: string): string {
  return ctx.cipher.blindIndex(e164, 'portal-login');
}

export async function createPortalAccount(
  ctx: ServiceContext,
  db: Kysely<Database>,
  input: { subscriberId: string; contactPhoneE164: string; password: string; now: Date },
): Promise<Result<null>> {
  const index = loginIndex(ctx, input.contactPhoneE164);
  const taken = await db
    .selectFrom('portal_accounts')
    .innerJoin('subscribers', 'subscribers.id', 'portal_accounts.subscriber_id')
    .select(['portal_accounts.subscriber_id', 'subscribers.status'])
    .where('login_index', '=', index)
    .executeTakeFirst();
  if (taken && taken.status !== 'rejected' && taken.status !== 'terminated') {
    return fail('conflict', 'conflict', 'This contact phone already belongs to an application or subscriber: sign in instead', {
      fields: [{ field: 'contactPhone', message: 'already registered' }],
    });
  }
  // A rejected or ended applicant may apply again with the same phone: the old login is retired.
  if (taken) await db.deleteFrom('portal_accounts').where('subscriber_id', '=', taken.subscriber_id).execute();
  await db
    .insertInto('portal_accounts')
    .values({
      subscriber_id: input.subscriberId,
      login_index: index,
      password_hash: await hashPassword(input.password),
      locked_until: null,
      last_login_at: null,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute();
  return ok(null);
}

export interface PortalSignedIn {
  token: string;
  expiresAt: Date;
  subscriber: SubscriberPrincipal;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

async function findAccountByLogin(ctx: ServiceContext, login: string) {
  const trimmed = login.replace(/[\s-]/g, '');
  let subscriberId: string | null = null;
  // A videophone number (digits only, no country prefix) first; else a contact phone.
  if (/^\d{3,15}$/.test(trimmed)) subscriberId = await subscriberIdForNumber(ctx.db, trimmed);
  let query = ctx.db.selectFrom('portal_accounts').selectAll();
  if (subscriberId) query = query.where('subscriber_id', '=', subscriberId);
  else {
    const phone = validatePhoneNumber(trimmed);
    if (!phone.ok) return undefined;
    query = query.where('login_index', '=', loginIndex(ctx, phone.value.e164));
  }
  return query.executeTakeFirst();
}

const portalAccounts: LockableAccounts = { table: 'portal_accounts', keyColumn: 'subscriber_id' };
const portalSources: LockableSources = { table: 'portal_sign_in_failures', keyColumn: 'subscriber_id' };

/**
 * Password check with two locks. `staffLockoutThreshold` failures from one source address (an IPv6
 * /64 counts as one) lock the account for that address only, so a stranger who knows a subscriber's
 * phone cannot lock them out; `portalAccountLockoutThreshold` failures from all addresses together lock
 * it for everyone, which caps guessing spread over many addresses. Both last `staffLockoutMinutes`.
 * Every attempt, refused or not, is in the audit log.
 */
export async function portalSignIn(
  ctx: ServiceContext,
  request: { login: string; password: string; ip: string | null; userAgent: string | null },
): Promise<Result<PortalSignedIn>> {
  const now = ctx.clock.now();
  const account = await findAccountByLogin(ctx, request.login);
  const source = signInSource(request.ip);
  const actor: Actor = {
    type: account ? 'subscriber' : 'anonymous',
    id: account?.subscriber_id ?? null,
    name: null,
    ip: request.ip,
    userAgent: request.userAgent,
  };
  const audit = (executor: Kysely<Database>, detail: Record<string, unknown>) =>
    recordAudit(executor, {
      at: now,
      actor,
      action: 'portal.sign-in',
      target: account ? { type: 'subscriber', id: account.subscriber_id } : null,
      outcome: 'failure',
      detail,
    });
  if (account) {
    const fromSource = await ctx.db
      .selectFrom('portal_sign_in_failures')
      .select('locked_until')
      .where('subscriber_id', '=', account.subscriber_id)
      .where('source', '=', source)
      .executeTakeFirst();
    const sourceLock = fromSource && isLocked(fromSource.locked_until, now) ? fromSource.locked_until : null;
    const accountLock = isLocked(account.locked_until, now) ? account.locked_until : null;
    const lockedUntil = sourceLock ?? accountLock;
    if (lockedUntil) {
      await audit(ctx.db, { reason: 'locked', scope: sourceLock ? 'address' : 'account', lockedUntil: lockedUntil.toISOString() });
      return fail('not_allowed', 'account-locked', 'Too many failed sign-ins; try again later', {
        extra: { lockedUntil: lockedUntil.toISOString() },
      });
    }
  }
  const matches = await verifyPassword(account?.password_hash ?? null, request.password);
  if (!account || !matches) {
    await ctx.db.transaction().execute(async (trx) => {
      if (!account) return audit(trx, { reason: 'unknown-login' });
      const sourceLock = await countFailedSignInFrom(trx, portalSources, account.subscriber_id, source, lockoutPolicyOf(ctx.settings), now);
      const accountLock = await countFailedSignIn(
        trx,
        portalAccounts,
        account.subscriber_id,
        accountWideLockoutPolicyOf(ctx.settings),
        now,
      );
      return audit(trx, {
        reason: 'wrong-password',
        ...(sourceLock ? { lockedUntil: sourceLock.toISOString(), scope: 'address' } : {}),
        ...(accountLock ? { lockedUntil: accountLock.toISOString(), scope: 'account' } : {}),
      });
    });
    return fail('not_allowed', 'invalid-credentials', 'The phone number or password is wrong');
  }
  const subscriber = await principalOf(ctx.db, account.subscriber_id);
  if (!subscriber) return fail('not_allowed', 'invalid-credentials', 'The phone number or password is wrong');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ctx.settings.portalSessionDays * 86_400_000);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('portal_accounts')
      .set({ failed_login_count: 0, locked_until: null, last_login_at: now, updated_at: now })
      .where('subscriber_id', '=', account.subscriber_id)
      .execute();
    // This address starts afresh; other addresses keep their counts and locks (a stranger stays locked
    // out). Rows neither locked nor touched for a lock's length are dropped, so the table stays small.
    const idleSince = new Date(now.getTime() - ctx.settings.staffLockoutMinutes * 60_000);
    await trx
      .deleteFrom('portal_sign_in_failures')
      .where('subscriber_id', '=', account.subscriber_id)
      .where((eb) =>
        eb.or([
          eb('source', '=', source),
          eb.and([eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]), eb('updated_at', '<', idleSince)]),
        ]),
      )
      .execute();
    await trx
      .insertInto('portal_sessions')
      .values({
        token_hash: hashToken(token),
        subscriber_id: account.subscriber_id,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        ip: request.ip,
        user_agent: request.userAgent,
      })
      .execute();
    await recordAudit(trx, { at: now, actor, action: 'portal.sign-in', target: { type: 'subscriber', id: account.subscriber_id } });
  });
  return ok({ token, expiresAt, subscriber });
}

export async function portalSignOut(ctx: ServiceContext, token: string): Promise<void> {
  await ctx.db.deleteFrom('portal_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Ends every portal session of a subscriber (termination, password change). */
export async function endPortalSessions(db: Kysely<Database>, subscriberId: string): Promise<void> {
  await db.deleteFrom('portal_sessions').where('subscriber_id', '=', subscriberId).execute();
}

async function principalOf(db: Kysely<Database>, subscriberId: string): Promise<SubscriberPrincipal | null> {
  const row = await db.selectFrom('subscribers').select(['id', 'kind', 'status']).where('id', '=', subscriberId).executeTakeFirst();
  return row ? { subscriberId: row.id, kind: row.kind, status: row.status } : null;
}

export async function resolvePortalSession(ctx: ServiceContext, token: string): Promise<SubscriberPrincipal | null> {
  const session = await ctx.db
    .selectFrom('portal_sessions')
    .select(['subscriber_id'])
    .where('token_hash', '=', hashToken(token))
    .where('expires_at', '>', ctx.clock.now())
    .executeTakeFirst();
  return session ? principalOf(ctx.db, session.subscriber_id) : null;
}

/**
 * Portal routes declare `config: { portal: true }`; the guard resolves the cookie before
 * validation. Routes under /api/portal/ must declare it (sign-in declares `false` explicitly).
 */
const portalRoutesByApp = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route that needs a signed-in subscriber, as registered: a test calls each one anonymously. */
export function portalRoutesOf(app: FastifyInstance): readonly { method: string; url: string }[] {
  return portalRoutesByApp.get(app) ?? [];
}

export function installPortalGuard(app: FastifyInstance, ctx: ServiceContext): void {
  const registry: { method: string; url: string }[] = [];
  portalRoutesByApp.set(app, registry);
  app.decorateRequest('subscriber', null);
  app.addHook('onRoute', (route) => {
    const config = route.config as { portal?: boolean } | undefined;
    if (route.url.startsWith('/api/portal/') && config?.portal === undefined) {
      throw new Error(`portal route ${String(route.method)} ${route.url} does not declare config.portal`);
    }
    if (config?.portal) for (const method of [route.method].flat()) if (method !== 'HEAD') registry.push({ method, url: route.url });
  });
  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.config.portal) return;
    const token = request.cookies[PORTAL_SESSION_COOKIE];
    const subscriber = token ? await resolvePortalSession(ctx, token) : null;
    if (!subscriber) throw new ProblemError('unauthenticated', 'Sign in to the portal first');
    request.subscriber = subscriber;
  });
}

export function requireSubscriber(request: FastifyRequest): SubscriberPrincipal {
  if (!request.subscriber) throw new ProblemError('unauthenticated', 'Sign in to the portal first');
  return request.subscriber;
}

export function subscriberActor(request: FastifyRequest): Actor {
  return {
    type: 'subscriber',
    id: request.subscriber?.subscriberId ?? null,
    name: null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
