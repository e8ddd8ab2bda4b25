import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { local, subscriberWithTerminal } from '../devices/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Clause 4's pages in Chinese, in Debian's Chromium against the real server. Technician Zhou receives
 * a VP-T100, reserves it for Li's order and ships it; Li confirms the delivery on Jan 10, 2027 and sees
 * the warranty through Jan 10, 2028. On Dec 20 Li files a written claim with a photo; Zhou assesses it
 * (covered, repair), records the new board and the old one back to stock, and completes it. On
 * Jan 11, 2028 Li's next claim is refused: the warranty ended on Jan 10.
 */
describe.skipIf(!chromiumAvailable)('the terminal and warranty pages in the browser, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let zhou: TestStaff;
  let li: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2027-01-04T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    zhou = await addStaff(service, ['technician'], 'zhou.tech');
    li = await subscriberWithTerminal(service, reviewer, '李娜');
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

  async function lisPage(): Promise<Page> {
    const page = await newPage();
    const [name, value] = (await portalCookie(service, li.phone)).split(/=(.*)/s) as [string, string];
    await page.context().addCookies([{ name, value, url: base }]);
    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-terminals-link').click();
    await page.getByTestId('portal-terminals-page').waitFor();
    return page;
  }

  async function zhousConsole(path: string): Promise<Page> {
    const page = await newPage();
    await page.goto(`${base}/console/login?next=${path}`);
    await signInThroughPage(page, service, zhou);
    return page;
  }

  it('Zhou receives a VP-T100, reserves it for Li’s order and ships it with SF Express', async () => {
    service.clock.set(local('2027-01-08 10:00'));
    const page = await zhousConsole('/console/terminals');
    expect(await page.getByTestId('nav-terminals').textContent()).toBe('终端库存');
    await page.getByTestId('inventory-page').waitFor();
    await page.getByTestId('receive-serial').fill('T100-L0001');
    await page.getByTestId('receive-mac').fill('00-1A-2B-3C-00-01');
    await page.getByTestId('receive-submit').click();
    const row = page.locator('[data-testid="inventory-unit"][data-serial="T100-L0001"]');
    await row.waitFor();
    expect(await row.getByTestId('unit-state').textContent()).toBe('在库');
    expect(await row.textContent()).toContain('00:1a:2b:3c:00:01');
    await row.getByTestId('unit-subscriber').fill(li.id);
    await row.getByTestId('unit-reserve').click();
    await expect.poll(() => row.getByTestId('unit-state').textContent()).toBe('已预留');
    await row.getByTestId('unit-carrier').fill('顺丰速运');
    await row.getByTestId('unit-tracking').fill('SF1234567890');
    await row.getByTestId('unit-ship').click();
    await expect.poll(() => row.getByTestId('unit-state').textContent()).toBe('运输中');
    await expect.poll(() => page.getByTestId('shipments-table').textContent()).toContain('SF1234567890');
    await page.screenshot({ path: screenshotPath('terminals-1-inventory-shipped-zh-CN'), fullPage: true });
  });

  it('Li confirms the delivery on Jan 10, 2027: the warranty runs through Jan 10, 2028', async () => {
    service.clock.set(local('2027-01-10 11:00'));
    const page = await lisPage();
    const card = page.locator('[data-testid="portal-terminal"][data-serial="T100-L0001"]');
    expect(await card.getByTestId('terminal-state').textContent()).toBe('运输中');
    await card.getByTestId('terminal-confirm-delivery').click();
    await expect.poll(() => card.getByTestId('terminal-state').textContent()).toBe('已签收');
    expect(await card.getByTestId('terminal-warranty').textContent()).toBe('2028-01-10');
    await page.screenshot({ path: screenshotPath('terminals-2-portal-delivered-zh-CN'), fullPage: true });
  });

  it('on Dec 20 Li files a written claim with a photo; it is within the warranty', async () => {
    service.clock.set(local('2027-12-20 09:30'));
    const page = await lisPage();
    await page.getByTestId('claim-description').fill('屏幕不亮，重启无效');
    await page.getByTestId('claim-photos').setInputFiles({
      name: 'screen.png',
      mimeType: 'image/png',
      buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
    });
    await page.getByTestId('claim-submit').click();
    const claim = page.getByTestId('portal-claim');
    await claim.waitFor();
    expect(await claim.getByTestId('claim-status').textContent()).toBe('待检测');
    expect(await claim.getByTestId('claim-coverage').textContent()).toBe('保修范围内');
    expect(await claim.getByTestId('claim-steps').textContent()).toContain('已收到申请');
    await page.screenshot({ path: screenshotPath('terminals-3-portal-claim-filed-zh-CN'), fullPage: true });
  });

  it('Zhou assesses it as covered, repairs it with a new board (the old one back to stock) and completes it', async () => {
    service.clock.set(local('2027-12-22 10:00'));
    const page = await zhousConsole('/console/warranty-claims');
    expect(await page.getByTestId('nav-warranty-claims').textContent()).toBe('保修申请');
    await page.getByTestId('claims-entry').first().waitFor();
    await page.getByTestId('claims-open').first().click();
    await page.getByTestId('assessment-form').waitFor();
    expect(await page.getByTestId('claim-description-view').textContent()).toBe('屏幕不亮，重启无效');
    await page.getByTestId('decision-repair').check();
    await page.getByTestId('assessment-note').fill('主板故障，免费维修');
    await page.screenshot({ path: screenshotPath('terminals-4-console-assessment-zh-CN'), fullPage: true });
    await page.getByTestId('assessment-submit').click();
    await page.getByTestId('repair-form').waitFor();
    expect(await page.getByTestId('claim-status-view').textContent()).toBe('处理中');
    await page.getByTestId('repair-used').fill('主板（新）, MB-NEW-0001');
    await page.getByTestId('repair-returned').fill('主板, MB-OLD-0001');
    await page.getByTestId('repair-submit').click();
    await expect.poll(() => page.getByTestId('claim-parts').textContent()).toContain('退回库存: 主板 (MB-OLD-0001)');
    await page.screenshot({ path: screenshotPath('terminals-5-console-repaired-zh-CN'), fullPage: true });
    await page.getByTestId('complete-submit').click();
    await expect.poll(() => page.getByTestId('claim-status-view').textContent()).toBe('已完成');
  });

  it('on Jan 11, 2028 Li’s next claim is refused in Chinese: the warranty ended on Jan 10', async () => {
    service.clock.set(local('2028-01-11 08:00'));
    const page = await lisPage();
    expect(await page.getByTestId('claim-status').first().textContent()).toBe('已完成');
    await page.getByTestId('claim-description').fill('又坏了');
    await page.getByTestId('claim-submit').click();
    await page.getByTestId('claim-warranty-ended').waitFor();
    expect(await page.getByTestId('claim-warranty-ended').textContent()).toBe('保修期已于 2028-01-10 结束。');
    expect(await page.getByTestId('terminal-problem').textContent()).toContain('该终端已过保修期');
    await page.screenshot({ path: screenshotPath('terminals-6-portal-claim-refused-zh-CN'), fullPage: true });
  });
});
