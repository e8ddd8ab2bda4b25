import { getJson, postEmpty, postJson } from '../../lib/api-client';
import type { Staff } from '../../types/api';

export type LoginRequest = { username: string; password: string; totpCode?: string };

export async function logIn(request: LoginRequest): Promise<Staff> {
  const { staff } = await postJson<{ staff: Staff }>('/api/auth/staff/login', request);
  return staff;
}

export async function logOut(): Promise<void> {
  await postEmpty('/api/auth/staff/logout');
}

export async function fetchSession(): Promise<Staff> {
  const { staff } = await getJson<{ staff: Staff }>('/api/auth/staff/session');
  return staff;
}
