import type { Kysely } from 'kysely';
import { Batcher, isDatabaseUnavailable, type Database } from '../platform/db/index.js';
import { compareVersions, parseClientVersion } from './client-versions.js';
import { recordDeviceVersions, type DeviceVersionSighting } from './releases.js';
import type { ClientKind } from './tables.js';

export type VersionDecision = { allow: true } | { allow: false; status: number; reason: string; warnings: string[] };

/**
 * The minimum supported version at registration (clause 8). The registrar asks on every REGISTER,
 * so the minimums are cached for `ttlMs` (a change reaches every node within that); what each device
 * runs is written when it changes or once per `sightingMs`, not on every refresh.
 *
 * A client below its kind's minimum gets 403 Forbidden (RFC 3261 §21.4.4: understood, refused, and
 * new credentials will not help) whose reason phrase says, in English and Chinese, which version it
 * runs, the minimum, and to upgrade; the same text goes in two Warning header values with code 399,
 * "miscellaneous warning" (§20.43), which phones show to the user. A client whose User-Agent names
 * no known kind is not refused: the minimum applies to the clients we can read.
 */
export class RegistrationVersions {
  #minimums: { at: number; byKind: Map<ClientKind, string> } | null = null;
  readonly #seen = new Map<string, { userAgent: string | null; at: number }>();
  /** Sightings share statements: registrations arrive in bursts. */
  readonly #sightings: Batcher<DeviceVersionSighting, void>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly warnAgent: string,
    private readonly ttlMs = 5_000,
    private readonly sightingMs = 10 * 60_000,
  ) {
    this.#sightings = new Batcher<DeviceVersionSighting, void>(
      async (sightings) => {
        await recordDeviceVersions(this.db, sightings);
        return sightings.map(() => undefined);
      },
      { lingerMs: 100 }, // nobody waits on a sighting: the registration was answered already
    );
  }

  async check(userAgent: string | null): Promise<VersionDecision> {
    const client = parseClientVersion(userAgent);
    if (!client) return { allow: true };
    const minimum = (await this.#currentMinimums()).get(client.kind);
    if (!minimum || compareVersions(client.version, minimum) >= 0) return { allow: true };
    const en = `Client version ${client.version} is below the minimum ${minimum}; please upgrade`;
    const zh = `客户端版本 ${client.version} 低于最低支持版本 ${minimum}，请升级`;
    return {
      allow: false,
      status: 403,
      reason: `${en} / ${zh}`,
      warnings: [`399 ${this.warnAgent} "${en}"`, `399 ${this.warnAgent} "${zh}"`],
    };
  }

  /** A device registered: remember what it runs (throttled; never fails the registration). */
  async noteRegistration(sighting: { deviceKey: string; number: string; userAgent: string | null; at: Date }): Promise<void> {
    const last = this.#seen.get(sighting.deviceKey);
    const now = sighting.at.getTime();
    if (last && last.userAgent === sighting.userAgent && now - last.at < this.sightingMs) return;
    this.#seen.set(sighting.deviceKey, { userAgent: sighting.userAgent, at: now });
    if (this.#seen.size > 100_000) this.#seen.clear();
    await this.#sightings.load({ ...sighting, unitId: null, source: 'registration' });
  }

  /** A minimum was just changed on this node: the next REGISTER reads it afresh. */
  forgetMinimums(): void {
    this.#minimums = null;
  }

  async #currentMinimums(): Promise<Map<ClientKind, string>> {
    const now = Date.now();
    if (this.#minimums && now - this.#minimums.at < this.ttlMs) return this.#minimums.byKind;
    let rows;
    try {
      rows = await this.db.selectFrom('client_minimum_versions').select(['kind', 'version']).execute();
    } catch (error) {
      // The database is away: keep enforcing what we last knew (nothing, if we never knew), rather
      // than refusing every registration; registrations themselves run on cached accounts then.
      if (!isDatabaseUnavailable(error)) throw error;
      this.#minimums = { at: now, byKind: this.#minimums?.byKind ?? new Map() };
      return this.#minimums.byKind;
    }
    this.#minimums = { at: now, byKind: new Map(rows.map((row) => [row.kind, row.version])) };
    return this.#minimums.byKind;
  }
}
