import { postJson, putJson } from '../../lib/api-client';
import type { ApiBody, ApiResponse, StaffRole } from '../../types/api';

export type StaffMember = ApiResponse<'/api/console/staff'>['items'][number];

export type NewStaffMember = ApiBody<'/api/console/staff', 'post'>;

export type CreatedStaffMember = ApiResponse<'/api/console/staff', 'post'>;

export type StaffAction = 'unlock' | 'disable' | 'enable' | 'totp-reset';

export type IssuedPasswordReset = ApiResponse<'/api/console/staff/{id}/password-reset', 'post'>;

export type PasswordResetPreview = ApiResponse<'/api/auth/staff/password-reset/preview', 'post'>;

export type CompletedPasswordReset = ApiResponse<'/api/auth/staff/password-reset', 'post'>;

export const staffListPath = '/api/console/staff';

export function createStaffMember(member: NewStaffMember): Promise<CreatedStaffMember> {
  return postJson<CreatedStaffMember>(staffListPath, member);
}

const memberPath = (id: string) => `${staffListPath}/${encodeURIComponent(id)}`;

// The answer carries the updated member, but the page re-reads the list anyway so that it also shows what
// other administrators changed meanwhile.
export async function applyStaffAction(id: string, action: StaffAction): Promise<void> {
  await postJson<{ staff: StaffMember }>(`${memberPath(id)}/${action}`, {});
}

export async function setStaffRoles(id: string, roles: StaffRole[]): Promise<void> {
  await putJson<{ staff: StaffMember }>(`${memberPath(id)}/roles`, { roles });
}

export function issuePasswordReset(id: string): Promise<IssuedPasswordReset> {
  return postJson<IssuedPasswordReset>(`${memberPath(id)}/password-reset`, {});
}

/** The address the person opens; only this page ever shows the token, once. */
export function passwordResetUrl(token: string): string {
  return `${window.location.origin}/console/reset/${encodeURIComponent(token)}`;
}

// The token travels in request bodies, never in an API URL, so it stays out of request logs.
export function previewPasswordReset(token: string): Promise<PasswordResetPreview> {
  return postJson<PasswordResetPreview>('/api/auth/staff/password-reset/preview', { token });
}

export function completePasswordReset(token: string, password: string): Promise<CompletedPasswordReset> {
  return postJson<CompletedPasswordReset>('/api/auth/staff/password-reset', { token, password });
}

/** A lock whose time has passed no longer blocks sign-in, so it is not worth an unlock button. */
export function isLocked(member: StaffMember, now: number): boolean {
  return member.lockedUntil !== null && Date.parse(member.lockedUntil) > now;
}
