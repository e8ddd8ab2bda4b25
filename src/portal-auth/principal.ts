import type { Executor } from '../platform/db/index.js';

export type SubscriberKind = 'individual' | 'organisation';
export type SubscriberStatus = 'applied' | 'documents_requested' | 'approved' | 'rejected' | 'active' | 'suspended' | 'terminated';

/** The signed-in subscriber as every portal route sees it. */
export interface SubscriberPrincipal {
  subscriberId: string;
  kind: SubscriberKind;
  status: SubscriberStatus;
}

/**
 * What portal sign-in needs to know about subscribers. The subscribers module supplies it (it depends
 * on portal-auth, so portal-auth cannot import it back).
 */
export interface SubscriberDirectory {
  /** The subscriber's kind and status, or null when there is no such subscriber. */
  principalOf(executor: Executor, subscriberId: string): Promise<SubscriberPrincipal | null>;
  /** A login typed as a contact phone, in E.164; null when it is not a valid phone number. */
  contactPhoneE164(login: string): string | null;
}
