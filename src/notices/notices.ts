import type { Executor } from '../platform/db/index.js';
import type { NoticeChannel } from './tables.js';

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

export interface Notice {
  id: string;
  subscriberId: string;
  key: string;
  kind: NoticeKind;
  urgency: NoticeUrgency;
  title: NoticeText;
  body: NoticeText;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * The channels a notice goes out on besides the inbox: e-mail always, and for an urgent notice a SIP
 * MESSAGE to the registered devices and an SMS (skipped where no provider is bound).
 */
export function channelsFor(urgency: NoticeUrgency): NoticeChannel[] {
  return urgency === 'urgent' ? ['email', 'sip', 'sms'] : ['email'];
}

/**
 * Writes one notice per subscriber in the caller's transaction, with its pending deliveries; returns
 * how many were new. Idempotent per subscriber and `key`: writing the same key again adds nothing
 * (and leaves the first text as it was).
 */
export async function sendNotice(executor: Executor, notice: NewNotice): Promise<number> {
  const subscriberIds = [...new Set(notice.subscriberIds)];
  if (subscriberIds.length === 0) return 0;
  const created = await executor
    .insertInto('notices')
    .values(
      subscriberIds.map((subscriberId) => ({
        subscriber_id: subscriberId,
        key: notice.key,
        kind: notice.kind,
        urgency: notice.urgency,
        title_en: notice.title.en,
        title_zh: notice.title['zh-CN'],
        body_en: notice.body.en,
        body_zh: notice.body['zh-CN'],
        link: notice.link ?? null,
        created_at: notice.occurredAt,
        read_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['subscriber_id', 'key']).doNothing())
    .returning('id')
    .execute();
  if (created.length === 0) return 0;
  const channels = channelsFor(notice.urgency);
  await executor
    .insertInto('notice_deliveries')
    .values(
      created.flatMap(({ id }) =>
        channels.map((channel) => ({
          notice_id: id,
          channel,
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: notice.occurredAt,
          claimed_until: null,
          last_error: null,
          sent_at: null,
          recipient: null,
          updated_at: notice.occurredAt,
        })),
      ),
    )
    .execute();
  return created.length;
}

type NoticeRow = {
  id: string;
  subscriber_id: string;
  key: string;
  kind: string;
  urgency: NoticeUrgency;
  title_en: string;
  title_zh: string;
  body_en: string;
  body_zh: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
};

function toNotice(row: NoticeRow): Notice {
  return {
    id: row.id,
    subscriberId: row.subscriber_id,
    key: row.key,
    kind: row.kind as NoticeKind,
    urgency: row.urgency,
    title: { en: row.title_en, 'zh-CN': row.title_zh },
    body: { en: row.body_en, 'zh-CN': row.body_zh },
    link: row.link,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/** A subscriber's notices, newest first, with their read state. */
export async function listNotices(executor: Executor, subscriberId: string, options: { limit?: number } = {}): Promise<Notice[]> {
  const rows = await executor
    .selectFrom('notices')
    .selectAll()
    .where('subscriber_id', '=', subscriberId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 200)
    .execute();
  return rows.map(toNotice);
}

/** How many of a subscriber's notices they have not read yet. */
export async function unreadCount(executor: Executor, subscriberId: string): Promise<number> {
  const row = await executor
    .selectFrom('notices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('subscriber_id', '=', subscriberId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One of the subscriber's notices (null if it is not theirs or does not exist). */
export async function loadNotice(executor: Executor, subscriberId: string, noticeId: string): Promise<Notice | null> {
  if (!isUuid(noticeId)) return null;
  const row = await executor
    .selectFrom('notices')
    .selectAll()
    .where('id', '=', noticeId)
    .where('subscriber_id', '=', subscriberId)
    .executeTakeFirst();
  return row ? toNotice(row) : null;
}

/**
 * The subscriber's read receipt: the first read counts, a second changes nothing. Returns the notice
 * as it now stands, or null if it is not theirs.
 */
export async function markNoticeRead(executor: Executor, subscriberId: string, noticeId: string, at: Date): Promise<Notice | null> {
  if (!isUuid(noticeId)) return null;
  await executor
    .updateTable('notices')
    .set({ read_at: at })
    .where('id', '=', noticeId)
    .where('subscriber_id', '=', subscriberId)
    .where('read_at', 'is', null)
    .execute();
  return loadNotice(executor, subscriberId, noticeId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Notices by id, for delivery (any subscriber's). */
export async function loadNoticesByIds(executor: Executor, ids: readonly string[]): Promise<Notice[]> {
  if (ids.length === 0) return [];
  const rows = await executor
    .selectFrom('notices')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(toNotice);
}
