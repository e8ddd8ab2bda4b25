// No DOM types here: the Node tests import this file (their tsconfig has no DOM lib).
/**
 * The camera after the current one, wrapping around; null when there is no other camera to switch to.
 * Devices without an id (no permission yet) are left out: they cannot be opened by id.
 */
export function nextCamera(devices: readonly { kind: string; deviceId: string }[], currentId: string | null): string | null {
  const cameras = devices.filter((device) => device.kind === 'videoinput' && device.deviceId).map((device) => device.deviceId);
  if (cameras.length < 2) return null;
  const index = currentId ? cameras.indexOf(currentId) : -1;
  return cameras[(index + 1) % cameras.length] ?? null;
}
