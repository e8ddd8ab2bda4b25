import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

const orderPdf = Buffer.from('%PDF-1.4\n% order\n%%EOF\n', 'latin1');
const CASE = '(2026)京0105刑初123号';

/**
 * Clause 10 in the browser: the legal officer records an order against Carol on the console page
 * (in Chinese) with its document; Carol's portal (in English) then says only that her service is
 * suspended and whom to contact; the officer lifts the order.
 */
describe.skipIf(!chromiumAvailable)('judicial orders on the console and in the portal', () => {
  let service: TestService;
  let base: string;
  let browser: Browser;
  let officer: TestStaff;
  let carol: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService());
    await service.listen();
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    carol = await activeIndividual(service, reviewer, '卡罗尔');
    officer = await addStaff(service, ['legal_officer'], 'qian.legal');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('records an order with its document, Carol reads a neutral notice with the contact, and the officer lifts it', async () => {
    const console_ = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await console_.newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, officer);
    await page.getByTestId('nav-legal').click();
    await page.getByTestId('legal-order-subscriber').fill(carol.number);
    await page.getByTestId('legal-order-authority').fill('北京市朝阳区人民法院');
    await page.getByTestId('legal-order-case').fill(CASE);
    await page.getByTestId('legal-order-basis').fill('《刑事诉讼法》第一百四十三条');
    await page.getByTestId('legal-order-document').setInputFiles({ name: 'order.pdf', mimeType: 'application/pdf', buffer: orderPdf });
    await page.getByTestId('legal-order-place').click();
    const row = page.getByTestId('legal-orders-table').locator('tr', { hasText: CASE });
    await row.waitFor();
    expect(await row.textContent()).toContain('生效中');
    expect(await page.getByRole('alert').count()).toBe(0); // nothing went wrong, so nothing says so
    await page.screenshot({ path: screenshotPath('console-legal-orders-zh-CN'), fullPage: true });

    const portal = await browser.newContext({ locale: 'en', viewport: { width: 1000, height: 800 } });
    const [name, value] = carol.cookie.split('=') as [string, string];
    await portal.addCookies([{ name, value, url: base }]);
    const mine = await portal.newPage();
    await mine.goto(`${base}/portal`);
    const notice = mine.getByTestId('portal-judicial-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(service.config.settings.supportContact);
    const status = await mine.getByTestId('portal-status').textContent();
    const suspension = await mine.locator('[data-testid="portal-standing-suspension"][data-cause="judicial"]').textContent();
    expect(status).toBeTruthy();
    expect(suspension).toContain('Service suspended');
    expect(suspension).not.toMatch(/court|judicial|authority|法院|京0105/i);
    await mine.screenshot({ path: screenshotPath('portal-judicial-suspension-en'), fullPage: true });
    await portal.close();

    await row.getByTestId('legal-order-open').click();
    await page.getByTestId('legal-order-lift-reason').fill('法院解除');
    await page.getByTestId('legal-order-lift').click();
    await page.getByTestId('legal-orders-table').locator('tr', { hasText: '已解除' }).waitFor();
    await console_.close();
  });
});
