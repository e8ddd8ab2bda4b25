import type { ServiceContext } from '../platform/context.js';
import { hashPassword } from '../platform/auth/index.js';
import type { Executor } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import type { SubscriberDirectory } from './principal.js';

export const minimumPortalPasswordLength = 8;

/** The keyed hash under which a login is stored and looked up; phone numbers are compared in E.164. */
export function loginIndex(ctx: ServiceContext, e164: string): string {
  return ctx.cipher.blindIndex(e164, 'portal-login');
}

/** Whose portal login a contact phone (E.164) is, if anyone's. */
export async function subscriberByLogin(ctx: ServiceContext, contactPhoneE164: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('portal_accounts')
    .select('subscriber_id')
    .where('login_index', '=', loginIndex(ctx, contactPhoneE164))
    .executeTakeFirst();
  return row?.subscriber_id ?? null;
}

export async function createPortalAccount(
  ctx: ServiceContext,
  db: Executor,
  input: { subscriberId: string; contactPhoneE164: string; password: string; now: Date },
  directory: SubscriberDirectory,
): Promise<Result<null>> {
  const index = loginIndex(ctx, input.contactPhoneE164);
  const taken = await db.selectFrom('portal_accounts').select('subscriber_id').where('login_index', '=', index).executeTakeFirst();
  const holder = taken ? await directory.principalOf(db, taken.subscriber_id) : null;
  if (holder && holder.status !== 'rejected' && holder.status !== 'terminated') {
    return fail('conflict', 'conflict', 'This contact phone already belongs to an application or subscriber: sign in instead', {
      fields: [{ field: 'contactPhone', message: 'already registered' }],
    });
  }
  // A rejected or ended applicant may apply again with the same phone: the old login is retired.
  if (taken) await db.deleteFrom('portal_accounts').where('subscriber_id', '=', taken.subscriber_id).execute();
  await db
    .insertInto('portal_accounts')
    .values({
      subscriber_id: input.subscriberId,
      login_index: index,
      password_hash: await hashPassword(input.password),
      locked_until: null,
      last_login_at: null,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute();
  return ok(null);
}
