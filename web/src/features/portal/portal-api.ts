import { getJson, postEmpty, postJson } from '../../lib/api-client';
import type { ApiResponse } from '../../types/api';

// Shapes of the portal API (/api/portal/*), as the server documents them in OpenAPI.

export type SubscriberStatus = 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';

export type Me = {
  subscriberId: string;
  kind: 'individual' | 'organisation';
  status: SubscriberStatus;
  displayName: string | null;
  numbers: string[];
  activatedAt: string | null;
  terminationRequestedAt: string | null;
  terminatedAt: string | null;
  suspensions: { cause: string; blocks: string; reason: string; startedAt: string }[];
};

export type AgreementToSign = {
  version: number;
  language: string;
  text: string;
  textSha256: string;
  signatures: { id: string; version: number; language: string; signedAt: string }[];
};

export type DeviceCredentials = ApiResponse<'/api/portal/devices', 'post'>;

export type Device = ApiResponse<'/api/portal/devices'>[number];

export type Termination = { status: 'terminated'; terminatedAt: string } | { status: 'awaiting-settlement'; outstandingFen: number };

export const portalMePath = '/api/portal/me';

export function portalSignIn(login: string, password: string): Promise<{ subscriberId: string; status: SubscriberStatus }> {
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
