import type { ColumnType, Generated } from 'kysely';

export type NoticeChannel = 'email' | 'sip' | 'sms';
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'dead' | 'skipped';

/** One notice per subscriber and key: the portal inbox reads these, the channels deliver them. */
export interface NoticesTable {
  id: Generated<string>;
  subscriber_id: string;
  key: string;
  kind: string;
  urgency: 'normal' | 'urgent';
  title_en: string;
  title_zh: string;
  body_en: string;
  body_zh: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** One row per notice and channel; the job `notices.deliver` advances them. */
export interface NoticeDeliveriesTable {
  id: Generated<string>;
  notice_id: string;
  channel: NoticeChannel;
  status: DeliveryStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Date;
  /** A node's claim on the row while it sends (lease end); null when nobody holds it. */
  claimed_until: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  /** Where it went (e-mail address, SIP numbers, mobile), recorded when it is sent or given up. */
  recipient: string | null;
  updated_at: Date;
}

export interface NoticeTables {
  notices: NoticesTable;
  notice_deliveries: NoticeDeliveriesTable;
}
