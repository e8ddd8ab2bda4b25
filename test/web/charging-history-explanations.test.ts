import i18next, { type TFunction } from 'i18next';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctAccountPlan } from '../../src/billing/index.js';
import { changeCreditLimit, chargingHistory } from '../../src/charging/index.js';
import { explainChargingEntry } from '../../web/src/features/subscribers/credit-history.js';
import { en } from '../../web/src/i18n/en.js';
import { zhCN } from '../../web/src/i18n/zh-CN.js';
import { addPlan, advanceTo, local } from '../billing/support.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/**
 * The console's charging history is explained in the reader's language from each entry's structured
 * detail, as src/charging writes it: Wang (0.15 a minute, 6-second steps) is given a 10.00 limit by
 * staff, talks 54 minutes, starts a second call (the 80 % alert), a third call of 15 minutes takes him
 * past the limit, the second call is then granted no more time and cut off after its first minute, a
 * fourth is refused, and he chooses 500.00 himself, which restores calling.
 */
describe('charging history explained in Chinese and English', () => {
  let service: TestService;
  let wang: ActiveSubscriber;
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
    service = await startTestService('pglite', { start: '2026-01-01T00:00:00Z' });
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    wang = await activeIndividual(service, reviewer, '王小明');
    await advanceTo(service, '2026-01-01 08:10');
    await correctAccountPlan(service.ctx, wang.id, await addPlan(service));
    service.clock.set(local('2026-01-10 09:00'));
    const { charging } = service;
    const caller = wang.number;
    const staff = { type: 'staff' as const, id: null, name: 'li.billing' };
    expect((await changeCreditLimit(service.ctx, charging, { subscriberId: wang.id, limitFen: 10_00, by: 'staff' }, staff)).ok).toBe(true);

    const at = (minutes: number) => new Date(local('2026-01-10 09:00').getTime() + minutes * 60_000);
    const talk = async (callKey: string, from: number, minutes: number) => {
      const recordId = randomUUID();
      await charging.answered({ callKey, caller, recordId, at: at(from) });
      await charging.ended({ callKey, caller, recordId, answeredAt: at(from), endedAt: at(from + minutes) });
    };
    await charging.authorize({ callKey: 'first', caller, at: at(0) });
    await talk('first', 0, 54);
    // The second call is answered and holds its first minute while the third one runs.
    await charging.authorize({ callKey: 'second', caller, at: at(60) });
    const secondRecord = randomUUID();
    await charging.answered({ callKey: 'second', caller, recordId: secondRecord, at: at(60) });
    await charging.authorize({ callKey: 'third', caller, at: at(60) });
    await talk('third', 60, 15);
    expect(await charging.renew({ callKey: 'second', caller, at: at(61) })).toEqual({ granted: false, reason: 'credit-limit' });
    await charging.ended({ callKey: 'second', caller, recordId: secondRecord, answeredAt: at(60), endedAt: at(61), cutoff: true });
    expect(await charging.authorize({ callKey: 'fourth', caller, at: at(62) })).toEqual({ granted: false, reason: 'credit-limit' });
    service.clock.set(at(70));
    const subscriber = { type: 'subscriber' as const, id: wang.id, name: null };
    expect(
      (await changeCreditLimit(service.ctx, charging, { subscriberId: wang.id, limitFen: 500_00, by: 'subscriber' }, subscriber)).ok,
    ).toBe(true);
  });
  afterAll(() => service?.close());

  async function explained(language: 'zh-CN' | 'en'): Promise<string[]> {
    const history = await chargingHistory(service.ctx, wang.id, 100);
    return history.reverse().map((entry) => `${entry.kind}: ${explainChargingEntry(translate[language], entry)}`);
  }

  it('in Chinese: grants and holds, alerts with their figures, the cutoff with its charge, the refusal, who changed the limit', async () => {
    const number = wang.number;
    expect(await explained('zh-CN')).toEqual([
      'limit-changed: 额度由 ¥200.00 改为 ¥10.00（工作人员设定）',
      `authorized: ${number} 呼出：授权 60 秒，预占 ¥0.15`,
      `authorized: ${number} 呼出：授权 60 秒，预占 ¥0.15`,
      'alert: 本月费用 ¥8.25，达到额度 ¥10.00 的 80%',
      `authorized: ${number} 呼出：授权 60 秒，预占 ¥0.15`,
      `exhausted: ${number} 的通话无法继续授权：本月费用已达信用额度`,
      'alert: 本月费用 ¥10.35，达到额度 ¥10.00 的 100%',
      'cutoff: 通话 1 分 0 秒 后因额度用完被挂断，计费 ¥0.15',
      `refused: ${number} 呼出被拒绝：本月费用已达信用额度`,
      'limit-changed: 额度由 ¥10.00 改为 ¥500.00（用户自助调整）',
      'restored: 呼叫已恢复（额度 ¥500.00，本月已结算 ¥10.50）',
    ]);
  });

  it('in English, the same story', async () => {
    const number = wang.number;
    expect(await explained('en')).toEqual([
      'limit-changed: Limit changed from ¥200.00 to ¥10.00 (by staff)',
      `authorized: Call from ${number}: 60 s granted, ¥0.15 held`,
      `authorized: Call from ${number}: 60 s granted, ¥0.15 held`,
      'alert: This month’s fees of ¥8.25 reached 80 % of the ¥10.00 limit',
      `authorized: Call from ${number}: 60 s granted, ¥0.15 held`,
      `exhausted: The call from ${number} could be granted no more time: this month’s fees reached the credit limit`,
      'alert: This month’s fees of ¥10.35 reached 100 % of the ¥10.00 limit',
      'cutoff: Call cut off after 1 min 0 s when the limit was reached; charged ¥0.15',
      `refused: Call from ${number} refused: this month’s fees reached the credit limit`,
      'limit-changed: Limit changed from ¥10.00 to ¥500.00 (by the subscriber)',
      'restored: Calling restored (limit ¥500.00, ¥10.50 settled this month)',
    ]);
  });

  it('a ringing call cancelled at the limit, and a first limit set without an order limit before it', () => {
    const zh = translate['zh-CN'];
    expect(explainChargingEntry(zh, { kind: 'cutoff', detail: { caller: '+8610123', answered: false } })).toBe(
      '+8610123 的呼叫在接通前因额度用完被取消',
    );
    expect(explainChargingEntry(translate.en, { kind: 'limit-changed', detail: { fromFen: null, toFen: 300_00, by: 'staff' } })).toBe(
      'Limit set to ¥300.00 (by staff)',
    );
  });
});
