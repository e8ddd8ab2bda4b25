import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { createSubscriberWithIdentity } from '../../src/subscribers/index.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Issue #14's "one step", in Chinese: a billing clerk somewhere in the console presses the shortcut,
 * types the customer's videophone number and Enter, and is on that customer's page. (The page itself is
 * the customer page's work; this asserts where the clerk lands.)
 */
/** What the page's own code touches (the tests are compiled without the DOM library). */
type PageGlobal = { document: { activeElement: { id: string; blur(): void } | null } };

describe.skipIf(!chromiumAvailable)('the console search in the browser, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let clerk: TestStaff;
  let wang: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({}));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    clerk = await addStaff(service, ['billing_clerk'], 'zhao.billing');
    wang = await activeIndividual(service, reviewer, '王小明');
    // A second 王小…, only applied: enough for a name to find two.
    const applied = await createSubscriberWithIdentity(
      service.ctx,
      {
        kind: 'individual',
        identity: { fullName: '王小红', idNumber: '350102198001015678' },
        idType: 'prc_resident_id',
        idNumber: '350102198001015678',
      },
      { type: 'anonymous', id: null, name: null },
    );
    if (!applied.ok) throw new Error(applied.failure.message);
    await service.listen();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('takes a billing clerk from the shortcut and 7100000 to the customer in one Enter', async () => {
    expect(wang.number).toBe('7100000'); // the first number of the default range
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login?next=/console/billing`);
    await signInThroughPage(page, service, clerk);
    await page.getByTestId('billing-console').waitFor();
    const search = page.getByTestId('customer-search');
    expect(await search.getAttribute('placeholder')).toBe('姓名、号码、联系电话、证件号后四位…');

    // Ctrl+K with nothing focused focuses the search; the number is typed and Enter pressed at once.
    await page.evaluate(() => (globalThis as unknown as PageGlobal).document.activeElement?.blur());
    await page.keyboard.press('Control+k');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobal).document.activeElement?.id === 'customer-search');
    await page.keyboard.type('7100000');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/console/customers/${wang.id}`);
    expect(new URL(page.url()).pathname).toBe(`/console/customers/${wang.id}`);

    // "/" works too; a name shows masked results as one types.
    await page.evaluate(() => (globalThis as unknown as PageGlobal).document.activeElement?.blur());
    await page.keyboard.press('/');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobal).document.activeElement?.id === 'customer-search');
    await page.keyboard.type('王小');
    const results = page.getByTestId('customer-search-result');
    await results.nth(1).waitFor();
    expect(await results.count()).toBe(2);
    expect(await results.first().textContent()).toContain('王**');
    expect(await results.first().textContent()).toContain('姓名');
    await page.screenshot({ path: screenshotPath('search-1-console-zh-CN') });
    await context.close();
  });
});
