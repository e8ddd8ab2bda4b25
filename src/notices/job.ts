import type { ServiceContext } from '../platform/context.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';
import { emailChannel, sipChannel, smsChannel, type DeviceMessenger, type RecipientSource, type SmsSender } from './channels.js';
import { deliverDueNotices, type DeliveryPolicy } from './delivery.js';
import { noticeEventConsumer } from './events.js';

export interface NoticesJobOptions {
  /** Where notices are e-mailed from; null: the e-mail channel is off. */
  smtpUrl: string | null;
  recipients: RecipientSource;
  /** The calls module's SIP MESSAGE sender; null: urgent notices reach no device. */
  messenger?: DeviceMessenger | null;
  /** The SMS provider; none is bound by default. */
  sms?: SmsSender | null;
  policy?: Partial<DeliveryPolicy>;
}

/**
 * `notices.deliver`: turns the events subscribers are told of into notices, then sends every
 * delivery due by T. Both steps are "advance to T" (the consumer's cursor, the deliveries' states);
 * the job runner's lock runs it on one node at a time, and the claims keep two nodes apart anyway.
 */
export function noticesJob(ctx: ServiceContext, options: NoticesJobOptions): TimeDrivenJob {
  const consumer = noticeEventConsumer(ctx);
  const channels = [emailChannel(options.smtpUrl, ctx.settings), sipChannel(options.messenger ?? null), smsChannel(options.sms ?? null)];
  return {
    name: 'notices.deliver',
    intervalSeconds: 2,
    async advanceTo(instant: Date, stopping?: AbortSignal) {
      const events = await consumer.consume(instant);
      const deliveries = await deliverDueNotices(
        {
          db: ctx.db,
          channels,
          recipients: options.recipients,
          logger: ctx.logger,
          ...(options.policy ? { policy: options.policy } : {}),
          ...(stopping ? { stopping } : {}),
        },
        instant,
      );
      return { events: events.delivered, ...deliveries };
    },
  };
}
