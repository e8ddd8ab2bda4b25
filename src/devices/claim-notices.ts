import type { NoticeText } from '../notices/index.js';
import { formatMoney, type Fen } from '../platform/money.js';

/** What the subscriber is told at each step of a claim, in both languages. */
export type ClaimStep =
  | { step: 'filed'; covered: boolean; endsOn: string | null }
  | { step: 'assessed-covered'; decision: 'repair' | 'replace' }
  | { step: 'quoted'; quoteFen: number; why: 'out-of-warranty' | 'excluded' }
  | { step: 'quote-accepted'; quoteFen: number }
  | { step: 'quote-declined' }
  | { step: 'repaired' }
  | { step: 'replaced'; serialNumber: string; endsOn: string | null }
  | { step: 'completed' };

export function claimNoticeText(s: ClaimStep, serial: string, currency: string): { title: NoticeText; body: NoticeText } {
  const formatFen = (fen: Fen, locale: 'en' | 'zh-CN') => formatMoney(fen, currency, locale);
  switch (s.step) {
    case 'filed':
      return {
        title: { en: `Warranty claim received for terminal ${serial}`, 'zh-CN': `已收到终端 ${serial} 的保修申请` },
        body: s.covered
          ? {
              en: `Your written claim was received within the warranty${s.endsOn ? ` (which runs through ${s.endsOn})` : ''}. A technician will assess the terminal.`,
              'zh-CN': `您的书面保修申请已在保修期内收到${s.endsOn ? `（保修期至 ${s.endsOn}）` : ''}，技术人员将对终端进行检测。`,
            }
          : {
              en: `The terminal's warranty ended on ${s.endsOn} because its sealed case was opened without authorisation (clause 4). A technician will assess it and quote the repair.`,
              'zh-CN': `由于终端被擅自拆开，其保修已于 ${s.endsOn} 终止（协议第四条）。技术人员将进行检测并报价维修费用。`,
            },
      };
    case 'assessed-covered':
      return {
        title: { en: `Your terminal ${serial} is covered by the warranty`, 'zh-CN': `您的终端 ${serial} 属于保修范围` },
        body:
          s.decision === 'repair'
            ? { en: 'We will repair it free of charge.', 'zh-CN': '我们将免费为您维修。' }
            : { en: 'We will replace it free of charge.', 'zh-CN': '我们将免费为您更换。' },
      };
    case 'quoted':
      return {
        title: {
          en: `Repair quote for terminal ${serial}: ${formatFen(s.quoteFen, 'en')}`,
          'zh-CN': `终端 ${serial} 维修报价：${formatFen(s.quoteFen, 'zh-CN')}`,
        },
        body:
          s.why === 'excluded'
            ? {
                en: 'The damage is not covered by the warranty (clause 4). Accept the quote in the portal and it is charged on your next bill, or decline it.',
                'zh-CN': '该损坏不在保修范围内（协议第四条）。您可在网上营业厅接受报价（费用计入下期账单）或拒绝。',
              }
            : {
                en: 'The terminal is out of warranty. Accept the quote in the portal and it is charged on your next bill, or decline it.',
                'zh-CN': '该终端已过保修期。您可在网上营业厅接受报价（费用计入下期账单）或拒绝。',
              },
      };
    case 'quote-accepted':
      return {
        title: { en: `Quote accepted for terminal ${serial}`, 'zh-CN': `已接受终端 ${serial} 的维修报价` },
        body: {
          en: `${formatFen(s.quoteFen, 'en')} will be charged on your next bill. We will proceed.`,
          'zh-CN': `${formatFen(s.quoteFen, 'zh-CN')} 将计入您的下期账单，我们将继续处理。`,
        },
      };
    case 'quote-declined':
      return {
        title: { en: `Quote declined for terminal ${serial}`, 'zh-CN': `已拒绝终端 ${serial} 的维修报价` },
        body: { en: 'Nothing is charged; the claim is closed.', 'zh-CN': '不收取任何费用，申请已关闭。' },
      };
    case 'repaired':
      return {
        title: { en: `Terminal ${serial} repaired`, 'zh-CN': `终端 ${serial} 已维修` },
        body: { en: 'The repair is done; the terminal is on its way back to you.', 'zh-CN': '维修已完成，终端将寄回给您。' },
      };
    case 'replaced':
      return {
        title: { en: `Terminal ${serial} replaced`, 'zh-CN': `终端 ${serial} 已更换` },
        body: {
          en: `A replacement unit (${s.serialNumber}) is being sent to you. Its warranty is the original one${s.endsOn ? `, through ${s.endsOn}` : ''} (clause 4: a replacement does not extend it).`,
          'zh-CN': `替换终端（${s.serialNumber}）将寄给您。其保修期沿用原终端${s.endsOn ? `，至 ${s.endsOn}` : ''}（协议第四条：更换不延长保修期）。`,
        },
      };
    case 'completed':
      return {
        title: { en: `Warranty claim for terminal ${serial} completed`, 'zh-CN': `终端 ${serial} 的保修申请已完成` },
        body: { en: 'The claim is settled.', 'zh-CN': '该申请已处理完毕。' },
      };
  }
}
