import type { ServiceContext } from '../platform/context.js';
import { EventConsumer, type DeliveredEvent } from '../platform/events/index.js';
import { formatMoney } from '../platform/money.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { sendNotice, type NewNotice, type NoticeText } from './notices.js';

export const NOTICES_CONSUMER = 'notices.events';

/** The events other modules publish that a subscriber is told of, each turned into one notice. */
export const NOTICE_EVENTS = [
  'agreement.terms-change-notified',
  'subscriber.suspension-started',
  'subscriber.suspension-lifted',
  'charging.credit-alert',
  'dispute.answered',
  'bill.issued',
  'billing.dunning-warning',
] as const;

type Draft = Omit<NewNotice, 'key' | 'subscriberIds' | 'occurredAt'>;
type Payload = Record<string, unknown>;

const text = (en: string, zh: string): NoticeText => ({ en, 'zh-CN': zh });

/** What each suspension cause is called in a notice. Judicial: neutral, never the order's details (clause 10). */
const SUSPENSION_TEXTS: Record<string, NoticeText> = {
  overdue: text('because a bill is overdue. Paying what is owed restores it.', '原因是账单逾期未缴。结清欠费后即可恢复。'),
  'credit-limit': text(
    'because this month’s charges reached your credit limit. A payment or a higher limit restores it.',
    '原因是本月费用已达到信用额度。缴费或提高额度后即可恢复。',
  ),
  judicial: text(
    'at the request of a competent authority. For questions, please contact customer service.',
    '系应有权机关的要求。如有疑问，请联系客户服务。',
  ),
  'false-data': text(
    'while your identity data is being reviewed. Please contact customer service to complete it.',
    '原因是您的身份资料待核实。请联系客户服务补充资料。',
  ),
  abuse: text(
    'following a report of use that breaks the client licence or the law. Please contact customer service.',
    '原因是收到违反客户端许可或法律的使用举报。请联系客户服务。',
  ),
  termination: text('because you asked to end the agreement.', '原因是您已申请终止协议。'),
};

function str(payload: Payload, field: string): string {
  const value = payload[field];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function num(payload: Payload, field: string): number {
  const value = payload[field];
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** The notice an event becomes, in both languages; null for an event that tells the subscriber nothing. */
export function noticeOfEvent(event: DeliveredEvent, settings: ServiceContext['settings']): Draft | null {
  const p = (event.payload ?? {}) as Payload;
  const money = (fen: number) => ({ en: formatMoney(fen, settings.currency, 'en'), zh: formatMoney(fen, settings.currency, 'zh-CN') });
  const day = (iso: string) => (iso ? localDateOf(new Date(iso), settings.timeZone) : '');
  switch (event.type) {
    case 'agreement.terms-change-notified': {
      const version = str(p, 'version');
      const effective = day(str(p, 'effectiveAt'));
      const lastDay = str(p, 'lastDayToObject');
      const summary = str(p, 'summary');
      return {
        kind: 'terms-change',
        urgency: 'normal',
        title: text(`The service agreement changes (version ${version})`, `服务协议变更（第 ${version} 版）`),
        body: text(
          `Version ${version} of the service agreement takes effect on ${effective}. What changes: ${summary}\n` +
            `If you do not agree, you may object in the portal until ${lastDay} (clause 15); without an objection the new terms apply from ${effective}.`,
          `服务协议第 ${version} 版将于 ${effective} 生效。变更内容：${summary}\n` +
            `如不同意，您可在 ${lastDay} 前（含当日）通过自助服务提出异议（第十五条）；未提出异议的，新条款自 ${effective} 起适用。`,
        ),
        link: '/portal',
      };
    }
    case 'subscriber.suspension-started': {
      const cause = str(p, 'cause');
      const why = SUSPENSION_TEXTS[cause] ?? text('.', '。');
      const outgoing = str(p, 'blocks') === 'outgoing';
      return {
        kind: 'suspension',
        urgency: 'urgent',
        title: outgoing ? text('Outgoing calls suspended', '呼出服务已暂停') : text('Service suspended', '服务已暂停'),
        body: outgoing
          ? text(`Your outgoing calls are suspended ${why.en}`, `您的呼出服务已暂停，${why['zh-CN']}`)
          : text(`Your video phone service is suspended ${why.en}`, `您的视频电话服务已暂停，${why['zh-CN']}`),
        link: '/portal',
      };
    }
    case 'subscriber.suspension-lifted': {
      const judicial = str(p, 'cause') === 'judicial';
      return {
        kind: 'restoration',
        urgency: 'normal',
        title: text('Service restored', '服务已恢复'),
        body: judicial
          ? text('The suspension of your service has been lifted.', '您的服务暂停已解除。')
          : text('The suspension of your service has been lifted; you can make calls again.', '您的服务暂停已解除，可以正常通话。'),
        link: '/portal',
      };
    }
    case 'charging.credit-alert': {
      const percent = num(p, 'percent');
      const fees = money(num(p, 'feesFen'));
      const limit = money(num(p, 'limitFen'));
      const full = percent >= 100;
      return {
        kind: 'credit-alert',
        urgency: full ? 'urgent' : 'normal',
        title: full
          ? text('Credit limit reached', '已达到信用额度')
          : text(`${percent} % of your credit limit used`, `已使用信用额度的 ${percent}%`),
        body: full
          ? text(
              `This month’s charges (${fees.en}) reached your credit limit of ${limit.en} (clause 9); outgoing calls are limited until you pay or the limit is raised.`,
              `本月费用（${fees.zh}）已达到您的信用额度 ${limit.zh}（第九条）；在缴费或提高额度之前，呼出将受到限制。`,
            )
          : text(
              `This month’s charges (${fees.en}) reached ${percent} % of your credit limit of ${limit.en} (clause 9).`,
              `本月费用（${fees.zh}）已达到您的信用额度 ${limit.zh} 的 ${percent}%（第九条）。`,
            ),
        link: '/portal',
      };
    }
    case 'dispute.answered': {
      const outcome = str(p, 'outcome');
      const credited = num(p, 'creditedFen');
      const outcomes: Record<string, NoticeText> = {
        upheld: text('upheld', '成立'),
        'partly-upheld': text('partly upheld', '部分成立'),
        rejected: text('not upheld', '不成立'),
      };
      const what = outcomes[outcome] ?? text(outcome, outcome);
      const credit = credited > 0 ? money(credited) : null;
      return {
        kind: 'dispute-answer',
        urgency: 'normal',
        title: text('Your fee dispute has been answered', '您的费用争议已答复'),
        body: text(
          `Your dispute was found ${what.en}.${credit ? ` ${credit.en} is credited to your account.` : ''} You may accept the answer or take the matter further in the portal (clause 16).`,
          `经核查，您的争议${what['zh-CN']}。${credit ? `已向您的账户退还 ${credit.zh}。` : ''}您可在自助服务中接受答复或申请进一步协商（第十六条）。`,
        ),
        link: `/portal/disputes`,
      };
    }
    case 'bill.issued': {
      const total = money(num(p, 'totalFen'));
      const period = str(p, 'period').slice(0, 7);
      const due = str(p, 'dueDate');
      return {
        kind: 'bill-issued',
        urgency: 'normal',
        title: text(`Your bill for ${period}`, `${period} 账单已出`),
        body: text(
          `Your bill for ${period} has been issued: ${total.en}, due on ${due} (clause 5).`,
          `您 ${period} 的账单已出：${total.zh}，请于 ${due} 前缴清（第五条）。`,
        ),
        link: '/portal/bills',
      };
    }
    case 'billing.dunning-warning': {
      const owed = money(num(p, 'overdueFen'));
      const by = str(p, 'suspendOn');
      return {
        kind: 'dunning-warning',
        urgency: 'urgent',
        title: text('Overdue bill: service will be suspended', '账单逾期：服务即将暂停'),
        body: text(
          `${owed.en} is overdue.${by ? ` Unless it is paid, service is suspended from ${by}` : ' Unless it is paid, service will be suspended'} (clause 5). Late fees accrue daily.`,
          `您有 ${owed.zh} 逾期未缴。${by ? `如未缴清，服务将自 ${by} 起暂停` : '如未缴清，服务将被暂停'}（第五条）。逾期每日计收滞纳金。`,
        ),
        link: '/portal/bills',
      };
    }
    default:
      return null;
  }
}

/** The subscriber an event is about: the aggregate, when it is a subscriber, else the payload's `subscriberId`. */
function subscriberOf(event: DeliveredEvent): string | null {
  if (event.aggregateType === 'subscriber') return event.aggregateId;
  const id = ((event.payload ?? {}) as Payload).subscriberId;
  return typeof id === 'string' ? id : null;
}

/**
 * Turns the events above into notices, through the outbox consumer `notices.events` (its own cursor;
 * at least once). Idempotent: the notice's key is the event's id, so an event handed over again adds
 * nothing. The batch is written in one transaction.
 */
export function noticeEventConsumer(ctx: ServiceContext): EventConsumer {
  return new EventConsumer(ctx.db, NOTICES_CONSUMER, { types: NOTICE_EVENTS, batchSize: 500, logger: ctx.logger }, async (events) => {
    await ctx.db.transaction().execute(async (trx) => {
      for (const event of events) {
        const subscriberId = subscriberOf(event);
        const draft = noticeOfEvent(event, ctx.settings);
        if (!subscriberId || !draft) continue;
        await sendNotice(trx, { ...draft, key: `event:${event.id}`, subscriberIds: [subscriberId], occurredAt: event.occurredAt });
      }
    });
  });
}
