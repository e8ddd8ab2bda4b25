/**
 * Notices to subscribers (clauses 7, 10, 15 and every notice the agreement promises). A notice is
 * written in the caller's transaction, once per subscriber and `key` (idempotent: writing the same
 * key again adds nothing), and then delivered by this module through every channel the subscriber
 * has: the portal inbox, e-mail, a SIP MESSAGE to registered devices when urgent, and SMS where a
 * provider is bound.
 */
export {
  channelsFor,
  listNotices,
  loadNotice,
  markNoticeRead,
  sendNotice,
  unreadCount,
  type NewNotice,
  type Notice,
  type NoticeKind,
  type NoticeText,
  type NoticeUrgency,
} from './notices.js';
export {
  emailChannel,
  messageIdOf,
  noticeEmail,
  sipChannel,
  smsChannel,
  type ChannelOutcome,
  type DeviceMessenger,
  type NoticeChannelSender,
  type NoticeRecipient,
  type RecipientSource,
  type SmsSender,
} from './channels.js';
export {
  backoffMs,
  deliverDueNotices,
  listDeliveries,
  retryDelivery,
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type DeliveryView,
} from './delivery.js';
export { NOTICE_EVENTS, NOTICES_CONSUMER, noticeEventConsumer, noticeOfEvent } from './events.js';
export { noticesJob, type NoticesJobOptions } from './job.js';
export { noticeRoutes } from './routes.js';
export type { DeliveryStatus, NoticeChannel, NoticeTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { notices } from './migrations/20261203T0800-notices.js';
export { failedDeliveryQueuePage, failedDeliveryStages } from './work-queue.js';
