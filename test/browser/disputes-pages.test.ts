import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctAccountPlan } from '../../src/billing/index.js';
import { addCall, addPlan, advanceTo, local } from '../billing/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { acceptLicence, activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';
import { callerReportsLoss } from '../disputes/support.js';

/**
 * Clause 6's pages in Chinese, in Debian's Chromium against the real server. Zhang pays 0.30 a minute
 * in whole minutes; his 12-minute call on Feb 10 is rated 3.60, and his phone measured 18 % loss on
 * his side. He disputes the call from his call history; a support agent opens the queue, sees the
 * call record, the 18 % loss with its estimated MOS, the rating and the judgement 网络侧, and rejects
 * the dispute for the network-side reason (clause 12); Zhang reads the answer in Chinese.
 */
describe.skipIf(!chromiumAvailable)('the fee dispute pages in the browser, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let agent: TestStaff;
  let zhang: ActiveSubscriber;
  let recordId: string;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-02-01T00:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    agent = await addStaff(service, ['support_agent'], 'chen.support');
    zhang = await activeIndividual(service, reviewer, '张伟');
    await advanceTo(service, '2026-02-01 08:10');
    await correctAccountPlan(service.ctx, zhang.id, await addPlan(service, { perMinuteRatePrecise: 30_0000, billingIncrementSeconds: 60 }));
    // The call and his phone's report, as test/disputes/disputes.test.ts seeds them; the billing job rates it.
    service.clock.set(local('2026-02-10 20:00'));
    recordId = await addCall(service, zhang.number, { answeredAt: local('2026-02-10 19:40'), durationMs: 12 * 60_000 });
    const { call_id: callId } = await service.ctx.db
      .selectFrom('call_records')
      .select('call_id')
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    await callerReportsLoss(service, zhang.number, callId, 18);
    await advanceTo(service, '2026-02-11 09:00');
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    return context.newPage();
  }

  async function zhangsPage(): Promise<Page> {
    const page = await newPage();
    const [name, value] = (await portalCookie(service, zhang.phone)).split(/=(.*)/s) as [string, string];
    await page.context().addCookies([{ name, value, url: base }]);
    // Zhang accepted the client licence (clause 3) on this browser before: the phone opens directly.
    const licenceDeviceId = await acceptLicence(service, `${name}=${value}`);
    await page.addInitScript(`localStorage.setItem('videophone.softphone.licenceDeviceId', '${licenceDeviceId}')`);
    return page;
  }

  let disputeId: string;

  it('Zhang disputes the 12-minute call from his call history; the answer is due in 15 days', async () => {
    const page = await zhangsPage();
    await page.goto(`${base}/phone`);
    const entry = page.getByTestId('history-entry').filter({ has: page.getByTestId('history-dispute') });
    await entry.first().waitFor();
    expect(await page.getByTestId('history-dispute').first().getAttribute('aria-label')).toBe('对此通话的收费提出争议');
    await page.screenshot({ path: screenshotPath('disputes-1-call-history-zh-CN'), fullPage: true });
    await page.getByTestId('history-dispute').first().click();

    await page.getByTestId('new-dispute-form').waitFor();
    expect(await page.getByTestId('new-dispute-subject').textContent()).toContain('争议对象：通话');
    await page.getByTestId('dispute-reason').fill('通话中画面一直卡顿，无法正常交流');
    await page.screenshot({ path: screenshotPath('disputes-2-new-dispute-form-zh-CN'), fullPage: true });
    await page.getByTestId('dispute-submit').click();

    await page.getByTestId('dispute-submitted').waitFor();
    expect(await page.getByTestId('dispute-submitted').textContent()).toContain('运营商将在 2026-02-26 前答复');
    const card = page.getByTestId('portal-dispute');
    expect(await card.getByTestId('dispute-status').textContent()).toBe('待处理');
    expect(await card.textContent()).toContain('¥3.60');
    disputeId = new URL(page.url()).searchParams.get('opened')!;
    expect(disputeId).toMatch(/^[0-9a-f-]{36}$/);
    await page.screenshot({ path: screenshotPath('disputes-3-my-disputes-open-zh-CN'), fullPage: true });

    // Disputing the same call again is refused, and the page says why in Chinese.
    await page.goBack();
    await page.getByTestId('new-dispute-form').waitFor();
    await page.getByTestId('dispute-reason').fill('再提一次');
    await page.getByTestId('dispute-submit').click();
    await page.getByTestId('dispute-problem').waitFor();
    expect(await page.getByTestId('dispute-problem').textContent()).toContain('这一项已经在争议中');
  });

  it('the support agent sees the evidence (18 % loss, MOS 2.8, the rating, the judgement 网络侧) and rejects it for the network-side reason', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login?next=/console/disputes`);
    await signInThroughPage(page, service, agent);
    await page.getByTestId('nav-disputes').waitFor();
    expect(await page.getByTestId('nav-disputes').textContent()).toBe('费用争议');
    const row = page.locator(`[data-testid="dispute-row"][data-dispute-id="${disputeId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('2026-02-26');
    await row.getByTestId('dispute-open').click();

    await page.getByTestId('dispute-evidence').waitFor();
    expect(await page.getByTestId('call-hung-up-by').textContent()).toBe('主叫挂断');
    expect(await page.getByTestId('call-final-status').textContent()).toBe('200');
    const report = page.getByTestId('quality-report-subscriber');
    expect(await report.getByTestId('quality-loss').textContent()).toBe('18%');
    expect(await report.getByTestId('quality-mos').textContent()).toBe('2.8');
    expect(await report.textContent()).toContain('用户一侧');
    expect(await page.getByTestId('rating-total').textContent()).toBe('¥3.60');
    expect(await page.getByTestId('evidence-rating').textContent()).toContain('¥0.30');
    expect(await page.getByTestId('judgement-class').textContent()).toBe('网络侧');
    expect(await page.getByTestId('judgement-findings').textContent()).toBe('用户一侧丢包率 18%，达到阈值 5%。');

    await page.getByTestId('dispute-take').click();
    await expect.poll(() => page.getByTestId('dispute-detail-status').textContent()).toBe('调查中');
    await page.getByTestId('dispute-note').fill('用户一侧丢包 18%，对方无报告');
    await page.getByTestId('dispute-note-add').click();
    await expect.poll(() => page.getByTestId('dispute-notes').textContent()).toContain('用户一侧丢包 18%');
    await page.screenshot({ path: screenshotPath('disputes-4-console-evidence-zh-CN'), fullPage: true });

    await page.getByTestId('dispute-outcome-rejected').check();
    await page.getByTestId('dispute-code').selectOption('network-side');
    await page.getByTestId('dispute-answer-text-input').fill('您一侧的网络丢包 18%，属于协议第十二条所述互联网自身原因。');
    await page.getByTestId('dispute-answer-submit').click();
    await page.getByTestId('dispute-answer').waitFor();
    expect(await page.getByTestId('dispute-detail-status').textContent()).toBe('已答复');
    expect(await page.getByTestId('dispute-outcome').textContent()).toBe('争议不成立');
    await page.screenshot({ path: screenshotPath('disputes-5-console-answered-zh-CN'), fullPage: true });
  });

  it('Zhang reads the answer in Chinese: rejected, the network-side reason as a sentence, and the agent’s words', async () => {
    const page = await zhangsPage();
    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-disputes-link').click();
    const card = page.getByTestId('portal-dispute');
    await card.getByTestId('dispute-answer').waitFor();
    expect(await card.getByTestId('dispute-status').textContent()).toBe('已答复');
    expect(await card.getByTestId('dispute-outcome').textContent()).toBe('争议不成立');
    expect(await card.getByTestId('dispute-answer-code').textContent()).toContain('服务协议第十二条所述互联网自身的原因');
    expect(await card.getByTestId('dispute-answer-text').textContent()).toContain('您一侧的网络丢包 18%');
    expect(await card.getByTestId('dispute-accept').textContent()).toBe('接受答复');
    expect(await card.getByTestId('dispute-escalate').textContent()).toBe('不接受，转入协商');
    await page.screenshot({ path: screenshotPath('disputes-6-portal-answer-zh-CN'), fullPage: true });
  });
});
