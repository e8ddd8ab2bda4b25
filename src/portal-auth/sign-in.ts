import { recordAudit, type Actor } from '../audit/index.js';
import { subscriberIdForNumber } from '../numbers/index.js';
import {
  endSession,
  endSessionsOf,
  findSession,
  newSessionToken,
  openSession,
  verifyPassword,
  type SessionTable,
} from '../platform/auth/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
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
import { loginIndex } from './accounts.js';
import type { SubscriberDirectory, SubscriberPrincipal } from './principal.js';

/**
 * The subscriber portal's own sign-in: a subscriber signs in with the contact phone given when
 * applying (or, once active, the videophone number) and a password chosen then. Portal and console
 * sessions are separate cookies with separate lifetimes; a subscriber never holds a staff session.
 */
export interface PortalSignedIn {
  token: string;
  expiresAt: Date;
  subscriber: SubscriberPrincipal;
}

const portalSessions: SessionTable = { table: 'portal_sessions', ownerColumn: 'subscriber_id' };
const portalAccounts: LockableAccounts = { table: 'portal_accounts', keyColumn: 'subscriber_id' };
const portalSources: LockableSources = { table: 'portal_sign_in_failures', keyColumn: 'subscriber_id' };

async function findAccountByLogin(ctx: ServiceContext, login: string, directory: SubscriberDirectory) {
  const trimmed = login.replace(/[\s-]/g, '');
  let subscriberId: string | null = null;
  // A videophone number (digits only, no country prefix) first; else a contact phone.
  if (/^\d{3,15}$/.test(trimmed)) subscriberId = await subscriberIdForNumber(ctx.db, trimmed);
  let query = ctx.db.selectFrom('portal_accounts').selectAll();
  if (subscriberId) query = query.where('subscriber_id', '=', subscriberId);
  else {
    const e164 = directory.contactPhoneE164(trimmed);
    if (e164 === null) return undefined;
    query = query.where('login_index', '=', loginIndex(ctx, e164));
  }
  return query.executeTakeFirst();
}

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
  directory: SubscriberDirectory,
): Promise<Result<PortalSignedIn>> {
  const now = ctx.clock.now();
  const account = await findAccountByLogin(ctx, request.login, directory);
  const source = signInSource(request.ip);
  const actor: Actor = {
    type: account ? 'subscriber' : 'anonymous',
    id: account?.subscriber_id ?? null,
    name: null,
    ip: request.ip,
    userAgent: request.userAgent,
  };
  const audit = (executor: Executor, detail: Record<string, unknown>) =>
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
  const subscriber = await directory.principalOf(ctx.db, account.subscriber_id);
  if (!subscriber) return fail('not_allowed', 'invalid-credentials', 'The phone number or password is wrong');
  const token = newSessionToken();
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
    await openSession(
      trx,
      portalSessions,
      token,
      { ownerId: account.subscriber_id, expiresAt, ip: request.ip, userAgent: request.userAgent },
      now,
    );
    await recordAudit(trx, { at: now, actor, action: 'portal.sign-in', target: { type: 'subscriber', id: account.subscriber_id } });
  });
  return ok({ token, expiresAt, subscriber });
}

export async function portalSignOut(ctx: ServiceContext, token: string): Promise<void> {
  await endSession(ctx.db, portalSessions, token);
}

/** Ends every portal session of a subscriber (termination, password change). */
export async function endPortalSessions(db: Executor, subscriberId: string): Promise<void> {
  await endSessionsOf(db, portalSessions, subscriberId);
}

export async function resolvePortalSession(
  ctx: ServiceContext,
  token: string,
  directory: SubscriberDirectory,
): Promise<SubscriberPrincipal | null> {
  const session = await findSession(ctx.db, portalSessions, token, ctx.clock.now());
  return session ? directory.principalOf(ctx.db, session.ownerId) : null;
}
