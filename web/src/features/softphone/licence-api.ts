import { getJson, postJson } from '../../lib/api-client';
import type { ApiBody, ApiResponse } from '../../types/api';

export type Licence = ApiResponse<'/api/portal/licence'>;
export type LicenceLanguage = Licence['language'];
type Acceptance = ApiBody<'/api/portal/licence/acceptances', 'post'>;

const deviceIdKey = 'videophone.softphone.licenceDeviceId';
let unstoredDeviceId: string | null = null;

/**
 * This browser's id for the client licence (clause 3): made once and kept in its storage, so the
 * licence is accepted once per version on each device. Without storage the id lasts as long as the
 * page, and the licence is asked for again on the next visit.
 */
export function licenceDeviceId(): string {
  try {
    const stored = window.localStorage.getItem(deviceIdKey);
    if (stored) return stored;
    const created = newUuid();
    window.localStorage.setItem(deviceIdKey, created);
    return created;
  } catch {
    unstoredDeviceId ??= newUuid();
    return unstoredDeviceId;
  }
}

/** A random (version 4) UUID; crypto.randomUUID exists only on HTTPS pages, getRandomValues everywhere. */
function newUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function fetchLicence(language: LicenceLanguage, deviceId: string): Promise<Licence> {
  return getJson<Licence>(`/api/portal/licence?lang=${encodeURIComponent(language)}&deviceId=${encodeURIComponent(deviceId)}`);
}

export async function acceptLicence(body: Acceptance): Promise<void> {
  await postJson<unknown>('/api/portal/licence/acceptances', body);
}
