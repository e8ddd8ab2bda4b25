import type { ProblemFieldError } from './field-errors.js';

/**
 * The error catalog: every problem the HTTP API can answer, with its status and title. Responses are
 * RFC 9457 problem details (`application/problem+json`); `type` points at this catalog's own entry.
 */
export const problemCatalog = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Sign-in is required' },
  'invalid-credentials': { status: 401, title: 'The user name or password is wrong' },
  'totp-required': { status: 401, title: 'A one-time code is required' },
  'invalid-totp': { status: 401, title: 'The one-time code is wrong or expired' },
  'totp-enrolment-required': { status: 401, title: 'An authenticator app must be enrolled' },
  forbidden: { status: 403, title: 'You do not have permission for this' },
  'account-disabled': { status: 403, title: 'This account is disabled' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body has an unsupported media type' },
  'account-locked': { status: 423, title: 'This account is locked after too many failed sign-ins' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  'provider-failed': { status: 502, title: 'An external provider failed' },
  unavailable: { status: 503, title: 'The service is not available' },
  'database-unavailable': { status: 503, title: 'The database is not available; try again shortly' },
  'objection-window-closed': { status: 409, title: 'The window to object to this agreement change has closed' },
  'invalid-signature': { status: 401, title: 'The signature is missing, wrong or too old' },
  'cross-site-request': { status: 403, title: 'Changes cannot be requested from another site' },
  'idempotency-key-reused': { status: 409, title: 'This idempotency key was already used for a different request' },
  'warranty-ended': { status: 409, title: 'The warranty has ended: a claim must be made within it' },
  'catalogue-version-frozen': {
    status: 409,
    title: 'This catalogue version has taken effect or is in use: it cannot be changed or withdrawn; publish a new version instead',
  },
  'backdate-not-permitted': { status: 403, title: 'Dating a payment this far back needs the permission payments.backdate' },
  'licence-not-accepted': { status: 403, title: 'The current client software licence has not been accepted on this device' },
  'licence-version-not-current': { status: 409, title: 'This is not the client software licence version in force' },
  'last-administrator': { status: 409, title: 'The last active administrator cannot be disabled or lose the role' },
  'reset-link-unknown': { status: 404, title: 'This password reset link is not valid' },
  'reset-link-used': { status: 410, title: 'This password reset link was already used' },
  'reset-link-revoked': { status: 410, title: 'A newer password reset link replaced this one' },
  'reset-link-expired': { status: 410, title: 'This password reset link has expired' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalog;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export function problemTypeUri(code: ProblemCode): string {
  return `/api/problems/${code}`;
}

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(problemCatalog, code);
}

export function problem(code: ProblemCode, detail?: string, extension: Record<string, unknown> = {}): ProblemBody {
  const entry = problemCatalog[code];
  return {
    ...extension,
    type: problemTypeUri(code),
    title: entry.title,
    status: entry.status,
    code,
    ...(detail ? { detail } : {}),
  };
}

/** Thrown by route handlers and hooks for an expected refusal; the error handler renders it. */
export class ProblemError extends Error {
  readonly body: ProblemBody;
  constructor(code: ProblemCode, detail?: string, extension: Record<string, unknown> = {}) {
    super(detail ?? problemCatalog[code].title);
    this.name = 'ProblemError';
    this.body = problem(code, detail, extension);
  }
}
