import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, ok, type Result } from '../platform/result.js';
import { revealOwnIdentity } from './identity.js';

export type NoticeLanguage = 'zh-CN' | 'en';

/** Where a subscriber's notices reach them, for the notices module (wired in src/service.ts). */
export interface NoticeContact {
  subscriberId: string;
  email: string | null;
  /** The contact phone given with the identity, for SMS. */
  mobile: string | null;
  language: NoticeLanguage;
  /** Their assigned numbers: the SIP accounts whose registered devices get urgent notices. */
  numbers: string[];
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

function emailContext(subscriberId: string): string {
  return `subscribers.contact_email:${subscriberId}`;
}

/** The contacts of each subscriber asked about that exists (identity values opened, not recorded as a staff reveal). */
export async function noticeContacts(ctx: ServiceContext, subscriberIds: readonly string[]): Promise<NoticeContact[]> {
  const ids = [...new Set(subscriberIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('subscribers')
    .select(['id', 'contact_email_sealed', 'preferred_language'])
    .where('id', 'in', ids)
    .execute();
  const contacts: NoticeContact[] = [];
  for (const row of rows) {
    const identity = await revealOwnIdentity(ctx, row.id);
    contacts.push({
      subscriberId: row.id,
      email: row.contact_email_sealed ? ctx.cipher.open(row.contact_email_sealed, emailContext(row.id)) : null,
      mobile: identity?.contactPhone ?? null,
      language: row.preferred_language,
      numbers: await numbersOfSubscriber(ctx.db, row.id),
    });
  }
  return contacts;
}

/** The subscriber's own choice of where notices are e-mailed (null: none) and the language they read. */
export async function setNoticeContact(
  ctx: ServiceContext,
  subscriberId: string,
  change: { email?: string | null; language?: NoticeLanguage },
): Promise<Result<{ email: string | null; language: NoticeLanguage }>> {
  const email = change.email === undefined ? undefined : (change.email?.trim() ?? '') || null;
  if (email && (email.length > 254 || !EMAIL.test(email)))
    return fail('invalid', 'invalid-request', 'Not an e-mail address', { fields: [{ field: 'email', message: 'an e-mail address' }] });
  if (change.language !== undefined && change.language !== 'zh-CN' && change.language !== 'en')
    return fail('invalid', 'invalid-request', 'Unknown language', { fields: [{ field: 'language', message: 'zh-CN or en' }] });
  const updated = await ctx.db
    .updateTable('subscribers')
    .set({
      ...(email !== undefined ? { contact_email_sealed: email === null ? null : ctx.cipher.seal(email, emailContext(subscriberId)) } : {}),
      ...(change.language ? { preferred_language: change.language } : {}),
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', subscriberId)
    .returning(['contact_email_sealed', 'preferred_language'])
    .executeTakeFirst();
  if (!updated) return fail('not_found', 'not-found', 'No such subscriber');
  return ok({
    email: updated.contact_email_sealed ? ctx.cipher.open(updated.contact_email_sealed, emailContext(subscriberId)) : null,
    language: updated.preferred_language,
  });
}
