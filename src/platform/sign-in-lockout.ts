import { sql } from 'kysely';
import type { Settings } from './config/settings.js';
import type { Executor } from './db/executor.js';

/**
 * The one lockout rule for every sign-in (staff console and subscriber portal): `threshold`
 * consecutive failures lock the account for `minutes`; a lock that has run out starts the count afresh;
 * a success resets it (the caller's own update). Each module calls this on its own accounts table.
 */
export interface LockoutPolicy {
  threshold: number;
  minutes: number;
}

/** The operator's lockout settings (`staffLockoutThreshold`, `staffLockoutMinutes`), which hold for the portal too. */
export function lockoutPolicyOf(settings: Settings): LockoutPolicy {
  return { threshold: settings.staffLockoutThreshold, minutes: settings.staffLockoutMinutes };
}

export interface LockableAccounts {
  table: 'staff_accounts' | 'portal_accounts';
  keyColumn: 'id' | 'subscriber_id';
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
