import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { suspend } from '../../src/entitlements/index.js';
import { chromiumAvailable, launchChromium, screenshotPath, startWebTestService } from '../support/browser.js';
import { activeIndividual, portalCookie, type ActiveSubscriber, publishAgreementVersion } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';

/**
 * A newcomer and three subscribers in Debian's Chromium, in Chinese, against the real server. The
 * newcomer goes from the home page to the price list and applies for a plan, which arrives chosen.
 * Zhou asked to end the agreement while money is still owed: the portal says the termination waits
 * on that amount and offers to pay it, never "service active". Qian is suspended for an overdue
 * bill and reads why. Sun reads a proposed terms change in full with what it inserts and deletes.
 */
describe.skipIf(!chromiumAvailable)('home, navigation and the portal status in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let zhou: ActiveSubscriber;
  let qian: ActiveSubscriber;
  let sun: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-02T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    zhou = await activeIndividual(service, reviewer, '周解约');
    qian = await activeIndividual(service, reviewer, '钱欠费');
    sun = await activeIndividual(service, reviewer, '孙阅读');
    // Billing opens the accounts; ten days of rent accrue; Zhou then asks to end the agreement, which waits on paying them.
    expect((await service.jobs.runOnce('billing.cycle')).status).toBe('ran');
    service.clock.advance({ days: 10 });
    const termination = await service.app.inject({
      method: 'POST',
      url: '/api/portal/termination',
      headers: { cookie: zhou.cookie },
      payload: {},
    });
    expect(termination.json()).toMatchObject({ status: 'awaiting-settlement' });
    await suspend(service.ctx, { subscriberId: qian.id, cause: 'overdue', reason: 'bill overdue' }, systemActor);
    const admin = await signInCookie(service, await addStaff(service, ['administrator']));
    const published = await publishAgreementVersion(service, admin, 2, '第十五条写明异议的方式和期限；第十六条写明协商案件。');
    expect(published.statusCode).toBe(201);
    await service.listen();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function pageAs(subscriber: ActiveSubscriber | null): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    if (subscriber) {
      const [name, value] = (await portalCookie(service, subscriber.phone)).split(/=(.*)/s) as [string, string];
      await context.addCookies([{ name, value, url: base }]);
    }
    return context.newPage();
  }

  it('a newcomer goes from the home page to the prices and applies for a plan, which arrives chosen', async () => {
    const page = await pageAs(null);
    await page.goto(base);
    for (const link of ['nav-prices', 'nav-apply', 'nav-portal', 'nav-phone', 'apply-link', 'portal-link', 'phone-link']) {
      await page.getByTestId(link).waitFor();
    }
    expect(await page.getByTestId('nav-portal').getAttribute('href')).toBe('/portal/login');
    expect(await page.getByTestId('phone-link').getAttribute('href')).toBe('/phone');
    await page.screenshot({ path: screenshotPath('portal-navigation-1-home-zh-CN'), fullPage: true });

    await page.getByTestId('prices-link').click();
    await page.getByTestId('apply-plan-business').waitFor();
    expect(await page.getByTestId('apply-plan-business').textContent()).toBe('申请此套餐');
    await page.screenshot({ path: screenshotPath('portal-navigation-2-prices-zh-CN'), fullPage: true });

    await page.getByTestId('apply-plan-business').click();
    await page.getByTestId('apply-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/apply');
    expect(await page.getByTestId('apply-plan').inputValue()).toBe('business');
    await page.screenshot({ path: screenshotPath('portal-navigation-3-apply-zh-CN'), fullPage: true });
  });

  it('Zhou, whose termination waits on a payment, sees that and the pay action, not "service active"', async () => {
    const page = await pageAs(zhou);
    await page.goto(`${base}/portal`);
    const termination = page.getByTestId('portal-standing-termination');
    await termination.waitFor();
    expect(await page.getByTestId('portal-status').textContent()).toBe('协议解除办理中');
    expect(await termination.textContent()).toContain('结清后协议即终止');
    const pay = page.getByTestId('portal-pay-final-settlement');
    expect(await pay.getAttribute('href')).toBe('/portal/pay?purpose=final-settlement');
    expect(await pay.textContent()).toMatch(/^缴清最终费用 ¥\d+\.\d\d$/);
    expect(await page.getByText('服务正常').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('portal-navigation-4-terminating-zh-CN'), fullPage: true });
  });

  it('Qian, suspended for an overdue bill, reads the cause and what restores the service', async () => {
    const page = await pageAs(qian);
    await page.goto(`${base}/portal`);
    const suspension = page.locator('[data-testid="portal-standing-suspension"][data-cause="overdue"]');
    await suspension.waitFor();
    expect(await page.getByTestId('portal-status').textContent()).toBe('服务已暂停');
    expect(await suspension.textContent()).toContain('账单逾期未付');
    expect(await suspension.textContent()).toContain('呼入和呼出均暂停');
    expect(await suspension.getByRole('link').first().getAttribute('href')).toMatch(/^\/portal\/pay\?purpose=(bill|balance)/);
    await page.screenshot({ path: screenshotPath('portal-navigation-5-suspended-zh-CN'), fullPage: true });
  });

  it('Sun reads the proposed terms change in full, with insertions and deletions marked', async () => {
    const page = await pageAs(sun);
    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-terms-read').click();
    const diff = page.getByTestId('portal-terms-diff');
    await diff.waitFor();
    expect(await diff.locator('ins').count()).toBeGreaterThan(0);
    expect(await diff.locator('del').count()).toBeGreaterThan(0);
    expect(await diff.locator('ins').first().getAttribute('class')).toBe('terms-ins');
    expect(await diff.textContent()).toContain('可视电话服务协议（第');
    expect(await page.getByTestId('portal-terms-full-text').textContent()).toContain('可视电话服务协议（第2版）');
    await diff.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('portal-navigation-6-terms-diff-zh-CN'), fullPage: true });
  });
});
