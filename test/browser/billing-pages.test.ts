import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceTo } from '../billing/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Issue #6's pages in Chinese, in Debian's Chromium against the real server: a subscriber activated on
 * Jan 10 reads the January bill (22 of 31 days of the Standard plan's 58.00 = 41.16, due Feb 21) in the
 * portal after it has gone overdue, and a billing clerk sees it in the ageing chart, looks the
 * subscriber up, previews and imports a bank file, and records a desk payment.
 */
describe.skipIf(!chromiumAvailable)('the billing pages in the browser, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let clerk: TestStaff;
  let wang: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-01-10T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    clerk = await addStaff(service, ['billing_clerk'], 'li.billing');
    wang = await activeIndividual(service, reviewer, '王小明');
    // The January bill is issued on Feb 1 and due Feb 21; on Feb 25 it is 4 days overdue.
    await advanceTo(service, '2026-01-10 10:05');
    await advanceTo(service, '2026-02-01 00:00');
    await advanceTo(service, '2026-02-25 10:00');
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

  it('shows the subscriber the overdue January bill of ¥41.16, line by line, with the late fee explained', async () => {
    const page = await newPage();
    // Signed in now (the clock has moved on since activation), the session cookie handed to the browser.
    const [name, value] = (await portalCookie(service, wang.phone)).split(/=(.*)/s) as [string, string];
    await page.context().addCookies([{ name, value, url: base }]);
    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-bills-link').click();
    await page.getByTestId('portal-bills-table').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    const january = page.getByTestId('portal-bill-2026-01');
    expect(await january.getByTestId('bill-total').textContent()).toBe('¥41.16');
    expect(await january.getByTestId('bill-status').textContent()).toBe('已逾期');
    expect(await page.getByTestId('balance-overdue').textContent()).toBe('¥41.16');

    await page.getByTestId('portal-bill-open-2026-01').click();
    await page.getByTestId('bill-lines').waitFor();
    expect(await page.getByTestId('bill-line-rent').textContent()).toContain('2026-01-10 至 2026-01-31 共 22 天的月租');
    expect(await page.getByTestId('bill-detail-total').textContent()).toBe('¥41.16');
    const lateFee = await page.getByTestId('bill-late-fee').textContent();
    expect(lateFee).toContain('每天 0.3%');
    expect(lateFee).toContain('不对滞纳金再计滞纳金');
    expect(await page.getByTestId('bill-pdf').getAttribute('href')).toMatch(/^\/api\/portal\/bills\/[0-9a-f-]{36}\/pdf$/);
    await page.screenshot({ path: screenshotPath('billing-1-portal-bill-zh-CN'), fullPage: true });
  });

  it('shows the billing clerk the ageing chart, the ledger, a bank file preview and import, and a desk payment', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login?next=/console/billing`);
    await signInThroughPage(page, service, clerk);
    await page.getByTestId('ageing-chart').waitFor();

    expect(await page.getByTestId('ageing-1-30').getByTestId('ageing-amount').textContent()).toBe('¥41.16');
    expect(await page.getByTestId('ageing-total').textContent()).toBe('¥41.16');
    expect(await page.getByTestId('bill-run-2026-01').textContent()).toContain('1 / 1');
    await page.screenshot({ path: screenshotPath('billing-2-console-ageing-zh-CN'), fullPage: true });

    await page.getByTestId('billing-subscriber-id').fill(wang.id);
    await page.getByTestId('billing-lookup').click();
    await page.getByTestId('account-ledger').waitFor();
    expect(await page.getByTestId('dunning-stage').textContent()).toBe('正常');
    expect(await page.getByTestId('account-balance').textContent()).toBe('¥41.16');

    // A bank file with one good row and one the bank mistyped: the preview says which and why.
    const csv = `date,amount,reference,subscriber_id\n2026-02-24,10.00,BANK-001,${wang.id}\n2026-02-24,ten,BANK-002,${wang.id}\n`;
    await page.getByTestId('reconciliation-file').setInputFiles({ name: '对账单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('reconciliation-preview').click();
    await page.getByTestId('reconciliation-rows').waitFor();
    expect(await page.getByTestId('reconciliation-row-accepted').textContent()).toContain('¥10.00');
    expect(await page.getByTestId('reconciliation-row-rejected').textContent()).toContain('金额须为正数，最多两位小数');
    await page.screenshot({ path: screenshotPath('billing-3-console-reconciliation-preview-zh-CN'), fullPage: true });
    await page.getByTestId('reconciliation-import').click();
    await expect.poll(() => page.getByTestId('reconciliation-summary').textContent()).toContain('已导入');

    await page.getByTestId('payment-amount').fill('31.16');
    await page.getByTestId('payment-reference').fill('desk-wang-1');
    await page.getByTestId('payment-submit').click();
    await page.getByTestId('payment-result').waitFor();
    expect(await page.getByTestId('payment-result').textContent()).toContain('已记录');
    // The ledger reloads with both payments, explained in Chinese.
    await expect.poll(() => page.getByTestId('account-ledger').textContent()).toContain('营业厅柜台付款，凭证号 desk-wang-1');
    expect(await page.getByTestId('account-ledger').textContent()).toContain('银行转账付款，凭证号 BANK-001');
    await page.screenshot({ path: screenshotPath('billing-4-console-desk-payment-zh-CN'), fullPage: true });
  });
});
