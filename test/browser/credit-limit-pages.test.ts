import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctAccountPlan } from '../../src/billing/index.js';
import { changeCreditLimit } from '../../src/charging/index.js';
import { addPlan, advanceTo, local } from '../billing/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Clause 9's pages in Debian's Chromium against the real server. Both subscribers are on the 30.00
 * plan (0.15 a minute in 6-second steps) with a 10.00 limit set by staff; each has talked 54 minutes
 * (8.10) and has a second call in progress holding its first minute (0.15): 82 %, the 80 % alert.
 *
 * Wang, in Chinese, watches his gauge in the portal, is blocked once a 15-minute call takes him past
 * the limit, and chooses the catalogue's 500.00, which restores calling at once. A billing clerk, in
 * English, finds Li on the list of subscribers near their limit, opens her page from it, reads her
 * gauge and charging history, and raises her limit to 20.00.
 */
describe.skipIf(!chromiumAvailable)('the credit-limit pages in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let clerk: TestStaff;
  let wang: ActiveSubscriber;
  let li: ActiveSubscriber;
  const inProgress = new Map<string, { callKey: string; recordId: string; at: Date }>();

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-01-01T00:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    clerk = await addStaff(service, ['billing_clerk'], 'li.billing');
    wang = await activeIndividual(service, reviewer, '王小明');
    li = await activeIndividual(service, reviewer, '李小红');
    await advanceTo(service, '2026-01-01 08:10');
    const plan = await addPlan(service);
    for (const subscriber of [wang, li]) await correctAccountPlan(service.ctx, subscriber.id, plan);
    service.clock.set(local('2026-01-10 09:00'));
    // Listening releases this node's earlier holds, so the calls are placed after it.
    await service.listen();
    const staff = { type: 'staff' as const, id: clerk.id, name: clerk.username };
    for (const subscriber of [wang, li]) {
      expect(
        (await changeCreditLimit(service.ctx, service.charging, { subscriberId: subscriber.id, limitFen: 10_00, by: 'staff' }, staff)).ok,
      ).toBe(true);
      await talk(subscriber, 54);
      inProgress.set(subscriber.id, await place(subscriber));
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A call as the proxy reports it to charging, from the clock's present: asked for and granted. */
  async function place(subscriber: ActiveSubscriber): Promise<{ callKey: string; recordId: string; at: Date }> {
    const placed = { callKey: `call-${randomUUID()}`, recordId: randomUUID(), at: service.clock.now() };
    expect(await service.charging.authorize({ ...placed, caller: subscriber.number })).toMatchObject({ granted: true });
    await service.charging.answered({ ...placed, caller: subscriber.number });
    return placed;
  }
  async function hangUp(subscriber: ActiveSubscriber, placed: { callKey: string; recordId: string; at: Date }, minutes: number) {
    const endedAt = new Date(placed.at.getTime() + minutes * 60_000);
    await service.charging.ended({ ...placed, caller: subscriber.number, answeredAt: placed.at, endedAt });
  }
  async function talk(subscriber: ActiveSubscriber, minutes: number): Promise<void> {
    await hangUp(subscriber, await place(subscriber), minutes);
  }

  async function portalPage(subscriber: ActiveSubscriber): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 1000 } });
    const [name, value] = (await portalCookie(service, subscriber.phone)).split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    return context.newPage();
  }

  it('shows Wang in Chinese his 82 %, the 80 % alert, then the block, and restores calling when he chooses 500.00', async () => {
    const page = await portalPage(wang);
    await page.goto(`${base}/portal`);
    const gauge = page.getByTestId('portal-credit-gauge');
    await gauge.waitFor();
    expect(await page.getByTestId('portal-credit-gauge-percent').textContent()).toBe('已用 82%');
    expect(await page.getByTestId('portal-credit-gauge-limit').textContent()).toBe('¥10.00');
    expect(await page.getByTestId('portal-credit-gauge-settled').textContent()).toBe('¥8.10');
    expect(await page.getByTestId('portal-credit-gauge-reserved').textContent()).toBe('¥0.15');
    expect(await page.getByTestId('portal-credit-gauge-headroom').textContent()).toBe('¥1.75');
    expect(await gauge.textContent()).toContain('进行中的通话：1 个');
    expect(await page.getByTestId('portal-credit-gauge-near').textContent()).toContain('本月费用已接近信用额度');
    expect(await page.getByTestId('portal-credit-gauge-alert-80').textContent()).toContain('本月费用达到信用额度的 80%');
    expect(await page.getByRole('meter').getAttribute('aria-valuenow')).toBe('82');
    await page.getByTestId('portal-credit-gauge').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('credit-1-portal-near-zh-CN'), fullPage: true });

    // The call in progress lasts 15 minutes (10.35 in all); the next one is refused: Wang is blocked.
    // The clock stays put: Li's call in progress still holds its minute for the next story.
    await hangUp(wang, inProgress.get(wang.id)!, 15);
    expect(await service.charging.authorize({ callKey: 'wang-refused', caller: wang.number, at: service.clock.now() })).toMatchObject({
      granted: false,
    });
    await page.reload();
    await page.getByTestId('portal-credit-gauge-blocked').waitFor();
    expect(await page.getByTestId('portal-credit-gauge-blocked').textContent()).toBe(
      '已达到信用额度，呼出已暂停缴清本月费用或提高信用额度后，即可立即恢复呼叫。',
    );
    expect(await page.getByTestId('portal-credit-gauge-percent').textContent()).toBe('已用 103%');
    expect(await page.getByTestId('portal-credit-gauge-headroom').textContent()).toBe('¥0.00');
    expect(await page.getByTestId('portal-credit-gauge-alert-100').textContent()).toContain('本月费用达到信用额度');
    expect(await page.getByTestId('portal-credit-pay').getAttribute('href')).toBe('/portal/bills');
    // The status card says why outgoing calls stopped.
    expect(await page.locator('[data-testid="portal-standing-suspension"][data-cause="credit-limit"]').textContent()).toContain(
      '本月费用已达信用额度，拨出电话已暂停',
    );
    await page.screenshot({ path: screenshotPath('credit-2-portal-blocked-zh-CN'), fullPage: true });

    // 10.00 is not on the catalogue's list, so it shows as the current choice among the four offered.
    const options = page.getByTestId('portal-credit-options');
    expect(await options.textContent()).toContain('¥10.00当前额度');
    await page.getByTestId('portal-credit-option-50000').check();
    await page.getByTestId('portal-credit-change').click();
    await page.getByTestId('portal-credit-changed').waitFor();
    expect(await page.getByTestId('portal-credit-changed').textContent()).toBe('信用额度已改为 ¥500.00。 呼叫已恢复。');
    await expect.poll(() => page.getByTestId('portal-credit-gauge-limit').textContent()).toBe('¥500.00');
    expect(await page.getByTestId('portal-credit-gauge-percent').textContent()).toBe('已用 2%');
    expect(await page.getByTestId('portal-credit-gauge-blocked').count()).toBe(0);
    await expect.poll(() => page.getByTestId('portal-standing-suspension').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('credit-3-portal-restored-zh-CN'), fullPage: true });
  });

  it('lets the billing clerk, in English, find Li near her limit, open her page, read her history and raise her limit', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login?next=/console/credit-limits`);
    await signInThroughPage(page, service, clerk);
    await page.getByTestId('near-limit-table').waitFor();
    expect(await page.getByTestId('nav-near-limit').textContent()).toBe('Credit limits');
    const row = page.getByTestId(`near-limit-${li.id}`);
    expect(await row.getByTestId('near-limit-fees').textContent()).toBe('¥8.25');
    expect(await row.getByTestId('near-limit-percent').textContent()).toBe('82%');
    expect(await row.getByTestId('near-limit-status').textContent()).toBe('Near the limit');
    expect(await row.textContent()).toContain(li.number);
    // Wang chose 500.00 and is at 2 %: not on the list.
    expect(await page.getByTestId(`near-limit-${wang.id}`).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('credit-4-console-near-limit-en'), fullPage: true });

    await page.getByTestId('near-limit-threshold').selectOption('90');
    await page.getByText('No subscriber is at that share of their limit.').waitFor();
    await page.getByTestId('near-limit-threshold').selectOption('80');

    await row.getByTestId('near-limit-open').click();
    await page.getByTestId('subscriber-credit-gauge').waitFor();
    // The near-limit list links to the customer's page (issue #14), whose credit section shows the gauge.
    expect(new URL(page.url()).pathname).toBe(`/console/customers/${li.id}`);
    expect(await page.getByTestId('identity-fullName').textContent()).toBe('李**');
    expect(await page.getByTestId('subscriber-credit-gauge-percent').textContent()).toBe('82 % used');
    expect(await page.getByTestId('subscriber-credit-gauge-alert-80').textContent()).toContain(
      'this month’s fees reached 80 % of the credit limit',
    );
    const history = page.getByTestId('charging-history');
    expect(await history.getByTestId('charging-history-alert').textContent()).toContain(
      'This month’s fees of ¥8.25 reached 80 % of the ¥10.00 limit',
    );
    expect(await history.getByTestId('charging-history-limit-changed').textContent()).toContain(
      'Limit changed from ¥200.00 to ¥10.00 (by staff)',
    );
    expect(await history.getByTestId('charging-history-authorized').count()).toBe(2);
    await page.getByTestId('subscriber-credit').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('credit-5-console-subscriber-credit-en'), fullPage: true });

    // A typing slip is caught before anything is sent; then 20.00.
    await page.getByTestId('credit-limit-amount').fill('20,00');
    await page.getByTestId('credit-limit-submit').click();
    await page.getByText('Enter 0 or a positive amount with at most two decimals.').waitFor();
    await page.getByTestId('credit-limit-amount').fill('20');
    await page.getByTestId('credit-limit-submit').click();
    await page.getByTestId('credit-limit-changed').waitFor();
    expect(await page.getByTestId('credit-limit-changed').textContent()).toBe('The limit was changed from ¥10.00 to ¥20.00. ');
    await expect.poll(() => page.getByTestId('subscriber-credit-gauge-percent').textContent()).toBe('41 % used');
    expect(await history.getByTestId('charging-history-limit-changed').first().textContent()).toContain(
      'Limit changed from ¥10.00 to ¥20.00 (by staff)',
    );
    await page.screenshot({ path: screenshotPath('credit-6-console-limit-raised-en'), fullPage: true });
  });
});
