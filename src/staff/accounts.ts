import type { Selectable, Transaction } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { endSessionsOf } from '../platform/auth/index.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import { hashPassword, minimumPasswordLength } from '../platform/auth/index.js';
import { isRole, type Role } from './permissions.js';
import { staffSessions } from './sessions.js';
import type { StaffAccountsTable } from './tables.js';
import { generateTotpSecret, totpEnrolmentOf, type TotpEnrolment } from './totp.js';

export interface StaffSummary {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  lastLoginAt: string | null;
  /** False after an administrator reset the second factor, until the person enrols a new authenticator. */
  totpEnrolled: boolean;
  createdAt: string;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  password: string;
  roles: string[];
  isDemo?: boolean;
  /** Only for demo data and tests; real accounts always get a fresh secret. */
  totpSecret?: string;
}

export interface CreatedStaffAccount {
  staff: StaffSummary;
  /** Shown once to whoever creates the account, to enrol an authenticator app. */
  totp: TotpEnrolment;
}

const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,31}$/;

export function totpSecretContext(staffId: string): string {
  return `staff_accounts.totp_secret_sealed:${staffId}`;
}

export function validateNewStaff(input: NewStaffAccount): FieldError[] {
  const errors: FieldError[] = [];
  if (!usernamePattern.test(input.username)) {
    errors.push({
      field: 'username',
      message: '3–32 characters: lower-case letters, digits, dot, dash, underscore; starting with a letter or digit',
    });
  }
  if (input.displayName.trim().length === 0 || input.displayName.length > 100) {
    errors.push({ field: 'displayName', message: 'required, at most 100 characters' });
  }
  errors.push(...validateStaffPassword(input.password));
  errors.push(...validateRoles(input.roles));
  return errors;
}

/** The one rule for a staff password, whether an administrator sets it at creation or the person after a reset. */
export function validateStaffPassword(password: string): FieldError[] {
  if (password.length < minimumPasswordLength) {
    return [
      {
        field: 'password',
        message: `at least ${minimumPasswordLength} characters`,
        code: 'too-short',
        params: { limit: minimumPasswordLength },
      },
    ];
  }
  if (password.length > 200) return [{ field: 'password', message: 'at most 200 characters', code: 'too-long', params: { limit: 200 } }];
  return [];
}

function validateRoles(assigned: string[]): FieldError[] {
  if (assigned.length === 0) return [{ field: 'roles', message: 'at least one role' }];
  const unknown = assigned.filter((role) => !isRole(role));
  return unknown.length > 0 ? [{ field: 'roles', message: `unknown role(s): ${unknown.join(', ')}` }] : [];
}

export async function createStaffAccount(ctx: ServiceContext, input: NewStaffAccount, actor: Actor): Promise<Result<CreatedStaffAccount>> {
  const errors = validateNewStaff(input);
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The staff account is not valid', { fields: errors });

  const passwordHash = await hashPassword(input.password);
  const totpSecret = input.totpSecret ?? generateTotpSecret();
  const now = ctx.clock.now();
  const roles = [...new Set(input.roles)] as Role[];

  return ctx.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('staff_accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
      .executeTakeFirst();
    if (taken)
      return fail<CreatedStaffAccount>('conflict', 'conflict', `The user name ${input.username} is taken`, {
        fields: [{ field: 'username', message: 'taken', code: 'taken' }],
      });

    const inserted = await trx
      .insertInto('staff_accounts')
      .values({
        username: input.username,
        display_name: input.displayName.trim(),
        password_hash: passwordHash,
        totp_secret_sealed: 'pending',
        totp_last_step: null,
        status: 'active',
        locked_until: null,
        last_login_at: null,
        is_demo: input.isDemo ?? false,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The id is part of the cipher context, so the secret is sealed once the row exists.
    await trx
      .updateTable('staff_accounts')
      .set({ totp_secret_sealed: ctx.cipher.seal(totpSecret, totpSecretContext(inserted.id)) })
      .where('id', '=', inserted.id)
      .execute();
    await trx
      .insertInto('staff_roles')
      .values(roles.map((role) => ({ staff_id: inserted.id, role })))
      .execute();

    const staff = toSummary(inserted, roles);
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'staff.create',
      target: { type: 'staff', id: staff.id },
      after: { username: staff.username, displayName: staff.displayName, roles },
    });
    await appendEvent(trx, { type: 'staff.created', aggregateType: 'staff', aggregateId: staff.id, payload: { roles }, occurredAt: now });
    return ok({ staff, totp: await totpEnrolmentOf(totpSecret, staff.username) });
  });
}

export async function listStaff(ctx: ServiceContext): Promise<StaffSummary[]> {
  const rows = await ctx.db.selectFrom('staff_accounts').selectAll().orderBy('username').execute();
  const roleRows = await ctx.db.selectFrom('staff_roles').selectAll().execute();
  return rows.map((row) =>
    toSummary(
      row,
      roleRows.filter((r) => r.staff_id === row.id).map((r) => r.role as Role),
    ),
  );
}

export async function findStaffIdByUsername(ctx: ServiceContext, username: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('staff_accounts')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function setStaffRoles(ctx: ServiceContext, staffId: string, assigned: string[], actor: Actor): Promise<Result<StaffSummary>> {
  const errors = validateRoles(assigned);
  if (errors.length > 0) return fail('invalid', 'invalid-request', 'The roles are not valid', { fields: errors });
  const roles = [...new Set(assigned)] as Role[];
  const guard = roles.includes('administrator')
    ? undefined
    : administratorGuard(actor, 'Administrators cannot remove their own administrator role');
  return changeAccount(ctx, staffId, actor, 'staff.roles.change', guard, async (trx, before) => {
    await trx.deleteFrom('staff_roles').where('staff_id', '=', staffId).execute();
    await trx
      .insertInto('staff_roles')
      .values(roles.map((role) => ({ staff_id: staffId, role })))
      .execute();
    return { before: { roles: before.roles }, after: { roles } };
  });
}

export async function unlockStaff(ctx: ServiceContext, staffId: string, actor: Actor): Promise<Result<StaffSummary>> {
  return changeAccount(ctx, staffId, actor, 'staff.unlock', undefined, async (trx, before) => {
    await trx
      .updateTable('staff_accounts')
      .set({ failed_login_count: 0, locked_until: null, updated_at: ctx.clock.now() })
      .where('id', '=', staffId)
      .execute();
    return { before: { lockedUntil: before.lockedUntil }, after: { lockedUntil: null } };
  });
}

export async function setStaffStatus(
  ctx: ServiceContext,
  staffId: string,
  status: 'active' | 'disabled',
  actor: Actor,
): Promise<Result<StaffSummary>> {
  const disabling = status === 'disabled';
  const guard = disabling ? administratorGuard(actor, 'You cannot disable your own account') : undefined;
  return changeAccount(ctx, staffId, actor, disabling ? 'staff.disable' : 'staff.enable', guard, async (trx, before) => {
    await trx.updateTable('staff_accounts').set({ status, updated_at: ctx.clock.now() }).where('id', '=', staffId).execute();
    // A disabled member is signed out everywhere at once.
    if (disabling) await endSessionsOf(trx, staffSessions, staffId);
    return { before: { status: before.status }, after: { status } };
  });
}

/**
 * Forgets a person's second factor (a lost phone): their sessions end, and the next sign-in after the
 * password enrols a new authenticator (sign-in.ts). Whoever knows the password then chooses the
 * authenticator, so when the password may be known too, issue a password reset link as well.
 */
export async function resetStaffTotp(ctx: ServiceContext, staffId: string, actor: Actor): Promise<Result<StaffSummary>> {
  return changeAccount(ctx, staffId, actor, 'staff.totp.reset', undefined, async (trx, before) => {
    await trx
      .updateTable('staff_accounts')
      .set({ totp_secret_sealed: null, totp_pending_secret_sealed: null, totp_last_step: null, updated_at: ctx.clock.now() })
      .where('id', '=', staffId)
      .execute();
    await endSessionsOf(trx, staffSessions, staffId);
    return { before: { totpEnrolled: before.totpEnrolled }, after: { totpEnrolled: false } };
  });
}

/** A check on the account as it is, with the rows of the active administrators locked (see below). */
type AccountGuard = (before: StaffSummary, activeAdministratorIds: readonly string[]) => Result<void>;

/**
 * Someone must always be able to administer staff: the last active administrator can be neither
 * disabled nor stripped of the role, not even by themselves.
 */
const lastAdministratorGuard: AccountGuard = (before, activeAdministratorIds) => {
  if (before.status !== 'active' || !before.roles.includes('administrator')) return ok(undefined);
  if (activeAdministratorIds.some((id) => id !== before.id)) return ok(undefined);
  return fail('conflict', 'last-administrator', 'This is the last active administrator; make someone else an administrator first');
};

/** The last-administrator rule first (its answer says more), then no administrator locks themselves out. */
function administratorGuard(actor: Actor, selfMessage: string): AccountGuard {
  return (before, activeAdministratorIds) => {
    const last = lastAdministratorGuard(before, activeAdministratorIds);
    if (!last.ok) return last;
    if (actor.id === before.id) return fail('not_allowed', 'forbidden', selfMessage);
    return ok(undefined);
  };
}

/**
 * Locks the rows of every active administrator, in id order so that two guarded changes never
 * deadlock, and returns their ids: two administrators demoting each other at the same moment are
 * serialised here, and the second sees that the first is gone.
 */
async function lockActiveAdministrators(trx: Transaction<Database>): Promise<string[]> {
  const rows = await trx
    .selectFrom('staff_accounts')
    .select('id')
    .where('status', '=', 'active')
    .where('id', 'in', trx.selectFrom('staff_roles').select('staff_id').where('role', '=', 'administrator'))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((row) => row.id);
}

async function changeAccount(
  ctx: ServiceContext,
  staffId: string,
  actor: Actor,
  action: string,
  guard: AccountGuard | undefined,
  change: (trx: Transaction<Database>, before: StaffSummary) => Promise<{ before: unknown; after: unknown }>,
): Promise<Result<StaffSummary>> {
  if (!/^[0-9a-f-]{36}$/i.test(staffId)) return fail('not_found', 'not-found', 'No such staff account');
  return ctx.db.transaction().execute(async (trx) => {
    const activeAdministratorIds = guard ? await lockActiveAdministrators(trx) : [];
    const row = await trx.selectFrom('staff_accounts').selectAll().where('id', '=', staffId).forUpdate().executeTakeFirst();
    if (!row) return fail<StaffSummary>('not_found', 'not-found', 'No such staff account');
    const roleRows = await trx.selectFrom('staff_roles').select('role').where('staff_id', '=', staffId).execute();
    const before = toSummary(
      row,
      roleRows.map((r) => r.role as Role),
    );
    const allowed = guard ? guard(before, activeAdministratorIds) : ok(undefined);
    if (!allowed.ok) return fail<StaffSummary>(allowed.failure.kind, allowed.failure.code, allowed.failure.message);
    const diff = await change(trx, before);
    const updated = await trx.selectFrom('staff_accounts').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();
    const updatedRoles = await trx.selectFrom('staff_roles').select('role').where('staff_id', '=', staffId).execute();
    await recordAudit(trx, {
      at: ctx.clock.now(),
      actor,
      action,
      target: { type: 'staff', id: staffId },
      before: diff.before,
      after: diff.after,
    });
    return ok(
      toSummary(
        updated,
        updatedRoles.map((r) => r.role as Role),
      ),
    );
  });
}

export function toSummary(row: Selectable<StaffAccountsTable>, roles: Role[]): StaffSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: [...roles].sort(),
    status: row.status,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    totpEnrolled: row.totp_secret_sealed !== null,
    createdAt: row.created_at.toISOString(),
  };
}
