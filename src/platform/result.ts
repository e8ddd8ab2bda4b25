/**
 * Expected failures are values, bugs are thrown (STYLE.md). A business operation returns a Result
 * whose failure is one of a small set of kinds; the HTTP layer maps kinds to problems in one place.
 */
import type { FieldErrorCode } from './field-error-codes.js';

export type FailureKind = 'not_found' | 'invalid' | 'not_allowed' | 'conflict' | 'provider_failed';

export interface FieldError {
  /** The field's name in the request body (`contact.phone`), or a JSON Pointer (`/query/limit`). */
  field: string;
  /** English, for machines and logs. */
  message: string;
  /** What a client translates for a person (`src/platform/http/field-errors.ts`); `invalid` when absent. */
  code?: FieldErrorCode;
  params?: Record<string, string | number>;
}

export interface Failure {
  kind: FailureKind;
  /** A stable machine-readable code, e.g. `invalid-credentials`; must exist in the problem catalog. */
  code: string;
  message: string;
  fields?: FieldError[];
  /** Extra members for the problem body (e.g. `lockedUntil`). */
  extra?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  kind: FailureKind,
  code: string,
  message: string,
  more: Partial<Pick<Failure, 'fields' | 'extra'>> = {},
): Result<T> {
  return { ok: false, failure: { kind, code, message, ...more } };
}
