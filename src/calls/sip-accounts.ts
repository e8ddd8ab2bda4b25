import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { computeHa1, detachedCopy, type StoredCredentials } from '../sip/index.js';
import { Batcher, isDatabaseUnavailable, type Database } from '../platform/db/index.js';

export type AccountStatus = 'active' | 'suspended' | 'terminated';

export interface SipAccount {
  number: string;
  displayName: string | null;
  status: AccountStatus;
  statusReason: string | null;
  /** Outgoing calls refused with this reason while the account otherwise works (clause 9). */
  outgoingBlockedReason: string | null;
  credentials: StoredCredentials;
}

/** Who a digest username is: a number's own credentials, or one device's credentials for it. */
export interface SipCredentialOwner {
  number: string;
  deviceId: string | null;
  credentials: StoredCredentials;
}

/** A cache entry to drop: a number (its account and devices) or one digest username. */
export type ForgottenAccount = { number: string } | { username: string };

const DEVICE_USERNAME = /^(\d{3,15})-[0-9a-f]{8}$/;
/** Accounts one process caches at most; past it the cache is emptied and refills on demand. */
const MAX_CACHED_ACCOUNTS = 100_000;
const STALE = Symbol('stale');

/** The number a digest username authenticates for, by its shape (a device's `<number>-<8 hex>` or the number). */
export function numberOfDigestUsername(username: string): string {
  return DEVICE_USERNAME.exec(username)?.[1] ?? username;
}

/**
 * Reads accounts for the SIP hot path with a short cache: a REGISTER or INVITE must not cost a
 * database round trip each time, and a state change (suspension) still takes effect within
 * `ttlMs` everywhere, at once on this node (and on every node that hears the invalidation).
 *
 * A known account asked for after its `ttlMs` but within `revalidateMs` is answered from the cache
 * while it is read again behind the request (RFC 5861 §3 stale-while-revalidate, in spirit): the
 * re-reads of many numbers then share one statement, instead of each REGISTER refresh and each call
 * waiting for its own. A change nobody announced therefore reaches at most one more request of that
 * number; one announced (suspension, password rotation, on any node with Redis) is in force at once.
 */
export class SipAccountStore {
  // Every key below is a `detachedCopy` when it is first set: numbers and usernames come from a
  // request's text, and a Map keeps the key it was first given (a refresh keeps it), so a slice of the
  // request would keep the whole request alive as long as its entry (these caches are refreshed, not
  // emptied).
  readonly #cache = new Map<string, { account: SipAccount | null; refreshedAt: number | null; until: number }>();
  /** Lookups made in the same turn share one query: registrations arrive in bursts. */
  readonly #loader: Batcher<string, SipAccount | null>;
  readonly #deviceCache = new Map<string, { owner: SipCredentialOwner | null; refreshedAt: number | null; until: number }>();
  /**
   * Digest usernames found to be nobody's, until when. A spray of random names then costs one query
   * per name per `unknownTtlMs`, even for the `fresh` re-ask of the digest check.
   */
  readonly #unknown = new Map<string, number>();
  /**
   * Credential lookups under way, by username (and freshness): a name asked again before its first
   * answer came back (a spray repeats names faster than a loaded database answers) waits for that
   * answer instead of sending a second query.
   */
  readonly #inFlight = new Map<string, Promise<SipCredentialOwner | null>>();
  /** Numbers being read again behind a request that was answered from the cache. */
  readonly #revalidating = new Set<string>();
  /** Counts forgettings: a re-read that one happened during is not kept (see #revalidate). */
  #forgettings = 0;
  readonly #rereads = new Set<Promise<void>>();
  /** Those re-reads, many numbers to a statement: nobody waits on them. */
  readonly #revalidator: Batcher<string, SipAccount | null>;
  #announce: ((forgotten: ForgottenAccount) => void) | null = null;
  #preloading = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly realm: string,
    private readonly ttlMs = 2_000,
    private readonly unknownTtlMs = 60_000,
    /** Up to what age a known account is answered from the cache while it is read again (0: never). */
    private readonly revalidateMs = 0,
  ) {
    this.#loader = new Batcher((numbers) => this.#read(numbers));
    this.#revalidator = new Batcher((numbers) => this.#read(numbers), { lingerMs: 100 });
  }

  async #read(numbers: string[]): Promise<(SipAccount | null)[]> {
    const rows = await this.db
      .selectFrom('sip_accounts')
      .selectAll()
      .where('number', 'in', [...new Set(numbers)])
      .where('realm', '=', this.realm)
      .execute();
    const byNumber = new Map(rows.map((row) => [row.number, row]));
    return numbers.map((number) => {
      const row = byNumber.get(number);
      return row ? accountOf(row) : null;
    });
  }

  /** Reads a number again without anyone waiting; a failure leaves the cache as it was. */
  #revalidate(number: string): void {
    if (this.#revalidating.has(number)) return;
    this.#revalidating.add(number);
    const asked = this.#cache.get(number);
    const forgettings = this.#forgettings;
    const reading: Promise<void> = this.#revalidator
      .load(number)
      .then((account) => {
        // Forgotten meanwhile (an announced change, perhaps after this read): the next request
        // reads it afresh instead. A number not cached when asked shows no sign of having been
        // forgotten but the count.
        if (this.#cache.get(number) === asked && this.#forgettings === forgettings) this.#remember(number, account, null, Date.now());
      })
      .catch(() => undefined)
      .finally(() => {
        this.#revalidating.delete(number);
        this.#rereads.delete(reading);
      });
    this.#rereads.add(reading);
  }

  /** Resolves once no account is being read behind a request or a registration (tests; a graceful stop). */
  async idle(): Promise<void> {
    while (this.#rereads.size > 0) await Promise.allSettled([...this.#rereads]);
  }

  /**
   * A number registered through another node or worker (issue #17): unless this process knows its
   * account already, it is read now, behind the registration and many numbers to a statement, so
   * that its calls arriving here do not wait for it. A known one is not read again for every
   * refresh of the registration elsewhere: its next request here re-reads it behind itself (see
   * find). Not while the cache is past half its bound: reading ahead must not be what fills it.
   */
  prefetch(number: string): void {
    if (this.#cache.has(number) || this.#cache.size >= MAX_CACHED_ACCOUNTS / 2) return;
    this.#revalidate(number);
  }

  /**
   * Reads the accounts into the cache at start, a page at a time by number, up to half the cache's
   * bound (as prefetch stops there), as Kamailio's htable loads its users before it serves. Without
   * it each number's first REGISTER or call after a restart waits for a query of its own: the
   * registrations survive a restart and the cache does not, and a subscriber who last called an hour
   * ago is as cold as a new one. What is loaded is then kept current as any cached account is: read
   * again behind its next request, and forgotten at once when a change is announced. An entry the
   * cache already holds is not replaced (it is as recent), and a page read while something was
   * forgotten is dropped (it may predate the change; those numbers are read on demand). Returns the
   * number of accounts loaded; stopped by `stopPreloading` (a closing server).
   */
  async preload(pageSize = 5_000): Promise<number> {
    this.#preloading = true;
    let loaded = 0;
    let after = '';
    try {
      while (this.#preloading && this.#cache.size < MAX_CACHED_ACCOUNTS / 2) {
        const forgettings = this.#forgettings;
        const rows = await this.db
          .selectFrom('sip_accounts')
          .selectAll()
          .where('realm', '=', this.realm)
          .where('number', '>', after)
          .orderBy('number')
          .limit(pageSize)
          .execute();
        if (rows.length === 0) break;
        after = rows.at(-1)!.number;
        if (this.#forgettings !== forgettings) continue;
        const now = Date.now();
        for (const row of rows) {
          if (this.#cache.has(row.number)) continue;
          this.#remember(row.number, accountOf(row), null, now);
          loaded += 1;
        }
        if (rows.length < pageSize) break;
      }
    } finally {
      this.#preloading = false;
    }
    return loaded;
  }

  stopPreloading(): void {
    this.#preloading = false;
  }

  /** `fresh` reads the database unless another fresh read just did (see isFreshEnough). */
  async find(number: string, options: { fresh?: boolean } = {}): Promise<SipAccount | null> {
    const cached = this.#cache.get(number);
    const now = Date.now();
    if (cached && (options.fresh ? isFreshEnough(cached, now) : cached.until > now)) return cached.account;
    if (cached?.account && !options.fresh && now - cached.until < this.revalidateMs - this.ttlMs) {
      this.#revalidate(number);
      return cached.account;
    }
    let account: SipAccount | null;
    try {
      account = await this.#loader.load(number);
    } catch (error) {
      // Stale-if-error (RFC 5861 §4 in spirit): a known subscriber keeps registering and calling on
      // what we last knew while the database is down; the entry is trusted for another TTL so a
      // burst of requests does not each wait for the failing database.
      if (!cached?.account || !isDatabaseUnavailable(error)) throw error;
      cached.until = now + this.ttlMs;
      return cached.account;
    }
    this.#remember(number, account, options.fresh ? now : null, now);
    return account;
  }

  #remember(number: string, account: SipAccount | null, refreshedAt: number | null, now: number): void {
    this.#cache.set(this.#cache.has(number) ? number : detachedCopy(number), { account, refreshedAt, until: now + this.ttlMs });
    if (this.#cache.size > MAX_CACHED_ACCOUNTS) this.#cache.clear(); // bound memory; it refills on demand
  }

  /**
   * The owner of a digest username. Device usernames look like `<number>-<8 hex>` and live in
   * `sip_device_credentials`; any other username is a number with its own credentials. The digest
   * check asks with `fresh` when the cached hashes did not match: they may predate a rotation.
   */
  async findCredentials(username: string, options: { fresh?: boolean } = {}): Promise<SipCredentialOwner | null> {
    const unknownUntil = this.#unknown.get(username);
    if (unknownUntil !== undefined) {
      if (unknownUntil > Date.now()) return null;
      this.#unknown.delete(username);
    }
    const key = `${options.fresh ? 'fresh' : 'cached'}:${username}`;
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const lookup = this.#lookUpCredentials(username, options)
      .then((owner) => {
        if (!owner && this.unknownTtlMs > 0) {
          if (this.#unknown.size >= 100_000) this.#unknown.clear(); // bound memory; it refills on demand
          this.#unknown.set(detachedCopy(username), Date.now() + this.unknownTtlMs);
        }
        return owner;
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, lookup);
    return lookup;
  }

  async #lookUpCredentials(username: string, options: { fresh?: boolean }): Promise<SipCredentialOwner | null> {
    if (!DEVICE_USERNAME.test(username)) {
      const account = await this.find(username, options);
      return account ? { number: account.number, deviceId: null, credentials: account.credentials } : null;
    }
    const cached = this.#deviceCache.get(username);
    const now = Date.now();
    if (cached && (options.fresh ? isFreshEnough(cached, now) : cached.until > now)) return cached.owner;
    // The number's account comes along in the same round trip: the registrar and the call policy
    // ask for it right after a device authenticates, and then find it cached.
    const row = await this.db
      .selectFrom('sip_device_credentials as device')
      .leftJoin('sip_accounts as account', (join) =>
        join.onRef('account.number', '=', 'device.number').on('account.realm', '=', this.realm),
      )
      .select([
        'device.number',
        'device.device_id',
        'device.ha1_sha256',
        'device.ha1_md5',
        'account.number as account_number',
        'account.display_name',
        'account.status',
        'account.status_reason',
        'account.outgoing_blocked_reason',
        'account.ha1_sha256 as account_ha1_sha256',
        'account.ha1_md5 as account_ha1_md5',
      ])
      .where('device.username', '=', username)
      .where('device.realm', '=', this.realm)
      .where('device.revoked_at', 'is', null)
      .executeTakeFirst()
      .catch((error: unknown): typeof STALE => {
        // Stale-if-error for a known device, as for numbers in find().
        if (!cached?.owner || !isDatabaseUnavailable(error)) throw error;
        return STALE;
      });
    if (row === STALE) {
      cached!.until = now + this.ttlMs;
      return cached!.owner;
    }
    const owner = row
      ? { number: row.number, deviceId: row.device_id, credentials: { ha1: { 'SHA-256': row.ha1_sha256, MD5: row.ha1_md5 } } }
      : null;
    if (row?.account_number && row.status && row.account_ha1_sha256 && row.account_ha1_md5) {
      this.#remember(
        row.number,
        accountOf({
          number: row.account_number,
          display_name: row.display_name,
          status: row.status,
          status_reason: row.status_reason,
          outgoing_blocked_reason: row.outgoing_blocked_reason,
          ha1_sha256: row.account_ha1_sha256,
          ha1_md5: row.account_ha1_md5,
        }),
        options.fresh ? now : null,
        now,
      );
    }
    this.#deviceCache.set(this.#deviceCache.has(username) ? username : detachedCopy(username), {
      owner,
      refreshedAt: options.fresh ? now : null,
      until: now + this.ttlMs,
    });
    if (this.#deviceCache.size > 100_000) this.#deviceCache.clear();
    return owner;
  }

  /**
   * Tells other nodes what this one forgets (issue #17: a rotated password or a suspension must
   * take effect on every node at once, not after their caches' lifetime).
   */
  announceForgettingTo(announce: (forgotten: ForgottenAccount) => void): void {
    this.#announce = announce;
  }

  /** A number's state or credentials changed: it is looked up afresh here and, announced, on every node. */
  forget(number: string): void {
    this.forgetLocally({ number });
    this.#announce?.({ number });
  }

  /** A digest username was just created or changed (device issued): it is looked up afresh everywhere. */
  forgetUsername(username: string): void {
    this.forgetLocally({ username });
    this.#announce?.({ username });
  }

  /** What another node announced it forgot: forgotten here, not announced again. */
  forgetLocally(forgotten: ForgottenAccount): void {
    this.#forgettings += 1;
    if ('username' in forgotten) {
      this.#unknown.delete(forgotten.username);
      this.#deviceCache.delete(forgotten.username);
      return;
    }
    const { number } = forgotten;
    this.#cache.delete(number);
    this.#unknown.delete(number);
    for (const [username, entry] of this.#deviceCache) if (entry.owner?.number === number) this.#deviceCache.delete(username);
  }
}

function accountOf(row: {
  number: string;
  display_name: string | null;
  status: AccountStatus;
  status_reason: string | null;
  outgoing_blocked_reason: string | null;
  ha1_sha256: string;
  ha1_md5: string;
}): SipAccount {
  return {
    number: row.number,
    displayName: row.display_name,
    status: row.status,
    statusReason: row.status_reason,
    outgoingBlockedReason: row.outgoing_blocked_reason,
    credentials: { ha1: { 'SHA-256': row.ha1_sha256, MD5: row.ha1_md5 } },
  };
}

/**
 * A "fresh" read may reuse what another fresh read fetched within the last 100 ms, so a flood of wrong
 * passwords for one name costs at most ten queries a second, not one each.
 */
function isFreshEnough(entry: { refreshedAt: number | null }, now: number): boolean {
  return entry.refreshedAt !== null && now - entry.refreshedAt < 100;
}

export interface NewSipAccount {
  number: string;
  password: string;
  displayName?: string | null;
}

/** Creates or replaces the credentials of numbers; rows are written in batches. */
export async function provisionSipAccounts(db: Kysely<Database>, realm: string, accounts: NewSipAccount[], now: Date): Promise<void> {
  for (let start = 0; start < accounts.length; start += 500) {
    const rows = accounts.slice(start, start + 500).map((account) => {
      const ha1 = computeHa1(account.number, realm, account.password);
      return {
        number: account.number,
        display_name: account.displayName ?? null,
        realm,
        ha1_sha256: ha1['SHA-256'],
        ha1_md5: ha1.MD5,
        status: 'active' as const,
        status_reason: null,
        outgoing_blocked_reason: null,
        created_at: now,
        updated_at: now,
      };
    });
    await db
      .insertInto('sip_accounts')
      .values(rows)
      .onConflict((oc) =>
        oc.column('number').doUpdateSet((eb) => ({
          realm: eb.ref('excluded.realm'),
          ha1_sha256: eb.ref('excluded.ha1_sha256'),
          ha1_md5: eb.ref('excluded.ha1_md5'),
          display_name: eb.ref('excluded.display_name'),
          updated_at: eb.ref('excluded.updated_at'),
          // A number reused after its quarantine starts afresh; a live account keeps its state.
          status: sql<AccountStatus>`case when sip_accounts.status = 'terminated' then excluded.status else sip_accounts.status end`,
          status_reason: sql<string | null>`case when sip_accounts.status = 'terminated' then null else sip_accounts.status_reason end`,
          outgoing_blocked_reason: sql<
            string | null
          >`case when sip_accounts.status = 'terminated' then null else sip_accounts.outgoing_blocked_reason end`,
        })),
      )
      .execute();
  }
}

/**
 * The account state the call policy reads; the reason is what staff and the refused client see. This is
 * entitlements' projection of call rights: only `src/entitlements` calls it (tests set bare accounts).
 */
export async function setSipAccountStatus(
  db: Kysely<Database>,
  number: string,
  status: AccountStatus,
  reason: string | null,
  now: Date,
  outgoingBlockedReason: string | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('sip_accounts')
    .set({
      status,
      status_reason: status === 'active' ? null : reason,
      outgoing_blocked_reason: status === 'active' ? outgoingBlockedReason : null,
      updated_at: now,
    })
    .where('number', '=', number)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface IssuedDeviceCredentials {
  deviceId: string;
  authorizationUsername: string;
  password: string;
}

/**
 * Issues (or, for a known device of the same number, rotates) one device's SIP credentials. The
 * password is random, returned once and stored only as per-realm HA1 hashes (RFC 7616 §3.4.2).
 */
export async function issueDeviceCredentials(
  db: Kysely<Database>,
  input: { number: string; realm: string; deviceName: string; deviceId?: string | undefined; now: Date },
): Promise<IssuedDeviceCredentials> {
  const password = randomBytes(18).toString('base64url');
  const existing = input.deviceId
    ? await db
        .selectFrom('sip_device_credentials')
        .select(['username', 'device_id'])
        .where('device_id', '=', input.deviceId)
        .where('number', '=', input.number)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  const username = existing?.username ?? `${input.number}-${randomBytes(4).toString('hex')}`;
  const ha1 = computeHa1(username, input.realm, password);
  if (existing) {
    await db
      .updateTable('sip_device_credentials')
      .set({ ha1_sha256: ha1['SHA-256'], ha1_md5: ha1.MD5, device_name: input.deviceName, rotated_at: input.now })
      .where('username', '=', username)
      .execute();
    return { deviceId: existing.device_id, authorizationUsername: username, password };
  }
  const deviceId = randomUUID();
  await db
    .insertInto('sip_device_credentials')
    .values({
      username,
      number: input.number,
      device_id: deviceId,
      device_name: input.deviceName,
      realm: input.realm,
      ha1_sha256: ha1['SHA-256'],
      ha1_md5: ha1.MD5,
      created_at: input.now,
      rotated_at: input.now,
      revoked_at: null,
    })
    .execute();
  return { deviceId, authorizationUsername: username, password };
}

export interface DeviceSummary {
  deviceId: string;
  number: string;
  name: string;
  createdAt: string;
  rotatedAt: string;
}

export async function listDevices(db: Kysely<Database>, numbers: string[]): Promise<DeviceSummary[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .selectFrom('sip_device_credentials')
    .selectAll()
    .where('number', 'in', numbers)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    deviceId: row.device_id,
    number: row.number,
    name: row.device_name,
    createdAt: row.created_at.toISOString(),
    rotatedAt: row.rotated_at.toISOString(),
  }));
}

/** Revokes devices (one, or all of a number); their next REGISTER or INVITE is refused. */
export async function revokeDeviceCredentials(
  db: Kysely<Database>,
  filter: { number: string; deviceId?: string },
  now: Date,
): Promise<number> {
  let query = db
    .updateTable('sip_device_credentials')
    .set({ revoked_at: now })
    .where('number', '=', filter.number)
    .where('revoked_at', 'is', null);
  if (filter.deviceId) query = query.where('device_id', '=', filter.deviceId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Numbers among `candidates` that already have a SIP account (provisioned terminals, earlier holders). */
export async function existingSipNumbers(db: Kysely<Database>, candidates: string[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  // A terminated account's number has gone back to the pool (after its quarantine): it is not in use.
  const rows = await db
    .selectFrom('sip_accounts')
    .select('number')
    .where('number', 'in', candidates)
    .where('status', '!=', 'terminated')
    .execute();
  return new Set(rows.map((row) => row.number));
}
