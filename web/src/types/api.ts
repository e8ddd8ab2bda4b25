// Shapes of the HTTP API as the server documents them; shared by every feature that talks to it.
// `api-schema.d.ts` is generated from the server's OpenAPI document (`npm run generate:api-types`);
// the aliases here only give its types readable names.
import type { components, paths } from './api-schema';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** The methods a path answers (the generated `paths` marks the others `?: never`). */
export type ApiMethod<Path extends keyof paths> = {
  [M in Method]: paths[Path][M] extends undefined ? never : M;
}[Method];

type Operation<Path extends keyof paths, M extends ApiMethod<Path>> = NonNullable<paths[Path][M]>;

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body of a route's success answer: 200, or 201 for routes that only create. */
export type ApiResponse<Path extends keyof paths, M extends ApiMethod<Path> = ApiMethod<Path> & 'get'> = Operation<
  Path,
  M
>['responses'] extends infer Responses
  ? Responses extends { 200: infer Ok }
    ? Json<Ok>
    : Responses extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;

/** The JSON request body a route accepts. */
export type ApiBody<Path extends keyof paths, M extends ApiMethod<Path>> = Json<NonNullable<Operation<Path, M>['requestBody']>>;

/** The console's list and add form show roles in this order; the record makes the compiler check it against the server's roles. */
const staffRoleOrder: Record<StaffRole, true> = {
  administrator: true,
  verification_reviewer: true,
  billing_clerk: true,
  billing_supervisor: true,
  support_agent: true,
  technician: true,
  legal_officer: true,
  auditor: true,
};

export type StaffRole = ApiBody<'/api/console/staff', 'post'>['roles'][number];

export const staffRoles = Object.keys(staffRoleOrder) as StaffRole[];

export function isStaffRole(role: string): role is StaffRole {
  return Object.hasOwn(staffRoleOrder, role);
}

/**
 * The signed-in staff member, as returned by login and by the session endpoint. Roles and permissions
 * are plain strings: the server may grow them before this build knows their names.
 */
export type Staff = ApiResponse<'/api/auth/staff/session'>['staff'];

/** This month's fees against the credit limit (clause 9), as the portal and the console both show it. */
export type CreditGauge = ApiResponse<'/api/console/charging/subscribers/{id}'>['gauge'];

const problemCodes = [
  'invalid-credentials',
  'totp-required',
  'invalid-totp',
  'account-locked',
  'account-disabled',
  'unauthenticated',
  'forbidden',
  'invalid-request',
  'conflict',
  'not-found',
  'internal',
  // Rarer answers from the server's catalog, translated too so no refusal reaches the user in English only.
  'malformed-json',
  'method-not-allowed',
  'payload-too-large',
  'unsupported-media-type',
  'too-many-requests',
  'provider-failed',
  'unavailable',
  'database-unavailable',
  'objection-window-closed',
  'cross-site-request',
  'idempotency-key-reused',
  'backdate-not-permitted',
  'licence-not-accepted',
  'licence-version-not-current',
  'warranty-ended',
  'totp-enrolment-required',
  'last-administrator',
  'reset-link-unknown',
  'reset-link-used',
  'reset-link-revoked',
  'reset-link-expired',
  'catalogue-version-frozen',
] as const;

export type ProblemCode = (typeof problemCodes)[number];

export function isProblemCode(code: string): code is ProblemCode {
  return (problemCodes as readonly string[]).includes(code);
}

/** RFC 9457 problem details, with the server's machine-readable `code` (the server's `Problem` schema). */
export type Problem = components['schemas']['Problem'] & {
  /** Only on `account-locked`. */
  lockedUntil?: string;
  /** Only on `totp-enrolment-required`: what the person scans or types into an authenticator app. */
  enrolment?: TotpEnrolment;
};

/** An authenticator enrolment as the server offers it: the secret, its otpauth URI, and the URI as a QR image. */
export type TotpEnrolment = ApiResponse<'/api/console/staff', 'post'>['totp'];
