// Shapes of the HTTP API as the server documents them; shared by every feature that talks to it.

export const staffRoles = [
  'administrator',
  'verification_reviewer',
  'billing_clerk',
  'support_agent',
  'technician',
  'legal_officer',
  'auditor',
] as const;

export type StaffRole = (typeof staffRoles)[number];

export function isStaffRole(role: string): role is StaffRole {
  return (staffRoles as readonly string[]).includes(role);
}

/** The signed-in staff member, as returned by login and by the session endpoint. */
export type Staff = {
  id: string;
  username: string;
  displayName: string;
  // Plain strings: the server may grow roles and permissions before this build knows their names.
  roles: string[];
  permissions: string[];
};

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
  'objection-window-closed',
] as const;

export type ProblemCode = (typeof problemCodes)[number];

export function isProblemCode(code: string): code is ProblemCode {
  return (problemCodes as readonly string[]).includes(code);
}

/** RFC 9457 problem details, with the server's machine-readable `code`. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: { field: string; message: string }[];
  /** Only on `account-locked`. */
  lockedUntil?: string;
};
