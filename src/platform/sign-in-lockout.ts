import { isIP } from 'node:net';
import { sql } from 'kysely';
import type { Settings } from './config/index.js';
import type { Executor } from './db/index.js';

/**
 * The one lockout rule for every sign-in (staff console and subscriber portal): `threshold`
 * consecutive failures lock the account for `minutes`; a lock that has run out starts the count afresh;
 * a success resets it (the caller's own update). Each module calls this on its own accounts table.
 */
export interface LockoutPolicy {
  threshold: number;
  minutes: number;
}

/**
 * The operator's lockout settings (`staffLockoutThreshold`, `staffLockoutMinutes`): for a console
 * account, and in the portal for one account from one source address.
 */
export function lockoutPolicyOf(settings: Settings): LockoutPolicy {
  return { threshold: settings.staffLockoutThreshold, minutes: settings.staffLockoutMinutes };
}

/**
 * The portal's lock on an account from every address together: far above the per-address threshold,
 * so a stranger at one address locks only that address out, and the whole account locks only under a
 * guessing campaign from many addresses (which the per-account count then caps).
 */
export function accountWideLockoutPolicyOf(settings: Settings): LockoutPolicy {
  return { threshold: settings.portalAccountLockoutThreshold, minutes: settings.staffLockoutMinutes };
}

/**
 * Where a sign-in comes from, as far as lockouts go: an IPv4 address, or the /64 an IPv6 address lies
 * in (one subscriber line or one attacker holds a whole /64, RFC 6177, so single v6 addresses would be
 * free to rotate through).
 */
export function signInSource(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

export interface LockableAccounts {
  table: 'staff_accounts' | 'portal_accounts';
  keyColumn: 'id' | 'subscriber_id';
}

/** Failures per (account, source): one row each, created by the first failure. */
export interface LockableSources {
  table: 'portal_sign_in_failures';
  keyColumn: 'subscriber_id';
}

export function isLocked(lockedUntil: Date | null, now: Date): lockedUntil is Date {
  return lockedUntil !== null && lockedUntil > now;
}

/**
 * Counts one failed sign-in in a single UPDATE, so concurrent wrong passwords are all counted (SET
 * expressions read the row as it was before this statement). Returns the lock's end when this failure
 * locked the account.
 */
export async function countFailedSignIn(
  executor: Executor,
  accounts: LockableAccounts,
  key: string,
  policy: LockoutPolicy,
  now: Date,
): Promise<Date | null> {
  const lockUntil = new Date(now.getTime() + policy.minutes * 60_000);
  const failures = sql`(case when locked_until is not null and locked_until <= ${now} then 1 else failed_login_count + 1 end)`;
  const { rows } = await sql<{ locked_until: Date | null; failed_login_count: number }>`
    update ${sql.table(accounts.table)}
       set failed_login_count = ${failures},
           locked_until = case when ${failures} >= ${policy.threshold} then ${lockUntil}::timestamptz
                               when locked_until is not null and locked_until <= ${now} then null
                               else locked_until end,
           updated_at = ${now}
     where ${sql.ref(accounts.keyColumn)} = ${key}
     returning locked_until, failed_login_count`.execute(executor);
  const row = rows[0];
  return row && row.failed_login_count >= policy.threshold && row.locked_until ? row.locked_until : null;
}

/**
 * Counts one failed sign-in of an account from one source, under the same rule, in a single
 * INSERT … ON CONFLICT DO UPDATE: the first failure creates the row, concurrent ones each add one
 * (the update reads the row as it is when its turn comes). Returns the lock's end when this failure
 * locked the pair.
 */
export async function countFailedSignInFrom(
  executor: Executor,
  sources: LockableSources,
  key: string,
  source: string,
  policy: LockoutPolicy,
  now: Date,
): Promise<Date | null> {
  const lockUntil = new Date(now.getTime() + policy.minutes * 60_000);
  const table = sql.table(sources.table);
  const current = (column: string) => sql`${table}.${sql.ref(column)}`;
  const failures = sql`(case when ${current('locked_until')} is not null and ${current('locked_until')} <= ${now} then 1
                             else ${current('failed_count')} + 1 end)`;
  const { rows } = await sql<{ locked_until: Date | null; failed_count: number }>`
    insert into ${table} (${sql.ref(sources.keyColumn)}, source, failed_count, locked_until, updated_at)
    values (${key}, ${source}, 1, ${1 >= policy.threshold ? lockUntil : null}::timestamptz, ${now})
    on conflict (${sql.ref(sources.keyColumn)}, source) do update
       set failed_count = ${failures},
           locked_until = case when ${failures} >= ${policy.threshold} then ${lockUntil}::timestamptz
                               when ${current('locked_until')} is not null and ${current('locked_until')} <= ${now} then null
                               else ${current('locked_until')} end,
           updated_at = ${now}
    returning locked_until, failed_count`.execute(executor);
  const row = rows[0];
  return row && row.failed_count >= policy.threshold && row.locked_until ? row.locked_until : null;
}
