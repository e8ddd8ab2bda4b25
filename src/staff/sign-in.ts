import { recordAudit, type Actor } from '../audit/index.js';
import {
  endSession,
  expireSessions,
  findSession,
  newSessionToken,
  openSession,
  touchSession,
  verifyPassword,
} from '../platform/auth/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { countFailedSignIn, isLocked, lockoutPolicyOf, type LockableAccounts } from '../platform/sign-in-lockout.js';
import type { Selectable } from 'kysely';
import { totpSecretContext } from './accounts.js';
import { permissionsOf, type Permission, type Role } from './permissions.js';
import { staffSessions } from './sessions.js';
import type { StaffAccountsTable } from './tables.js';
import { generateTotpSecret, matchTotpStep, totpEnrolmentOf } from './totp.js';

/** The signed-in staff member as every back-office route sees it. */
export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  permissions: Permission[];
}

export interface SignInRequest {
  username: string;
  password: string;
  totpCode?: string | undefined;
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  /** The session token for the cookie; only its hash is stored. */
  token: string;
  expiresAt: Date;
  staff: StaffPrincipal;
}

const TOUCH_INTERVAL_MS = 60_000;

const staffAccounts: LockableAccounts = { table: 'staff_accounts', keyColumn: 'id' };

/**
 * Password, then the TOTP code. An account without an authenticator (new after a reset) is answered
 * `totp-enrolment-required` with a secret and its QR code instead of `totp-required`; the first valid
 * code from that secret enrols it and signs in, so no one is ever signed in on the password alone. Every refusal is audited; `staffLockoutThreshold` consecutive failures
 * (wrong password or wrong code) lock the account for `staffLockoutMinutes`. A right password without
 * a code answers `totp-required` and counts as nothing, so the form can ask for the code.
 */
export async function signIn(ctx: ServiceContext, request: SignInRequest): Promise<Result<SignedIn>> {
  const now = ctx.clock.now();
  const account = await ctx.db
    .selectFrom('staff_accounts')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', request.username.toLowerCase()))
    .executeTakeFirst();
  const actor: Actor = {
    type: account ? 'staff' : 'anonymous',
    id: account?.id ?? null,
    name: account?.username ?? request.username.slice(0, 64),
    ip: request.ip,
    userAgent: request.userAgent,
  };
  const refuse = async (reason: string, countsAsFailure: boolean) => {
    await ctx.db.transaction().execute(async (trx) => {
      const lockedUntil =
        account && countsAsFailure ? await countFailedSignIn(trx, staffAccounts, account.id, lockoutPolicyOf(ctx.settings), now) : null;
      await recordAudit(trx, {
        at: now,
        actor,
        action: 'staff.sign-in',
        target: account ? { type: 'staff', id: account.id } : null,
        outcome: 'failure',
        detail: { reason, ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
      });
    });
  };

  if (account && isLocked(account.locked_until, now)) {
    await refuse('account-locked', false);
    return fail(
      'not_allowed',
      'account-locked',
      'Too many failed sign-ins; try again later or ask an administrator to unlock the account',
      {
        extra: { lockedUntil: account.locked_until.toISOString() },
      },
    );
  }
  const passwordMatches = await verifyPassword(account?.password_hash ?? null, request.password);
  if (!account || !passwordMatches) {
    await refuse(account ? 'wrong-password' : 'unknown-user', true);
    return fail('not_allowed', 'invalid-credentials', 'The user name or password is wrong');
  }
  if (account.status !== 'active') {
    await refuse('account-disabled', false);
    return fail('not_allowed', 'account-disabled', 'This account is disabled');
  }
  const enrolling = account.totp_secret_sealed === null;
  const secret =
    account.totp_secret_sealed === null
      ? await pendingTotpSecret(ctx, account)
      : ctx.cipher.open(account.totp_secret_sealed, totpSecretContext(account.id));
  if (!request.totpCode) {
    if (enrolling) {
      return fail('not_allowed', 'totp-enrolment-required', 'Scan the QR code with an authenticator app, then enter its 6-digit code', {
        extra: { enrolment: await totpEnrolmentOf(secret, account.username) },
      });
    }
    return fail('not_allowed', 'totp-required', 'Enter the 6-digit code from your authenticator app');
  }
  const step = matchTotpStep(secret, request.totpCode, now);
  if (step === null || (account.totp_last_step !== null && step <= account.totp_last_step)) {
    await refuse(step === null ? 'wrong-totp' : 'replayed-totp', true);
    return fail('not_allowed', 'invalid-totp', 'The code is wrong or was already used');
  }

  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + ctx.settings.staffSessionMaxHours * 3_600_000);
  await ctx.db.transaction().execute(async (trx) => {
    // The step guard in WHERE makes a code usable once even when two requests race.
    // Enrolment: the code proved the app holds the offered secret, which now becomes the account's.
    const enrolment = enrolling
      ? { totp_secret_sealed: ctx.cipher.seal(secret, totpSecretContext(account.id)), totp_pending_secret_sealed: null }
      : {};
    const claimed = await trx
      .updateTable('staff_accounts')
      .set({ failed_login_count: 0, locked_until: null, last_login_at: now, totp_last_step: step, updated_at: now, ...enrolment })
      .where('id', '=', account.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .where((eb) => (enrolling ? eb('totp_secret_sealed', 'is', null) : eb.lit(true)))
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) throw new Error('one-time code raced with another sign-in');
    if (enrolling) await recordAudit(trx, { at: now, actor, action: 'staff.totp.enrol', target: { type: 'staff', id: account.id } });
    await openSession(trx, staffSessions, token, { ownerId: account.id, expiresAt, ip: request.ip, userAgent: request.userAgent }, now);
    await recordAudit(trx, { at: now, actor, action: 'staff.sign-in', target: { type: 'staff', id: account.id } });
  });
  const staff = await loadPrincipal(ctx, account.id);
  if (!staff) throw new Error('staff account vanished during sign-in');
  return ok({ token, expiresAt, staff });
}

function pendingSecretContext(staffId: string): string {
  return `staff_accounts.totp_pending_secret_sealed:${staffId}`;
}

/**
 * The secret offered for enrolment: the same one on every attempt until it is enrolled (so a QR code
 * scanned before a mistyped code stays good), created on the first. Only reached after the password.
 */
async function pendingTotpSecret(ctx: ServiceContext, account: Selectable<StaffAccountsTable>): Promise<string> {
  if (account.totp_pending_secret_sealed) return ctx.cipher.open(account.totp_pending_secret_sealed, pendingSecretContext(account.id));
  const secret = generateTotpSecret();
  // Two first attempts at once: the first secret stored wins and both answer with it.
  await ctx.db
    .updateTable('staff_accounts')
    .set({ totp_pending_secret_sealed: ctx.cipher.seal(secret, pendingSecretContext(account.id)) })
    .where('id', '=', account.id)
    .where('totp_pending_secret_sealed', 'is', null)
    .execute();
  const stored = await ctx.db
    .selectFrom('staff_accounts')
    .select('totp_pending_secret_sealed')
    .where('id', '=', account.id)
    .executeTakeFirstOrThrow();
  return stored.totp_pending_secret_sealed ? ctx.cipher.open(stored.totp_pending_secret_sealed, pendingSecretContext(account.id)) : secret;
}

export async function signOut(ctx: ServiceContext, token: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const staffId = await endSession(trx, staffSessions, token);
    if (staffId) await recordAudit(trx, { at: ctx.clock.now(), actor, action: 'staff.sign-out', target: { type: 'staff', id: staffId } });
  });
}

/** The principal behind a session cookie, or null when the session is unknown, expired, idle too long, or the account is disabled. */
export async function resolveSession(ctx: ServiceContext, token: string): Promise<StaffPrincipal | null> {
  const now = ctx.clock.now();
  const idleLimit = new Date(now.getTime() - ctx.settings.staffSessionIdleMinutes * 60_000);
  const session = await findSession(ctx.db, staffSessions, token, now, idleLimit);
  if (!session) return null;
  const staff = await loadPrincipal(ctx, session.ownerId);
  if (!staff) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await touchSession(ctx.db, staffSessions, token, now);
  return staff;
}

/** The principal of an active account; null for a disabled one, whose sessions then stop working. */
async function loadPrincipal(ctx: ServiceContext, staffId: string): Promise<StaffPrincipal | null> {
  const account = await ctx.db
    .selectFrom('staff_accounts')
    .select(['id', 'username', 'display_name'])
    .where('id', '=', staffId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!account) return null;
  const roleRows = await ctx.db.selectFrom('staff_roles').select('role').where('staff_id', '=', staffId).orderBy('role').execute();
  const roles = roleRows.map((r) => r.role as Role);
  return { id: account.id, username: account.username, displayName: account.display_name, roles, permissions: permissionsOf(roles) };
}

/** Deletes sessions that had expired (absolutely or by idleness) at `instant`. */
export function expireStaffSessionsJob(ctx: ServiceContext): TimeDrivenJob {
  return {
    name: 'staff.expire-sessions',
    intervalSeconds: 300,
    async advanceTo(instant) {
      const idleLimit = new Date(instant.getTime() - ctx.settings.staffSessionIdleMinutes * 60_000);
      return { deleted: await expireSessions(ctx.db, staffSessions, instant, idleLimit) };
    },
  };
}
