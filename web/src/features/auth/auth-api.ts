import { getJson, postEmpty, postJson } from '../../lib/api-client';
import type { ApiBody, ApiResponse, Staff } from '../../types/api';

export type LoginRequest = ApiBody<'/api/auth/staff/login', 'post'>;

export async function logIn(request: LoginRequest): Promise<Staff> {
  const { staff } = await postJson<ApiResponse<'/api/auth/staff/login', 'post'>>('/api/auth/staff/login', request);
  return staff;
}

export async function logOut(): Promise<void> {
  await postEmpty('/api/auth/staff/logout');
}

export async function fetchSession(): Promise<Staff> {
  const { staff } = await getJson<ApiResponse<'/api/auth/staff/session'>>('/api/auth/staff/session');
  return staff;
}
