import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Catalogue editing in Debian's Chromium against the real server, in Chinese (issue #14). On 10 March
 * the administrator Zhang raises Basic to ¥35.00 a month and ¥0.12 a minute from 1 April: the console
 * previews the price list for 1 April with the new prices, while the public /prices page keeps showing
 * ¥30.00 until the clock passes midnight of 1 April in Shanghai.
 */
describe.skipIf(!chromiumAvailable)('catalogue editing in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let admin: TestStaff;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-10T02:00:00Z' }));
    await loadDemoCatalogue(service.ctx);
    admin = await addStaff(service, ['administrator'], 'zhang-admin');
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    return context.newPage();
  }

  const basicRent = (page: Page, scope: string) =>
    page.getByTestId(scope).getByTestId('plan-basic').locator('.price-list-rent-amount').textContent();

  it('Zhang publishes Basic at ¥35.00 from 1 April and sees it in the preview for that date only', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, admin);
    await page.getByTestId('nav-catalogue').click();
    await page.getByTestId('plan-version-form').waitFor();

    await page.getByTestId('plan-version-code').selectOption('basic');
    // An amount that is not yuan with two decimals is blamed next to its field, in Chinese.
    await page.getByTestId('plan-version-rent').fill('35.5.0');
    await page.getByTestId('plan-version-submit').click();
    expect(await page.getByTestId('plan-version-rent-error').textContent()).toBe('格式不正确');

    await page.getByTestId('plan-version-rent').fill('35.00');
    await page.getByTestId('plan-version-rate').fill('0.12');
    await page.getByTestId('plan-version-date').fill('2026-04-01');
    await page.getByTestId('plan-version-submit').click();
    await page.getByTestId('plan-version-saved').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    const rows = page.getByTestId('plan-version-basic');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).getByTestId('catalogue-status').textContent()).toBe('待生效');
    expect(await rows.nth(1).textContent()).toContain('¥35.00');

    await page.getByTestId('catalogue-preview-date').fill('2026-04-01');
    await expect.poll(() => basicRent(page, 'catalogue-preview')).toBe('¥35.00');
    expect(await page.getByTestId('catalogue-preview').getByTestId('plan-basic').textContent()).toContain('¥0.12/分钟');
    await page.getByTestId('catalogue-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('catalogue-1-preview-zh-CN'), fullPage: true });

    await page.getByTestId('catalogue-preview-date').fill('2026-03-31');
    await expect.poll(() => basicRent(page, 'catalogue-preview')).toBe('¥30.00');
  });

  it('the public price list shows ¥30.00 until midnight of 1 April in Shanghai, then ¥35.00', async () => {
    const page = await newPage();
    await page.goto(`${base}/prices`);
    await page.getByTestId('plan-basic').waitFor();
    expect(await basicRent(page, 'price-list')).toBe('¥30.00');

    service.clock.set('2026-03-31T15:59:59Z');
    await page.reload();
    await page.getByTestId('plan-basic').waitFor();
    expect(await basicRent(page, 'price-list')).toBe('¥30.00');

    service.clock.set('2026-03-31T16:00:00Z');
    await page.reload();
    await page.getByTestId('plan-basic').waitFor();
    expect(await basicRent(page, 'price-list')).toBe('¥35.00');
    await page.screenshot({ path: screenshotPath('catalogue-2-prices-from-april-zh-CN'), fullPage: true });
  });

  it('once in effect the April version can no longer be withdrawn: the console offers no withdrawal for it', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, admin);
    await page.goto(`${base}/console/catalogue`);
    const rows = page.getByTestId('plan-version-basic');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).getByTestId('catalogue-status').textContent()).toBe('生效中');
    expect(await page.getByTestId('withdraw-plan-basic').count()).toBe(0);
  });
});
