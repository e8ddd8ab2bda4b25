import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCall, advanceTo, local } from '../billing/support.js';
import { callerReportsLoss } from '../disputes/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/** '¥41.16' → 4116 fen; the page shows money as the clerk reads it. */
function fenOf(text: string | null): number {
  const match = /^(-?)¥([\d,]+)\.(\d\d)$/.exec(text ?? '');
  if (!match) throw new Error(`not an amount: ${text}`);
  return (match[1] ? -1 : 1) * Number(`${match[2]!.replaceAll(',', '')}${match[3]}`);
}

/**
 * One page per customer (issue #14), in Chinese, in Debian's Chromium against the real server. Wang,
 * active since Jan 10, made a 12-minute call on Jan 20 whose phone reported 18 % loss; his January bill
 * is issued on Feb 1. A billing clerk types his number into the account lookup, lands on his page and
 * records a payment there; support opens the same page and reads the call's quality but no ledger;
 * the legal officer, who holds no billing permission, sees no money on it, and the money APIs refuse.
 */
describe.skipIf(!chromiumAvailable)('the customer page in the browser, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let clerk: TestStaff;
  let support: TestStaff;
  let legal: TestStaff;
  let wang: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-01-10T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    clerk = await addStaff(service, ['billing_clerk'], 'li.billing');
    support = await addStaff(service, ['support_agent'], 'chen.support');
    legal = await addStaff(service, ['legal_officer'], 'zhao.legal');
    wang = await activeIndividual(service, reviewer, '王小明');
    await advanceTo(service, '2026-01-10 10:05');
    service.clock.set(local('2026-01-20 20:00'));
    const recordId = await addCall(service, wang.number, { answeredAt: local('2026-01-20 19:40'), durationMs: 12 * 60_000 });
    const { call_id: callId } = await service.ctx.db
      .selectFrom('call_records')
      .select('call_id')
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    await callerReportsLoss(service, wang.number, callId, 18);
    await advanceTo(service, '2026-02-01 00:00');
    await advanceTo(service, '2026-02-10 10:00');
    await service.listen();
    browser = await launchChromium();
    // Three billing cycles and a browser start: the CI machine under load needs more than the default.
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signedIn(staff: TestStaff, next: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login?next=${encodeURIComponent(next)}`);
    await signInThroughPage(page, service, staff);
    return page;
  }

  it('takes the billing clerk from the number to the customer page in one step, where a desk payment lowers the balance', async () => {
    const page = await signedIn(clerk, '/console/billing');
    await page.getByTestId('billing-subscriber-id').fill(wang.number);
    await page.getByTestId('billing-lookup').click();
    await page.getByTestId('customer-header').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/customers/${wang.id}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByTestId('customer-name').textContent()).toBe('王**');
    expect(await page.getByTestId('customer-numbers').textContent()).toBe(wang.number);
    expect(await page.getByTestId('customer-status').textContent()).toBe('服务已开通');
    expect(await page.getByTestId('customer-header').textContent()).toContain('没有生效中的暂停');
    await page.getByTestId('account-ledger').waitFor();
    await page.getByTestId('subscriber-credit-gauge').waitFor();
    expect(await page.getByTestId('customer-order').textContent()).toContain('套餐版本生效于');
    // The clerk holds no calls.read, devices.manage or audit.read: those sections are not there.
    for (const absent of ['customer-calls', 'customer-terminals-section', 'customer-audit-section'])
      expect(await page.getByTestId(absent).count()).toBe(0);
    const before = fenOf(await page.getByTestId('account-balance').textContent());
    expect(before).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('customer-1-clerk-page-zh-CN'), fullPage: true });

    await page.getByTestId('payment-amount').fill('10.00');
    await page.getByTestId('payment-reference').fill('desk-wang-customer-page');
    await page.getByTestId('payment-submit').click();
    await page.getByTestId('payment-result').waitFor();
    expect(await page.getByTestId('payment-result').textContent()).toContain('已记录');
    await expect.poll(async () => fenOf(await page.getByTestId('account-balance').textContent())).toBe(before - 10_00);
    expect(await page.getByTestId('account-ledger').textContent()).toContain('营业厅柜台付款，凭证号 desk-wang-customer-page');
    await page.screenshot({ path: screenshotPath('customer-2-clerk-payment-zh-CN'), fullPage: true });
    // Three sign-ins' worth of pages and two full-page screenshots: more than the default under CI load.
  }, 180_000);

  it("shows support the customer's calls with what the phone measured, and the balance but no ledger", async () => {
    const page = await signedIn(support, `/console/customers/${wang.id}`);
    await page.getByTestId('customer-header').waitFor();
    await page.getByTestId('calls-table').waitFor();
    const row = page.getByTestId('calls-table').locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').last().textContent()).toBe('1');
    await page.getByTestId('calls-open').click();
    await page.getByTestId('quality-report-row').waitFor();
    expect(await page.getByTestId('quality-report-row').textContent()).toContain('18%');
    await page.getByTestId('account-balance').waitFor();
    expect(await page.getByTestId('account-ledger').count()).toBe(0);
    expect(await page.getByTestId('desk-payment').count()).toBe(0);
    await page.getByTestId('customer-cases').or(page.getByText('没有协商案件。')).waitFor();
    await page.screenshot({ path: screenshotPath('customer-3-support-calls-quality-zh-CN'), fullPage: true });
  });

  it('shows a role without billing permission no money at all, and the money APIs answer it 403', async () => {
    const page = await signedIn(legal, `/console/customers/${wang.id}`);
    await page.getByTestId('customer-header').waitFor();
    await page.getByTestId('identity-fullName').waitFor();
    // What the clerk did to Wang is in the audit trail the legal officer reads.
    await expect.poll(() => page.getByTestId('customer-audit').textContent()).toContain('billing.payment.record');
    for (const absent of ['customer-billing', 'customer-credit', 'account-balance', 'account-ledger', 'subscriber-credit-gauge'])
      expect(await page.getByTestId(absent).count()).toBe(0);
    for (const path of [`/api/console/billing/subscribers/${wang.id}`, `/api/console/charging/subscribers/${wang.id}`]) {
      const response = await page.request.get(`${base}${path}`);
      expect({ path, status: response.status() }).toEqual({ path, status: 403 });
    }
    await page.screenshot({ path: screenshotPath('customer-4-legal-no-money-zh-CN'), fullPage: true });
  });
});
