import type { Failure, FailureKind } from '../result.js';
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
    ...(failure.fields ? { errors: failure.fields } : {}),
  });
}
