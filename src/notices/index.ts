/**
 * Notices to subscribers (clauses 7, 10, 15 and every notice the agreement promises): the contract
 * other modules write against. A notice is written in the caller's transaction, once per subscriber
 * and `key` (idempotent: writing the same key again adds nothing), and then delivered by this module
 * through every channel the subscriber has: the portal inbox, e-mail, a SIP MESSAGE to registered
 * devices when urgent, and SMS where a provider is bound.
 *
 * (Contract stub: the implementation lands with the notices module.)
 */
import type { Executor } from '../platform/db/index.js';

export interface NoticeText {
  en: string;
  'zh-CN': string;
}

export type NoticeUrgency = 'normal' | 'urgent';

/** What a notice is about; the inbox filters and the e-mail templates key on it. */
export type NoticeKind =
  | 'terms-change'
  | 'dunning-warning'
  | 'suspension'
  | 'restoration'
  | 'bill-issued'
  | 'credit-alert'
  | 'dispute-answer'
  | 'maintenance'
  | 'service';

export interface NewNotice {
  /** Idempotency key, unique per subscriber (e.g. `maintenance:<window id>`). */
  key: string;
  kind: NoticeKind;
  urgency: NoticeUrgency;
  subscriberIds: readonly string[];
  title: NoticeText;
  body: NoticeText;
  /** A portal path the notice leads to, e.g. `/portal/bills/<id>`. */
  link?: string | null;
  occurredAt: Date;
}

/** Writes one notice per subscriber in the caller's transaction; returns how many were new. */
export async function sendNotice(executor: Executor, notice: NewNotice): Promise<number> {
  void executor;
  void notice;
  throw new Error('notices: not implemented yet');
}
