import { postJson } from '../../lib/api-client';
import type { ApiBody, ApiResponse } from '../../types/api';

export type StaffMember = ApiResponse<'/api/console/staff'>['items'][number];

export type NewStaffMember = ApiBody<'/api/console/staff', 'post'>;

export type CreatedStaffMember = ApiResponse<'/api/console/staff', 'post'>;

export type StaffAction = 'unlock' | 'disable' | 'enable';

export const staffListPath = '/api/console/staff';

export function createStaffMember(member: NewStaffMember): Promise<CreatedStaffMember> {
  return postJson<CreatedStaffMember>(staffListPath, member);
}

// The answer carries the updated member, but the page re-reads the list anyway so that it also shows what
// other administrators changed meanwhile.
export async function applyStaffAction(id: string, action: StaffAction): Promise<void> {
  await postJson<{ staff: StaffMember }>(`${staffListPath}/${encodeURIComponent(id)}/${action}`, {});
}

/** A lock whose time has passed no longer blocks sign-in, so it is not worth an unlock button. */
export function isLocked(member: StaffMember, now: number): boolean {
  return member.lockedUntil !== null && Date.parse(member.lockedUntil) > now;
}
