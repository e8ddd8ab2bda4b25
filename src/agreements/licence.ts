import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { AgreementLanguage } from './render.js';
import { sha256Hex } from './seal.js';
import { licenceV1En } from './texts/licence-v1.en.js';
import { licenceV1ZhCn } from './texts/licence-v1.zh-CN.js';

/**
 * One version of the client software licence (clause 3). Versions live in code, like the agreement
 * texts: publishing a new one is a new text file per language plus an entry in LICENCE_VERSIONS,
 * deployed with a release; it becomes current at its effectiveAt, on the service's clock.
 */
export interface LicenceVersion {
  version: number;
  effectiveAt: Date;
  summary: Record<AgreementLanguage, string>;
  texts: Record<AgreementLanguage, string>;
}

export const LICENCE_VERSIONS: readonly LicenceVersion[] = [
  {
    version: 1,
    // In force since the first softphone release, before any subscriber could use one.
    effectiveAt: new Date('2025-01-01T00:00:00Z'),
    summary: { 'zh-CN': '客户端软件许可协议第1版', en: 'First version of the client software licence' },
    texts: { 'zh-CN': licenceV1ZhCn, en: licenceV1En },
  },
];

/** The messages a person sees when the licence stands in the way, in both languages. */
export const licenceMessages = {
  notAccepted: {
    'zh-CN': '请先阅读并接受当前版本的客户端软件许可协议，然后才能使用软电话。',
    en: 'Read and accept the current version of the client software licence before using the softphone.',
  },
  notCurrent: {
    'zh-CN': '您接受的许可协议版本已不是当前版本，请阅读当前版本后再接受。',
    en: 'The licence version you accepted is no longer the current one; read the current version and accept it.',
  },
} as const;

/** The versions the service knows, and which one is in force at an instant. */
export class LicenceCatalogue {
  readonly #versions: readonly LicenceVersion[];

  constructor(versions: readonly LicenceVersion[]) {
    versions.forEach((entry, index) => {
      const previous = versions[index - 1];
      if (previous && (entry.version <= previous.version || entry.effectiveAt < previous.effectiveAt)) {
        throw new Error(`licence version ${entry.version} must follow ${previous.version} in number and effective date`);
      }
    });
    this.#versions = versions;
  }

  list(): readonly LicenceVersion[] {
    return this.#versions;
  }

  find(version: number): LicenceVersion | undefined {
    return this.#versions.find((entry) => entry.version === version);
  }

  /** The latest version in effect at `now`; null before the first one (then nothing is asked). */
  current(now: Date): LicenceVersion | null {
    return this.#versions.findLast((entry) => entry.effectiveAt <= now) ?? null;
  }
}

export function licenceTextHash(entry: LicenceVersion, language: AgreementLanguage): string {
  return sha256Hex(entry.texts[language]);
}

export interface LicenceAcceptance {
  id: string;
  subscriberId: string;
  version: number;
  deviceId: string;
  userAgent: string | null;
  language: AgreementLanguage;
  textSha256: string;
  acceptedAt: string;
}

export interface AcceptLicenceInput {
  subscriberId: string;
  version: number;
  deviceId: string;
  language: AgreementLanguage;
  userAgent: string | null;
  ip: string | null;
}

/**
 * Records that a subscriber accepted the licence on one device. Only the version in force can be
 * accepted; accepting it again on the same device returns the first record (the evidence stays the
 * first acceptance).
 */
export async function acceptLicence(
  ctx: ServiceContext,
  catalogue: LicenceCatalogue,
  input: AcceptLicenceInput,
): Promise<Result<{ acceptance: LicenceAcceptance; created: boolean }>> {
  const now = ctx.clock.now();
  const current = catalogue.current(now);
  if (!current || current.version !== input.version) {
    return fail('conflict', 'licence-version-not-current', licenceMessages.notCurrent.en, {
      extra: { currentVersion: current?.version ?? null, messages: licenceMessages.notCurrent },
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('licence_acceptances')
      .values({
        subscriber_id: input.subscriberId,
        version: current.version,
        device_id: input.deviceId,
        user_agent: input.userAgent?.slice(0, 500) ?? null,
        language: input.language,
        text_sha256: licenceTextHash(current, input.language),
        accepted_at: now,
      })
      .onConflict((conflict) => conflict.columns(['subscriber_id', 'version', 'device_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) {
      await recordAudit(trx, {
        at: now,
        actor: { type: 'subscriber', id: input.subscriberId, name: null, ip: input.ip, userAgent: input.userAgent },
        action: 'licence.accept',
        target: { type: 'licence_acceptance', id: inserted.id },
        detail: { version: inserted.version, deviceId: inserted.device_id, textSha256: inserted.text_sha256 },
      });
      return ok({ acceptance: toAcceptance(inserted), created: true });
    }
    const existing = await trx
      .selectFrom('licence_acceptances')
      .selectAll()
      .where('subscriber_id', '=', input.subscriberId)
      .where('version', '=', current.version)
      .where('device_id', '=', input.deviceId)
      .executeTakeFirstOrThrow();
    return ok({ acceptance: toAcceptance(existing), created: false });
  });
}

/**
 * Whether SIP credentials may be issued: the subscriber has accepted the licence in force, on the
 * device that asks when it names itself (the softphone does), or else on any device (credentials the
 * portal issues for a terminal or another client, after the subscriber accepted it in the softphone).
 */
export async function licenceAllowsCredentials(
  ctx: ServiceContext,
  catalogue: LicenceCatalogue,
  subscriberId: string,
  deviceId: string | undefined,
): Promise<Result<null>> {
  const current = catalogue.current(ctx.clock.now());
  if (!current) return ok(null);
  let query = ctx.db
    .selectFrom('licence_acceptances')
    .select('id')
    .where('subscriber_id', '=', subscriberId)
    .where('version', '=', current.version);
  if (deviceId !== undefined) query = query.where('device_id', '=', deviceId);
  if (await query.limit(1).executeTakeFirst()) return ok(null);
  return fail('not_allowed', 'licence-not-accepted', licenceMessages.notAccepted.en, {
    extra: { currentVersion: current.version, messages: licenceMessages.notAccepted },
  });
}

export async function hasAcceptedLicence(ctx: ServiceContext, subscriberId: string, version: number, deviceId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('licence_acceptances')
    .select('id')
    .where('subscriber_id', '=', subscriberId)
    .where('version', '=', version)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A subscriber's acceptances, newest first, for staff. */
export async function licenceAcceptancesOf(ctx: ServiceContext, subscriberId: string): Promise<LicenceAcceptance[]> {
  const rows = await ctx.db
    .selectFrom('licence_acceptances')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .orderBy('accepted_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toAcceptance);
}

/** How many subscribers and devices accepted each version, for the console's list of versions. */
export async function licenceAcceptanceCounts(ctx: ServiceContext): Promise<Map<number, { subscribers: number; devices: number }>> {
  const rows = await ctx.db
    .selectFrom('licence_acceptances')
    .select((eb) => ['version', eb.fn.count<string>('subscriber_id').distinct().as('subscribers'), eb.fn.countAll<string>().as('devices')])
    .groupBy('version')
    .execute();
  return new Map(rows.map((row) => [row.version, { subscribers: Number(row.subscribers), devices: Number(row.devices) }]));
}

function toAcceptance(row: {
  id: string;
  subscriber_id: string;
  version: number;
  device_id: string;
  user_agent: string | null;
  language: string;
  text_sha256: string;
  accepted_at: Date;
}): LicenceAcceptance {
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    version: row.version,
    deviceId: row.device_id,
    userAgent: row.user_agent,
    language: row.language as AgreementLanguage,
    textSha256: row.text_sha256,
    acceptedAt: row.accepted_at.toISOString(),
  };
}
