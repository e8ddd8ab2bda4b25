import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerCodes as serverAnswerCodes } from '../../src/disputes/disputes.js';
import { explainCredit } from '../../web/src/features/billing/billing-api.js';
import { answerCodes } from '../../web/src/features/disputes/disputes-api.js';
import { findingSentence, formatPreciseRate } from '../../web/src/features/disputes/evidence-view.js';
import { en } from '../../web/src/i18n/en.js';
import { zhCN } from '../../web/src/i18n/zh-CN.js';

/** What the dispute pages say, in both languages: credits on a bill, the judgement's findings, rates. */
describe('fee disputes explained in Chinese and English', () => {
  const translate: Record<'zh-CN' | 'en', TFunction> = {} as never;

  beforeAll(async () => {
    for (const [language, messages] of [
      ['zh-CN', zhCN],
      ['en', en],
    ] as const) {
      const instance = i18next.createInstance();
      await instance.init({
        lng: language,
        resources: { [language]: { translation: messages } },
        interpolation: { escapeValue: false },
        showSupportNotice: false,
      });
      translate[language] = instance.t;
    }
  });

  it('the pages offer the same six answer codes as the server, in its order', () => {
    expect(answerCodes).toEqual([...serverAnswerCodes]);
  });

  it('a dispute credit on the next bill names the outcome and what was disputed', () => {
    const credit = {
      description: 'Fee dispute partly-upheld: bill-line 5b0c1f9e-0000-4000-8000-000000000001',
      detail: { reason: 'Fee dispute partly-upheld: bill-line 5b0c1f9e-0000-4000-8000-000000000001', billId: 'x' },
    };
    expect(explainCredit(translate['zh-CN'], 'zh-CN', credit)).toBe('费用争议处理结果：争议部分成立，退还所争议账单项目的费用');
    expect(explainCredit(translate.en, 'en', credit)).toBe(
      'Fee dispute answered (Partly upheld): the disputed charge given back (Bill line)',
    );
    // As the server writes it now: the dispute named in the detail, whatever the reason's words.
    const named = {
      description: 'x',
      detail: { reason: 'x', source: { kind: 'dispute', disputeId: 'd', outcome: 'upheld', subject: 'call' } },
    };
    expect(explainCredit(translate['zh-CN'], 'zh-CN', named)).toBe('费用争议处理结果：争议成立，退还所争议通话的费用');
  });

  it('an outage credit shows the half of its two-language reason in the reader’s language; any other credit its reason', () => {
    const reason = 'Outage OUT-7 v1 (clause 13): 95 min affected · 服务中断补偿 OUT-7：受影响 95 分钟';
    expect(explainCredit(translate['zh-CN'], 'zh-CN', { description: reason, detail: { reason } })).toBe(
      '服务中断补偿：服务中断补偿 OUT-7：受影响 95 分钟',
    );
    expect(explainCredit(translate.en, 'en', { description: reason, detail: { reason } })).toBe(
      'Outage credit: Outage OUT-7 v1 (clause 13): 95 min affected',
    );
    expect(explainCredit(translate['zh-CN'], 'zh-CN', { description: '致歉', detail: { reason: '致歉' } })).toBe('退还：致歉');
  });

  it('a finding is a sentence naming the side, the value and the threshold', () => {
    const loss = { code: 'loss', side: 'subscriber', value: 18, threshold: 5 } as const;
    expect(findingSentence(translate['zh-CN'], loss)).toBe('用户一侧丢包率 18%，达到阈值 5%。');
    expect(findingSentence(translate.en, loss)).toBe('Subscriber’s side: 18 % loss, at or above the threshold of 5 %.');
    expect(findingSentence(translate['zh-CN'], { code: 'ended-by-platform', endReason: null })).toBe(
      '通话由平台结束（原因：未说明），不是双方挂断。',
    );
  });

  it('a per-minute rate in 1/10000 fen is shown in yuan without float artefacts', () => {
    expect(formatPreciseRate(30_0000)).toBe('¥0.30');
    expect(formatPreciseRate(15_0000)).toBe('¥0.15');
    expect(formatPreciseRate(12_3456)).toBe('¥0.123456');
    expect(formatPreciseRate(1_500_000_0)).toBe('¥15.00');
  });
});
