import { recordAudit, type Actor } from '../audit/index.js';
import { endSessionsOf, hashPassword, hashSessionToken, newSessionToken } from '../platform/auth/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, ok, type Result } from '../platform/result.js';
import { validateStaffPassword } from './accounts.js';
import { staffSessions } from './sessions.js';

/**
 * Password reset where the person chooses the new password: an administrator issues a one-time link,
 * hands it over out of band, and never sees or sets the password. The link carries 256 random bits;
 * only their SHA-256 is stored (as for sessions), so a copy of the table opens no account. A link
 * works once, until `staffPasswordResetHours` after it was issued, and a newer link for the same
 * person revokes it.
 */
export interface IssuedPasswordReset {
  /** Shown once to the administrator; the page at `/console/reset/<token>` uses it. */
  token: string;
  expiresAt: string;
}

export interface PasswordResetPreview {
  username: string;
  displayName: string;
  expiresAt: string;
}

export interface CompletedPasswordReset {
  username: string;
  /** True when the person has no authenticator yet: the next sign-in enrols one. */
  totpEnrolmentRequired: boolean;
}

export async function issueStaffPasswordReset(ctx: ServiceContext, staffId: string, actor: Actor): Promise<Result<IssuedPasswordReset>> {
  if (!/^[0-9a-f-]{36}$/i.test(staffId)) return fail('not_found', 'not-found', 'No such staff account');
  const now = ctx.clock.now();
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + ctx.settings.staffPasswordResetHours * 3_600_000);
  return ctx.db.transaction().execute(async (trx) => {
    const staff = await trx.selectFrom('staff_accounts').select('id').where('id', '=', staffId).forUpdate().executeTakeFirst();
    if (!staff) return fail<IssuedPasswordReset>('not_found', 'not-found', 'No such staff account');
    // Only the newest link works: one that went astray stops working the moment a new one is issued.
    const revoked = await trx
      .updateTable('staff_password_resets')
      .set({ revoked_at: now })
      .where('staff_id', '=', staffId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    await trx
      .insertInto('staff_password_resets')
      .values({
        staff_id: staffId,
        token_hash: hashSessionToken(token),
        issued_by: actor.type === 'staff' ? actor.id : null,
        issued_at: now,
        expires_at: expiresAt,
        used_at: null,
        revoked_at: null,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'staff.password-reset.issue',
      target: { type: 'staff', id: staffId },
      detail: { expiresAt: expiresAt.toISOString(), revokedEarlierLinks: Number(revoked.numUpdatedRows) },
    });
    return ok({ token, expiresAt: expiresAt.toISOString() });
  });
}

type LinkRow = { id: string; staff_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null };

/** Why a link no longer works, in the order a person would want to hear it. */
function refusalOf<T>(link: LinkRow | undefined, now: Date): Result<T> | null {
  if (!link) return fail('not_found', 'reset-link-unknown', 'This password reset link is not valid');
  if (link.used_at) return fail('conflict', 'reset-link-used', 'This password reset link was already used');
  if (link.revoked_at) return fail('conflict', 'reset-link-revoked', 'A newer password reset link replaced this one');
  if (link.expires_at <= now) return fail('conflict', 'reset-link-expired', 'This password reset link has expired');
  return null;
}

async function findLink(ctx: ServiceContext, token: string): Promise<LinkRow | undefined> {
  return ctx.db
    .selectFrom('staff_password_resets')
    .select(['id', 'staff_id', 'expires_at', 'used_at', 'revoked_at'])
    .where('token_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
}

/** Whose link this is, so the page can greet the person before they choose a password; changes nothing. */
export async function previewStaffPasswordReset(ctx: ServiceContext, token: string): Promise<Result<PasswordResetPreview>> {
  const link = await findLink(ctx, token);
  const refusal = refusalOf<PasswordResetPreview>(link, ctx.clock.now());
  if (refusal || !link) return refusal ?? fail('not_found', 'reset-link-unknown', 'This password reset link is not valid');
  const staff = await ctx.db
    .selectFrom('staff_accounts')
    .select(['username', 'display_name'])
    .where('id', '=', link.staff_id)
    .executeTakeFirstOrThrow();
  return ok({ username: staff.username, displayName: staff.display_name, expiresAt: link.expires_at.toISOString() });
}

/**
 * Sets the password the person chose, uses the link up, lifts a sign-in lock (it was about guesses at
 * the old password) and ends every session of the account, so whoever knew the old password is out.
 */
export async function completeStaffPasswordReset(
  ctx: ServiceContext,
  token: string,
  password: string,
  client: { ip: string | null; userAgent: string | null },
): Promise<Result<CompletedPasswordReset>> {
  const now = ctx.clock.now();
  const link = await findLink(ctx, token);
  const refusal = refusalOf<CompletedPasswordReset>(link, now);
  if (refusal || !link) return refusal ?? fail('not_found', 'reset-link-unknown', 'This password reset link is not valid');
  const errors = validateStaffPassword(password);
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The new password is not valid', { fields: errors });
  // Hashing takes tens of milliseconds: outside the transaction, which then only claims the link.
  const passwordHash = await hashPassword(password);

  return ctx.db.transaction().execute(async (trx) => {
    // The conditions in WHERE make the link single-use even when two requests race.
    const claimed = await trx
      .updateTable('staff_password_resets')
      .set({ used_at: now })
      .where('id', '=', link.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n)
      return fail<CompletedPasswordReset>('conflict', 'reset-link-used', 'This password reset link was already used');
    const staff = await trx
      .updateTable('staff_accounts')
      .set({ password_hash: passwordHash, failed_login_count: 0, locked_until: null, updated_at: now })
      .where('id', '=', link.staff_id)
      .returning(['id', 'username', 'totp_secret_sealed'])
      .executeTakeFirstOrThrow();
    await endSessionsOf(trx, staffSessions, staff.id);
    const actor: Actor = { type: 'staff', id: staff.id, name: staff.username, ip: client.ip, userAgent: client.userAgent };
    await recordAudit(trx, { at: now, actor, action: 'staff.password-reset.complete', target: { type: 'staff', id: staff.id } });
    return ok({ username: staff.username, totpEnrolmentRequired: staff.totp_secret_sealed === null });
  });
}
