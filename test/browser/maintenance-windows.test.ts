import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWindows } from '../../src/assurance/index.js';
import { addPlan } from '../billing/support.js';
import { subscriberWithNumber } from '../assurance/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Clause 7 on the console, in Chinese: a technician publishes maintenance of one number 10 hours
 * ahead; the page says the notice is late and asks why; with the reason given it is published and
 * listed as late, and can be cancelled before it begins.
 */
describe.skipIf(!chromiumAvailable)('maintenance windows on the console', () => {
  let service: TestService;
  let base: string;
  let browser: Browser;
  let technician: TestStaff;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-01T02:00:00.000Z' }));
    const planId = await addPlan(service);
    await subscriberWithNumber(service, planId, '+8610600010001', '2026-03-01');
    await service.listen();
    technician = await addStaff(service, ['technician'], 'li.tech');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('asks for a reason when the start is within 72 hours, publishes with it, lists it as late, and cancels it', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, technician);
    await page.getByTestId('nav-maintenance').click();
    await page.getByTestId('maintenance-form').waitFor();
    expect(await page.getByTestId('maintenance-lead-hint').textContent()).toContain('须至少提前 72 小时发布');

    // The service's clock is 2026-03-01 10:00 in Beijing: 20:00 the same day is 10 hours ahead.
    await page.getByTestId('maintenance-starts').fill('2026-03-01T20:00');
    await page.getByTestId('maintenance-ends').fill('2026-03-01T22:00');
    await page.getByTestId('maintenance-scope').selectOption('numbers');
    await page.getByTestId('maintenance-numbers').fill('+8610600010001');
    await page.getByTestId('maintenance-title-zh').fill('机房电源检修');
    await page.getByTestId('maintenance-title-en').fill('Data centre power work');
    await page.getByTestId('maintenance-zh').fill('检修期间视频通话将中断。');
    await page.getByTestId('maintenance-en').fill('Video calls are interrupted during the work.');
    expect(await page.getByTestId('maintenance-late-hint').textContent()).toContain('不足 72 小时');
    await page.getByTestId('maintenance-late-reason').fill('供电公司临时通知停电');
    await page.screenshot({ path: screenshotPath('console-maintenance-late-zh-CN'), fullPage: true });
    await page.getByTestId('maintenance-submit').click();

    const row = page.getByTestId('maintenance-table').locator('tr', { hasText: '机房电源检修' });
    await row.waitFor();
    expect(await row.textContent()).toContain('迟发：供电公司临时通知停电');
    expect(await row.textContent()).toContain('已公告');
    const [window] = await listWindows(service.ctx.db);
    expect(window).toMatchObject({ onTime: false, lateReason: '供电公司临时通知停电', titleZh: '机房电源检修' });
    await page.screenshot({ path: screenshotPath('console-maintenance-zh-CN'), fullPage: true });

    await row.getByTestId('maintenance-cancel').click();
    await page.getByTestId('maintenance-cancel-reason').fill('供电公司取消停电');
    await page.getByTestId('maintenance-cancel-submit').click();
    await row.getByText('已取消').waitFor();
    expect((await listWindows(service.ctx.db))[0]!.cancelReason).toBe('供电公司取消停电');
    await context.close();
  });
});
