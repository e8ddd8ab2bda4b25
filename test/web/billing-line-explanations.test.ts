import i18next, { type TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { ledgerOf, postAdjustment, recordPayment, refundCredit } from '../../src/billing/index.js';
import { explainLine } from '../../web/src/features/billing/billing-api.js';
import { en } from '../../web/src/i18n/en.js';
import { zhCN } from '../../web/src/i18n/zh-CN.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addPlan, addSubscriber, billingOf, local } from '../billing/support.js';

/**
 * Every ledger line the portal and console show is explained in the reader's language from the
 * entry's structured detail, never by showing the server's English description to a Chinese reader.
 */
describe('ledger lines explained in Chinese and English', () => {
  let service: TestService;
  let subscriberId: string;
  const translate: Record<'zh-CN' | 'en', TFunction> = {} as never;

  beforeAll(async () => {
    service = await startTestService('pglite', { start: '2026-05-10T02:00:00Z' });
    const planId = await addPlan(service);
    subscriberId = (await addSubscriber(service, planId, '2026-05-01')).id;
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
    const billing = billingOf(service);
    service.clock.set(local('2026-05-12 10:00'));
    const paid = await recordPayment(
      billing,
      {
        subscriberId,
        provider: 'bank',
        externalReference: 'BK-2026-0512',
        amountFen: 50_00,
        paidAt: service.clock.now(),
        channel: 'manual',
      },
      systemActor,
    );
    expect(paid.ok).toBe(true);
    expect((await refundCredit(billing, { subscriberId, amountFen: 5_00, reason: '重复缴费退回' }, systemActor)).ok).toBe(true);
    const adjusted = await postAdjustment(
      billing,
      { subscriberId, kind: 'adjustment', amountFen: 2_00, reason: '上门安装服务费', idempotencyKey: 'adj-1' },
      systemActor,
    );
    expect(adjusted.ok).toBe(true);
    const credited = await postAdjustment(
      billing,
      { subscriberId, kind: 'credit_note', amountFen: 3_00, reason: 'Outage on May 11', idempotencyKey: 'cn-1' },
      systemActor,
    );
    expect(credited.ok).toBe(true);
  });
  afterAll(() => service?.close());

  async function explained(language: 'zh-CN' | 'en'): Promise<Record<string, string>> {
    const ledger = await ledgerOf(service.ctx.db, subscriberId);
    return Object.fromEntries(ledger.map((entry) => [entry.kind, explainLine(translate[language], entry)]));
  }

  it('in Chinese: payment by provider and reference, and the reason staff gave for a refund, an adjustment and a credit note', async () => {
    expect(await explained('zh-CN')).toEqual({
      payment: '银行转账付款，凭证号 BK-2026-0512',
      refund: '退款：重复缴费退回',
      adjustment: '调账：上门安装服务费',
      credit_note: '退还：Outage on May 11',
    });
  });

  it('in English, the same lines', async () => {
    expect(await explained('en')).toEqual({
      payment: 'Payment by bank transfer, reference BK-2026-0512',
      refund: 'Refund: 重复缴费退回',
      adjustment: 'Adjustment: 上门安装服务费',
      credit_note: 'Credit note: Outage on May 11',
    });
  });
});
