import { createTransport, type Transporter } from 'nodemailer';
import type { Settings } from '../platform/config/index.js';
import type { Notice } from './notices.js';
import type { NoticeChannel } from './tables.js';

/** Where one subscriber's notices reach them; the subscribers module answers (wired in src/service.ts). */
export interface NoticeRecipient {
  subscriberId: string;
  email: string | null;
  mobile: string | null;
  language: 'zh-CN' | 'en';
  /** Their numbers: the SIP accounts whose registered devices get urgent notices. */
  numbers: string[];
}

export interface RecipientSource {
  recipients(subscriberIds: readonly string[]): Promise<NoticeRecipient[]>;
}

/**
 * Sends a text to the devices registered for `numbers` (a server-originated SIP MESSAGE, RFC 3428);
 * the calls module implements it. `devices`: how many were registered; `delivered`: how many took it;
 * `interrupted`: `stopping` ended the wait before every device had answered.
 */
export interface DeviceMessenger {
  sendText(numbers: string[], text: string, stopping?: AbortSignal): Promise<{ devices: number; delivered: number; interrupted?: true }>;
}

/**
 * The SMS extension point: no provider is bound by default, and SMS deliveries are then skipped.
 * An operator binds one (an SMS gateway's HTTP API) by passing an implementation to the notices job.
 * `send` resolves once the provider accepted the message and throws when it did not (then retried).
 */
export interface SmsSender {
  send(mobile: string, text: string): Promise<void>;
}

/**
 * What one attempt at one delivery came to; a thrown error is a failure (retried with backoff).
 * `interrupted`: the service stopped before the attempt came to anything; the delivery is left for
 * the next pass as if it had not been tried.
 */
export type ChannelOutcome =
  { status: 'sent'; recipient: string } | { status: 'skipped'; reason: string; recipient?: string } | { status: 'interrupted' };

export interface DueDelivery {
  id: string;
  channel: NoticeChannel;
  attempts: number;
}

/** One way a notice reaches a subscriber besides the portal inbox. */
export interface NoticeChannelSender {
  channel: NoticeChannel;
  /** `stopping`: aborted when the service stops; a channel that waits on others stops waiting then. */
  deliver(delivery: DueDelivery, notice: Notice, recipient: NoticeRecipient | undefined, stopping?: AbortSignal): Promise<ChannelOutcome>;
  close?(): void;
}

/** The e-mail's subject and text in the reader's language. */
export function noticeEmail(notice: Notice, language: 'zh-CN' | 'en', settings: Pick<Settings, 'providerName' | 'providerWebsite'>) {
  const title = notice.title[language];
  const body = notice.body[language];
  const site = settings.providerWebsite.replace(/\/+$/, '');
  const link = notice.link ? `${site}${notice.link}` : `${site}/portal/notices`;
  if (language === 'zh-CN') {
    return {
      subject: `【视频电话】${title}`,
      text: `尊敬的用户：\n\n${body}\n\n详情请见：${link}\n\n此邮件为 ${settings.providerName} 的服务通知，请勿直接回复。\n`,
    };
  }
  return {
    subject: `[Videophone] ${title}`,
    text: `Dear subscriber,\n\n${body}\n\nDetails: ${link}\n\nThis is a service notice from ${settings.providerName}; please do not reply to this e-mail.\n`,
  };
}

/** The same delivery always carries the same Message-ID, so a resend after a lost reply is recognisable as one. */
export function messageIdOf(deliveryId: string, mailFrom: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'videophone.invalid';
  return `<notice-${deliveryId}@${domain}>`;
}

/** E-mail over SMTP (nodemailer); without an SMTP URL every e-mail delivery is skipped. */
export function emailChannel(
  smtpUrl: string | null,
  settings: Pick<Settings, 'providerName' | 'providerWebsite' | 'mailFrom'>,
): NoticeChannelSender {
  const transport: Transporter | null = smtpUrl
    ? createTransport(smtpUrl, {
        // A server that does not answer is a failed attempt (retried), not a job that hangs.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      })
    : null;
  return {
    channel: 'email',
    async deliver(delivery, notice, recipient) {
      if (!transport) return { status: 'skipped', reason: 'e-mail is not configured (SMTP_URL)' };
      if (!recipient?.email) return { status: 'skipped', reason: 'no e-mail address' };
      const mail = noticeEmail(notice, recipient.language, settings);
      await transport.sendMail({
        from: settings.mailFrom,
        to: recipient.email,
        subject: mail.subject,
        text: mail.text,
        messageId: messageIdOf(delivery.id, settings.mailFrom),
        date: notice.createdAt,
        headers: { 'Content-Language': recipient.language },
      });
      return { status: 'sent', recipient: recipient.email };
    },
    close() {
      transport?.close();
    },
  };
}

/** A short text for a device banner or an SMS: the title and the body, in the reader's language. */
export function shortText(notice: Notice, language: 'zh-CN' | 'en', max = 500): string {
  const text = `${notice.title[language]}: ${notice.body[language]}`;
  return [...text].length > max ? [...text].slice(0, max - 1).join('') + '…' : text;
}

/** A SIP MESSAGE to the subscriber's registered devices; skipped without a messenger or a registered device. */
export function sipChannel(messenger: DeviceMessenger | null): NoticeChannelSender {
  return {
    channel: 'sip',
    async deliver(_delivery, notice, recipient, stopping) {
      if (!messenger) return { status: 'skipped', reason: 'no SIP messenger' };
      if (!recipient || recipient.numbers.length === 0) return { status: 'skipped', reason: 'no number' };
      const recipientText = recipient.numbers.join(',');
      const result = await messenger.sendText(recipient.numbers, shortText(notice, recipient.language), stopping);
      if (result.devices === 0) return { status: 'skipped', reason: 'no registered device', recipient: recipientText };
      if (result.delivered === 0 && result.interrupted) return { status: 'interrupted' };
      if (result.delivered === 0) throw new Error(`none of ${result.devices} registered devices accepted the MESSAGE`);
      return { status: 'sent', recipient: `${recipientText} (${result.delivered}/${result.devices} devices)` };
    },
  };
}

/** SMS through the bound provider; skipped while none is bound (the default). */
export function smsChannel(sender: SmsSender | null): NoticeChannelSender {
  return {
    channel: 'sms',
    async deliver(_delivery, notice, recipient) {
      if (!sender) return { status: 'skipped', reason: 'no SMS provider bound' };
      if (!recipient?.mobile) return { status: 'skipped', reason: 'no mobile number' };
      await sender.send(recipient.mobile, shortText(notice, recipient.language, 300));
      return { status: 'sent', recipient: recipient.mobile };
    },
  };
}
