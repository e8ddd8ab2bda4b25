import { isDatabaseUnavailable } from '../db/index.js';
import type { Failure, FailureKind } from '../result.js';
import { fieldErrorsOfFailure } from './field-errors.js';
import { isProblemCode, ProblemError, type ProblemCode } from './problems.js';

const problemForKind: Record<FailureKind, ProblemCode> = {
  not_found: 'not-found',
  invalid: 'invalid-request',
  not_allowed: 'forbidden',
  conflict: 'conflict',
  provider_failed: 'provider-failed',
};

/** The one place where a domain failure becomes an HTTP problem. */
export function failureToProblem(failure: Failure): ProblemError {
  const code = isProblemCode(failure.code) ? failure.code : problemForKind[failure.kind];
  return new ProblemError(code, failure.message, {
    ...failure.extra,
    ...(failure.fields ? { errors: fieldErrorsOfFailure(failure.fields) } : {}),
  });
}

/** Seconds a client is asked to wait (Retry-After) when the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place where an outage of the database becomes an HTTP problem: 503 with Retry-After,
 * not a 500 that reads like a bug. Null when `error` is something else.
 */
export function databaseOutageToProblem(error: unknown): ProblemError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return new ProblemError('database-unavailable', 'The database is not reachable right now. Try again in a few seconds.', {
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });
}
