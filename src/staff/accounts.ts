import type { Selectable, Transaction } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import { hashPassword, minimumPasswordLength } from '../platform/auth/index.js';
import { isRole, type Role } from './permissions.js';
import type { StaffAccountsTable } from './tables.js';
import { generateTotpSecret, totpEnrolmentUri } from './totp.js';

export interface StaffSummary {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  lastLoginAt: string | null;
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
  totp: { secret: string; uri: string };
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
  if (input.password.length < minimumPasswordLength || input.password.length > 200) {
    errors.push({ field: 'password', message: `at least ${minimumPasswordLength} characters` });
  }
  errors.push(...validateRoles(input.roles));
  return errors;
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
    return ok({ staff, totp: { secret: totpSecret, uri: totpEnrolmentUri(totpSecret, staff.username) } });
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
  if (actor.id === staffId && !assigned.includes('administrator')) {
    return fail('not_allowed', 'forbidden', 'Administrators cannot remove their own administrator role');
  }
  const roles = [...new Set(assigned)] as Role[];
  return changeAccount(ctx, staffId, actor, 'staff.roles.change', async (trx, before) => {
    await trx.deleteFrom('staff_roles').where('staff_id', '=', staffId).execute();
    await trx
      .insertInto('staff_roles')
      .values(roles.map((role) => ({ staff_id: staffId, role })))
      .execute();
    return { before: { roles: before.roles }, after: { roles } };
  });
}

export async function unlockStaff(ctx: ServiceContext, staffId: string, actor: Actor): Promise<Result<StaffSummary>> {
  return changeAccount(ctx, staffId, actor, 'staff.unlock', async (trx, before) => {
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
  if (status === 'disabled' && actor.id === staffId) return fail('not_allowed', 'forbidden', 'You cannot disable your own account');
  return changeAccount(ctx, staffId, actor, status === 'disabled' ? 'staff.disable' : 'staff.enable', async (trx, before) => {
    await trx.updateTable('staff_accounts').set({ status, updated_at: ctx.clock.now() }).where('id', '=', staffId).execute();
    // A disabled member is signed out everywhere at once.
    if (status === 'disabled') await trx.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
    return { before: { status: before.status }, after: { status } };
  });
}

async function changeAccount(
  ctx: ServiceContext,
  staffId: string,
  actor: Actor,
  action: string,
  change: (trx: Transaction<Database>, before: StaffSummary) => Promise<{ before: unknown; after: unknown }>,
): Promise<Result<StaffSummary>> {
  if (!/^[0-9a-f-]{36}$/i.test(staffId)) return fail('not_found', 'not-found', 'No such staff account');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('staff_accounts').selectAll().where('id', '=', staffId).forUpdate().executeTakeFirst();
    if (!row) return fail<StaffSummary>('not_found', 'not-found', 'No such staff account');
    const roleRows = await trx.selectFrom('staff_roles').select('role').where('staff_id', '=', staffId).execute();
    const before = toSummary(
      row,
      roleRows.map((r) => r.role as Role),
    );
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

function toSummary(row: Selectable<StaffAccountsTable>, roles: Role[]): StaffSummary {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: [...roles].sort(),
    status: row.status,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
