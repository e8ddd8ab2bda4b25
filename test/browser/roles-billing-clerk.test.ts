import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceTo } from '../billing/support.js';
import { chromiumAvailable, launchChromium, startWebTestService } from '../support/browser.js';
import { addRoleStaff, roleScreenshot, signInAs } from '../support/console-roles.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/** What the page's own code touches (the tests are compiled without the DOM library). */
type PageGlobal = { document: { activeElement: { id: string; blur(): void } | null } };

/** '¥41.16' → 4116 fen; the page shows money as the clerk reads it. */
function fenOf(text: string | null): number {
  const match = /^(-?)¥([\d,]+)\.(\d\d)$/.exec(text ?? '');
  if (!match) throw new Error(`not an amount: ${text}`);
  return (match[1] ? -1 : 1) * Number(`${match[2]!.replaceAll(',', '')}${match[3]}`);
}

/**
 * The billing clerk's day, in Chinese (issue #14). Wang has had the service since 10 January and his
 * January bill was issued on 1 February. On 10 February he pays 50 yuan at the counter: Zhao, the
 * clerk, is on the disputes page, presses Ctrl+K, types his number 7100000 and Enter, is on his page
 * in that one step, records the payment there and sees the balance fall and the payment in the ledger.
 */
describe.skipIf(!chromiumAvailable)('the billing clerk in the console, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let clerk: TestStaff;
  let wang: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-01-10T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addRoleStaff(service, 'verification_reviewer'));
    clerk = await addRoleStaff(service, 'billing_clerk');
    wang = await activeIndividual(service, reviewer, '王小明');
    await advanceTo(service, '2026-02-01 00:00');
    await advanceTo(service, '2026-02-10 10:00');
    await service.listen();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('types 7100000 from another page, lands on the customer in one Enter, and records a desk payment there', async () => {
    expect(wang.number).toBe('7100000'); // the first number of the default range
    const { page, apiFailures } = await signInAs(browser, base, service, clerk, '/console/disputes');
    await page.getByRole('heading', { name: '费用争议' }).waitFor();

    // The shortcut from a page that has nothing to do with the customer; the number, then Enter at once.
    await page.evaluate(() => (globalThis as unknown as PageGlobal).document.activeElement?.blur());
    await page.keyboard.press('Control+k');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobal).document.activeElement?.id === 'customer-search');
    await page.keyboard.type('7100000');
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-header').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/customers/${wang.id}`);
    expect(await page.getByTestId('customer-name').textContent()).toBe('王**');
    expect(await page.getByTestId('customer-numbers').textContent()).toBe('7100000');

    // The January bill is owed: the balance is positive before the payment.
    await page.getByTestId('account-ledger').waitFor();
    const before = fenOf(await page.getByTestId('account-balance').textContent());
    expect(before).toBeGreaterThan(0);

    await page.getByTestId('payment-amount').fill('50.00');
    await page.getByTestId('payment-reference').fill('柜台-0210-001');
    await page.getByTestId('payment-submit').click();
    await page.getByTestId('payment-result').waitFor();
    expect(await page.getByTestId('payment-result').textContent()).toContain('已记录');
    await expect.poll(async () => fenOf(await page.getByTestId('account-balance').textContent())).toBe(before - 50_00);
    await expect.poll(() => page.getByTestId('account-ledger').textContent()).toContain('营业厅柜台付款，凭证号 柜台-0210-001');
    expect(apiFailures).toEqual([]);
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);

    // The README shows the money: the billing section at the top of the window.
    await page
      .getByTestId('customer-billing')
      .evaluate((section) =>
        (section as unknown as { scrollIntoView(options: { block: string }): void }).scrollIntoView({ block: 'start' }),
      );
    await roleScreenshot(page, 'billing-clerk');
    await page.context().close();
  }, 120_000);
});
