import { ApiProblemError, deleteResource, getJson, patchJson, postJson } from '../../lib/api-client';
import type { ApiBody, ApiResponse } from '../../types/api';
import type { DeviceCredentials } from './phone-engine';
import type { QualitySample } from './quality';

export type PortalMe = ApiResponse<'/api/portal/me'>;

export type TurnCredentials = ApiResponse<'/api/portal/turn-credentials'>;

export type CallHistoryEntry = ApiResponse<'/api/portal/calls'>['calls'][number];

export type QualityReport = ApiBody<'/api/portal/calls/quality-reports', 'post'>;

export function fetchMe(): Promise<PortalMe> {
  return getJson<PortalMe>('/api/portal/me');
}

export async function signIn(login: string, password: string): Promise<void> {
  await postJson<unknown>('/api/portal/sign-in', { login, password });
}

const deviceIdKey = 'videophone.softphone.deviceId';

/**
 * This browser's SIP credentials. The device id is kept so the server rotates this device's password
 * on every page load instead of piling up devices; the password itself is never stored.
 */
export async function registerDevice(name: string, licenceDeviceId: string): Promise<DeviceCredentials> {
  let deviceId: string | null = null;
  try {
    deviceId = window.localStorage.getItem(deviceIdKey);
  } catch {
    // Without storage each load is a new device; the server still works, only the list grows.
  }
  let credentials: DeviceCredentials;
  try {
    credentials = await postJson<DeviceCredentials>(
      '/api/portal/devices',
      deviceId ? { name, deviceId, licenceDeviceId } : { name, licenceDeviceId },
    );
  } catch (error) {
    // A device revoked from another browser (or from the portal) starts over as a new one.
    if (!deviceId || !(error instanceof ApiProblemError) || error.problem.status !== 404) throw error;
    credentials = await postJson<DeviceCredentials>('/api/portal/devices', { name, licenceDeviceId });
  }
  try {
    window.localStorage.setItem(deviceIdKey, credentials.deviceId);
  } catch {
    // see above
  }
  return credentials;
}

export function fetchTurnCredentials(): Promise<TurnCredentials> {
  return getJson<TurnCredentials>('/api/portal/turn-credentials');
}

export async function fetchCallHistory(): Promise<CallHistoryEntry[]> {
  const { calls } = await getJson<ApiResponse<'/api/portal/calls'>>('/api/portal/calls');
  return calls;
}

export async function sendQualityReport(report: QualityReport): Promise<void> {
  await postJson<unknown>('/api/portal/calls/quality-reports', report);
}

export function reportFrom(
  summary: { callId: string; direction: 'outgoing' | 'incoming'; durationMs: number },
  quality: QualitySample | null,
): QualityReport {
  return {
    callId: summary.callId,
    direction: summary.direction,
    durationMs: Math.round(summary.durationMs),
    rttMs: quality?.rttMs ?? null,
    jitterMs: quality?.jitterMs ?? null,
    lossPercent: quality?.lossPercent ?? null,
    packetsLost: quality?.packetsLost ?? null,
    framesDecoded: quality?.framesDecoded ?? null,
    audioPacketsReceived: quality?.audioPacketsReceived ?? null,
    sendKbps: quality?.sendKbps ?? null,
    receiveKbps: quality?.receiveKbps ?? null,
    audioCodec: quality?.audioCodec ?? null,
    videoCodec: quality?.videoCodec ?? null,
    localCandidateType: quality?.localCandidateType ?? null,
    remoteCandidateType: quality?.remoteCandidateType ?? null,
    relayProtocol: quality?.relayProtocol ?? null,
    userAgent: navigator.userAgent.slice(0, 300),
  };
}

export async function fetchWebRelease(): Promise<ApiResponse<'/api/releases/web'>> {
  return getJson<ApiResponse<'/api/releases/web'>>('/api/releases/web');
}

/** Failures worth an operator's attention (a refused TURN credential, a failed ICE path) go to the server's log. */
export async function reportProblem(problem: {
  kind: 'turn-failed' | 'ice-failed' | 'ice-restart';
  callId?: string;
  detail?: string;
}): Promise<void> {
  await postJson<unknown>('/api/portal/softphone/problems', problem).catch(() => undefined);
}

export type Contact = ApiResponse<'/api/portal/contacts'>['contacts'][number];

export type ContactInput = ApiBody<'/api/portal/contacts', 'post'>;

/** The signed-in subscriber's contacts, favourites first (the server's order). */
export async function fetchContacts(): Promise<Contact[]> {
  const { contacts } = await getJson<ApiResponse<'/api/portal/contacts'>>('/api/portal/contacts');
  return contacts;
}

export function createContact(input: ContactInput): Promise<Contact> {
  return postJson<Contact>('/api/portal/contacts', input);
}

export function updateContact(id: string, input: ApiBody<'/api/portal/contacts/{id}', 'patch'>): Promise<Contact> {
  return patchJson<Contact>(`/api/portal/contacts/${encodeURIComponent(id)}`, input);
}

export function removeContact(id: string): Promise<void> {
  return deleteResource(`/api/portal/contacts/${encodeURIComponent(id)}`);
}
