import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendNotice } from '../../src/notices/index.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * The notices pages in Debian's Chromium against the real server. Li has one unread notice: the
 * portal shows the count, the inbox shows it in Chinese, and opening it is reading it (the count is
 * gone). A technician sees the e-mail delivery that was given up on and retries it.
 */
describe.skipIf(!chromiumAvailable)('the notices pages in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let technician: TestStaff;
  let li: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-01T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    technician = await addStaff(service, ['technician'], 'wang.tech');
    li = await activeIndividual(service, reviewer, '李娜');
    await sendNotice(service.ctx.db, {
      key: 'browser:1',
      kind: 'maintenance',
      urgency: 'urgent',
      subscriberIds: [li.id],
      title: { en: 'Maintenance on Mar 5', 'zh-CN': '3 月 5 日系统维护' },
      body: { en: 'From 01:00 to 03:00 calls may drop.', 'zh-CN': '01:00 至 03:00 通话可能中断。' },
      link: null,
      occurredAt: service.clock.now(),
    });
    // Its e-mail was tried and given up on (the delivery job is not the subject here).
    await service.ctx.db
      .updateTable('notice_deliveries')
      .set({ status: 'dead', attempts: 8, last_error: 'connect ECONNREFUSED 127.0.0.1:2525' })
      .where('channel', '=', 'email')
      .execute();
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newPage(locale: 'zh-CN' | 'en'): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    return context.newPage();
  }

  it('Li sees one unread notice on the portal, reads it in Chinese, and the count is gone', async () => {
    const page = await newPage('zh-CN');
    const [name, value] = (await portalCookie(service, li.phone)).split(/=(.*)/s) as [string, string];
    await page.context().addCookies([{ name, value, url: base }]);
    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-unread-notices').waitFor();
    expect(await page.getByTestId('portal-unread-notices').textContent()).toBe('1');
    await page.getByTestId('portal-notices-link').click();

    await page.getByTestId('portal-notices-page').waitFor();
    const notice = page.getByTestId('portal-notice');
    await notice.waitFor();
    expect(await notice.locator('h2').textContent()).toBe('3 月 5 日系统维护');
    expect(await notice.getAttribute('data-read')).toBe('false');
    await page.screenshot({ path: screenshotPath('notices-1-inbox-zh-CN'), fullPage: true });
    await page.getByTestId('notice-open').click();
    await page.getByTestId('notice-body').waitFor();
    expect(await page.getByTestId('notice-body').textContent()).toBe('01:00 至 03:00 通话可能中断。');
    await page.locator('[data-testid="portal-notice"][data-read="true"]').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('notices-2-read-zh-CN'), fullPage: true });

    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-notices-link').waitFor();
    expect(await page.getByTestId('portal-unread-notices').count()).toBe(0);
  });

  it('a technician sees the given-up e-mail in the console, in English, and retries it', async () => {
    const page = await newPage('en');
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, technician);
    await page.getByTestId('nav-notice-deliveries').click();
    await page.getByTestId('notice-deliveries-page').waitFor();
    const row = page.getByTestId('notice-delivery');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('dead');
    expect(await row.textContent()).toContain('Maintenance on Mar 5');
    expect(await row.textContent()).toContain('ECONNREFUSED');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('notices-3-deliveries-en'), fullPage: true });
    await page.getByTestId('delivery-retry').click();
    await page.getByTestId('delivery-retried').waitFor();
    // The list shows failed and dead ones: the retried delivery is pending now, so it left the list.
    await page.getByText('No deliveries with this status.').waitFor();
    // Tried again by the running job (no SMTP server is configured here, so it is skipped with the reason).
    const [delivery] = await service.ctx.db.selectFrom('notice_deliveries').select(['status']).where('channel', '=', 'email').execute();
    expect(['pending', 'skipped']).toContain(delivery!.status);
    const audit = await service.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('action', '=', 'notices.delivery.retry')
      .execute();
    expect(audit).toEqual([{ action: 'notices.delivery.retry', actor_name: 'wang.tech' }]);
  });
});
