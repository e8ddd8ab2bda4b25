import type { Executor } from '../platform/db/index.js';
import type { SubscriberDirectory, SubscriberPrincipal } from '../portal-auth/index.js';
import { validatePhoneNumber } from './validation/index.js';

/** What portal-auth asks of subscribers: who a subscriber is, and a contact phone in E.164. */
export const subscriberDirectory: SubscriberDirectory = {
  async principalOf(executor: Executor, subscriberId: string): Promise<SubscriberPrincipal | null> {
    const row = await executor.selectFrom('subscribers').select(['id', 'kind', 'status']).where('id', '=', subscriberId).executeTakeFirst();
    return row ? { subscriberId: row.id, kind: row.kind, status: row.status } : null;
  },
  contactPhoneE164(login: string): string | null {
    const phone = validatePhoneNumber(login);
    return phone.ok ? phone.value.e164 : null;
  },
};
