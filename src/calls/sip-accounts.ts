import type { Kysely } from 'kysely';
import { computeHa1, type StoredCredentials } from '../sip/auth/digest.js';
import { Batcher } from '../platform/db/batcher.js';
import type { Database } from '../platform/db/schema.js';

export type AccountStatus = 'active' | 'suspended' | 'terminated';

export interface SipAccount {
  number: string;
  displayName: string | null;
  status: AccountStatus;
  statusReason: string | null;
  credentials: StoredCredentials;
}

/**
 * Reads accounts for the SIP hot path with a short cache: a REGISTER or INVITE must not cost a
 * database round trip each time, and a state change (suspension) still takes effect within
 * `ttlMs` everywhere, at once on this node.
 */
export class SipAccountStore {
  readonly #cache = new Map<string, { account: SipAccount | null; until: number }>();
  /** Lookups made in the same turn share one query: registrations arrive in bursts. */
  readonly #loader: Batcher<string, SipAccount | null>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly realm: string,
    private readonly ttlMs = 2_000,
  ) {
    this.#loader = new Batcher(async (numbers) => {
      const rows = await this.db
        .selectFrom('sip_accounts')
        .selectAll()
        .where('number', 'in', [...new Set(numbers)])
        .where('realm', '=', this.realm)
        .execute();
      const byNumber = new Map(rows.map((row) => [row.number, row]));
      return numbers.map((number) => {
        const row = byNumber.get(number);
        return row
          ? {
              number: row.number,
              displayName: row.display_name,
              status: row.status,
              statusReason: row.status_reason,
              credentials: { ha1: { 'SHA-256': row.ha1_sha256, MD5: row.ha1_md5 } },
            }
          : null;
      });
    });
  }

  async find(number: string): Promise<SipAccount | null> {
    const cached = this.#cache.get(number);
    if (cached && cached.until > Date.now()) return cached.account;
    const account = await this.#loader.load(number);
    this.#cache.set(number, { account, until: Date.now() + this.ttlMs });
    if (this.#cache.size > 100_000) this.#cache.clear(); // bound memory; it refills on demand
    return account;
  }

  forget(number: string): void {
    this.#cache.delete(number);
  }
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
        })),
      )
      .execute();
  }
}

/** The account state the policy hook reads; the reason is what staff and the refused client see. */
export async function setSipAccountStatus(
  db: Kysely<Database>,
  number: string,
  status: AccountStatus,
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('sip_accounts')
    .set({ status, status_reason: status === 'active' ? null : reason, updated_at: now })
    .where('number', '=', number)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
