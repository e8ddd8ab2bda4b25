import { sql } from 'kysely';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { fail, type FieldError, type Result } from '../platform/result.js';
import { startOfLocalDay, type LocalDate } from '../platform/zoned-calendar.js';

/**
 * What every dated part of the catalogue (plan versions, credit-limit choices, terminal prices) shares:
 * a change takes effect at 00:00 of a local date in the operator's zone, never in the past; once it
 * has taken effect it is frozen, and until then it may be withdrawn.
 */
export type VersionStatus = 'scheduled' | 'in-effect' | 'ended';

export function versionStatus(window: { validFrom: Date; validTo: Date | null }, now: Date): VersionStatus {
  if (window.validFrom.getTime() > now.getTime()) return 'scheduled';
  return window.validTo === null || window.validTo.getTime() > now.getTime() ? 'in-effect' : 'ended';
}

/** Whether a version has begun: from then on subscribers may have agreed to it and bills quote it. */
export function hasTakenEffect(window: { validFrom: Date }, now: Date): boolean {
  return window.validFrom.getTime() <= now.getTime();
}

/** 00:00 of `date` in the operator's zone: the instant a change scheduled for that date takes effect. */
export function startOfEffectiveDate(ctx: Pick<ServiceContext, 'settings'>, date: LocalDate): Date {
  return startOfLocalDay(date, ctx.settings.timeZone);
}

/** Published terms never take effect in the past: an instant before now is refused on `field`. */
export function notInThePast(instant: Date, now: Date, field: string): FieldError[] {
  return instant.getTime() < now.getTime() ? [{ field, message: 'must not be in the past', code: 'in-the-past' }] : [];
}

/** The refusal for a version that has taken effect or is referenced (409, its own problem code). */
export function frozen<T>(what: string): Result<T> {
  return fail<T>(
    'conflict',
    'catalogue-version-frozen',
    `${what} has taken effect or is in use: it cannot be changed or withdrawn; publish a new version instead`,
  );
}

/**
 * Lets this transaction move the end of a plan version that already has one (the plans trigger
 * refuses it otherwise): done only when a version is scheduled between two others or withdrawn.
 */
export async function allowRescheduling(executor: Executor): Promise<void> {
  await sql`select set_config('catalog.reschedule', 'on', true)`.execute(executor);
}

/** Both engines report a foreign key violation as SQLSTATE 23503: another module's row references this one. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23503';
}
