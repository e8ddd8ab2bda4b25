export { parseRelease, WebReleaseReader, type WebRelease } from './web-release.js';
export { releaseRoutes } from './routes.js';
export { releaseConsoleRoutes } from './console-routes.js';
export { CLIENT_PATTERNS, compareVersions, parseClientVersion, type ClientVersion } from './client-versions.js';
export { rolloutBucket, targetRelease } from './rollout.js';
export {
  changeRelease,
  deviceVersionOf,
  CLIENT_KINDS,
  firmwareFor,
  listDeviceVersions,
  listMinimumVersions,
  listReleases,
  publishRelease,
  recordDeviceVersion,
  setMinimumVersion,
  type ClientRelease,
  type DeviceVersion,
  type MinimumVersion,
} from './releases.js';
export { RegistrationVersions, type VersionDecision } from './registration-versions.js';
export type { ClientKind, ReleaseTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { clientReleases } from './migrations/20261203T0920-client-releases.js';
