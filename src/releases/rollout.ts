import { createHash } from 'node:crypto';
import { compareVersions } from './client-versions.js';
import type { ReleaseState } from './tables.js';

export interface ReleaseSnapshot {
  id: string;
  version: string;
  rolloutPercent: number;
  state: ReleaseState;
  artifactUrl: string | null;
}

/**
 * Where a unit falls for one release, in [0, 100): the first 32 bits of SHA-256(release id, unit),
 * scaled. The same unit and release always land in the same place; another release reshuffles the
 * units, so the same early units are not always the ones that try new firmware first.
 */
export function rolloutBucket(releaseId: string, unitKey: string): number {
  const digest = createHash('sha256').update(`${releaseId}\u0000${unitKey}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/**
 * The release a unit should run (clause 8), newest version first:
 * - rolled back: skipped, so its units go back to the one before;
 * - rolling: the unit's if its bucket is below the rollout percentage;
 * - paused: reaches no new unit, but a unit already running it keeps it (no downgrade from a pause).
 * Null when no release reaches the unit: it keeps what it runs.
 */
export function targetRelease<R extends ReleaseSnapshot>(releases: readonly R[], unitKey: string, runningVersion: string | null): R | null {
  const newestFirst = [...releases].sort((a, b) => compareVersions(b.version, a.version));
  for (const release of newestFirst) {
    if (release.state === 'rolled-back') continue;
    if (release.state === 'paused') {
      if (runningVersion !== null && compareVersions(runningVersion, release.version) === 0) return release;
      continue;
    }
    if (rolloutBucket(release.id, unitKey) < release.rolloutPercent) return release;
  }
  return null;
}
