import { getJson, postEmpty, postJson } from '../../lib/api-client';
import type { ApiResponse } from '../../types/api';

// Shapes of the portal API (/api/portal/*), generated from the server's route schemas.

export type Me = ApiResponse<'/api/portal/me'>;

export type SubscriberStatus = Me['status'];

export type AgreementToSign = ApiResponse<'/api/portal/agreement'>;

export type DeviceCredentials = ApiResponse<'/api/portal/devices', 'post'>;

export type Device = ApiResponse<'/api/portal/devices'>[number];

export type Termination = ApiResponse<'/api/portal/termination', 'post'>;

export const portalMePath = '/api/portal/me';

export function portalSignIn(login: string, password: string): Promise<ApiResponse<'/api/portal/sign-in', 'post'>> {
  return postJson('/api/portal/sign-in', { login, password });
}

export function portalSignOut(): Promise<void> {
  return postEmpty('/api/portal/sign-out');
}

export function loadAgreement(language: string): Promise<AgreementToSign> {
  return getJson(`/api/portal/agreement?lang=${encodeURIComponent(language)}`);
}

export function signAgreement(agreement: AgreementToSign): Promise<{ activated: boolean; number: string | null }> {
  return postJson('/api/portal/agreement/signatures', {
    version: agreement.version,
    language: agreement.language,
    textSha256: agreement.textSha256,
  });
}

export function addDevice(name: string): Promise<DeviceCredentials> {
  return postJson('/api/portal/devices', { name });
}

export function requestTermination(): Promise<Termination> {
  return postJson('/api/portal/termination', {});
}

/** An agreement version waiting for the subscriber's answer (clause 15). */
export type PendingTermsChange = ApiResponse<'/api/portal/terms-changes'>['termsChanges'][number];
