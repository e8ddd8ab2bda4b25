import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceTo } from '../billing/support.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Credit notes and refunds in the billing console, in Chinese, in Debian's Chromium against the real
 * server. 王小明 is activated on Jan 10; before his first bill (Feb 1) a billing clerk (the role with
 * billing.manage; administrators do not have it) gives him 5.00 back for a dropped call, which stays as
 * credit because nothing is owed, then refunds 2.00 of it. A support agent reads the same account
 * without the forms.
 */
describe.skipIf(!chromiumAvailable)('adjustments, credit notes and refunds in the billing console, in Chinese', () => {
  const reason = '1月12日通话中断补偿';
  let service: TestService;
  let browser: Browser;
  let base: string;
  let clerk: TestStaff;
  let agent: TestStaff;
  let wang: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-01-10T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    clerk = await addStaff(service, ['billing_clerk'], 'zhao.billing');
    agent = await addStaff(service, ['support_agent'], 'qian.support');
    wang = await activeIndividual(service, reviewer, '王小明');
    await advanceTo(service, '2026-01-15 10:00');
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function openAccount(staff: TestStaff): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login?next=/console/billing`);
    await signInThroughPage(page, service, staff);
    await page.getByTestId('billing-subscriber-id').fill(wang.id);
    await page.getByTestId('billing-lookup').click();
    await page.getByTestId('billing-account').waitFor();
    return page;
  }

  it('lets the billing clerk post a credit note of ¥5.00 that becomes credit, then refund ¥2.00 of it', async () => {
    const page = await openAccount(clerk);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByTestId('account-balance').textContent()).toBe('¥0.00');
    expect(await page.getByTestId('account-credit').textContent()).toBe('¥0.00');
    expect(await page.getByTestId('billing-account').textContent()).toContain('暂无流水。');
    expect(await page.getByTestId('refund-available').textContent()).toBe('该用户目前没有可退的预存款。');
    expect(await page.getByTestId('refund-submit').isDisabled()).toBe(true);

    // A typo in the amount is caught in the page, before anything is sent.
    await page.getByTestId('adjustment-kind').selectOption('credit_note');
    await page.getByTestId('adjustment-amount').fill('5,00');
    await page.getByTestId('adjustment-reason').fill(reason);
    await page.getByTestId('adjustment-submit').click();
    expect(await page.locator('#adjustment-amount-hint').textContent()).toBe('请输入大于 0 的金额，最多两位小数。');

    await page.getByTestId('adjustment-amount').fill('5.00');
    await page.screenshot({ path: screenshotPath('billing-adjustments-1-credit-note-form-zh-CN'), fullPage: true });
    await page.getByTestId('adjustment-submit').click();
    await page.getByTestId('adjustment-result').waitFor();
    expect(await page.getByTestId('adjustment-result').textContent()).toBe('已记账：贷记 ¥5.00，已冲抵未付账单，余下转为预存款。');

    // Nothing is owed, so the whole credit note stays as credit; the ledger explains it with the reason.
    await expect.poll(() => page.getByTestId('account-credit').textContent()).toBe('¥5.00');
    expect(await page.getByTestId('account-balance').textContent()).toBe('-¥5.00');
    const creditNote = page.getByTestId('account-ledger').locator('tbody tr', { hasText: `退还：${reason}` });
    expect(await creditNote.locator('td').nth(1).textContent()).toBe('贷记（退还）');
    expect(await creditNote.locator('td').nth(3).textContent()).toBe('-¥5.00');
    expect(await page.getByTestId('refund-available').textContent()).toBe('可退预存款：¥5.00');
    await page.screenshot({ path: screenshotPath('billing-adjustments-2-credit-note-posted-zh-CN'), fullPage: true });

    // More than the credit is refused in the page; the server would refuse it too.
    await page.getByTestId('refund-amount').fill('6.00');
    await page.getByTestId('refund-reason').fill('用户要求退回部分预存款');
    await page.getByTestId('refund-submit').click();
    expect(await page.locator('#refund-amount-hint').textContent()).toBe('最多可退 ¥5.00。');

    await page.getByTestId('refund-amount').fill('2.00');
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-result').waitFor();
    expect(await page.getByTestId('refund-result').textContent()).toBe('已退款 ¥2.00，剩余预存款 ¥3.00。');
    await expect.poll(() => page.getByTestId('account-credit').textContent()).toBe('¥3.00');
    expect(await page.getByTestId('account-balance').textContent()).toBe('-¥3.00');
    expect(await page.getByTestId('refund-available').textContent()).toBe('可退预存款：¥3.00');
    const refund = page.getByTestId('account-ledger').locator('tbody tr', { hasText: '退款：用户要求退回部分预存款' });
    expect(await refund.locator('td').nth(3).textContent()).toBe('¥2.00');
    await page.screenshot({ path: screenshotPath('billing-adjustments-3-refund-zh-CN'), fullPage: true });

    // The ledger holds money back as a negative entry and money paid out as a positive one.
    const entries = await service.ctx.db
      .selectFrom('ledger_entries')
      .select(['kind', 'amount_fen', 'detail'])
      .where('subscriber_id', '=', wang.id)
      .where('kind', 'in', ['credit_note', 'refund'])
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => ({ kind: e.kind, amountFen: Number(e.amount_fen), detail: e.detail }))).toEqual([
      { kind: 'credit_note', amountFen: -5_00, detail: { reason } },
      { kind: 'refund', amountFen: 2_00, detail: { reason: '用户要求退回部分预存款' } },
    ]);
  });

  it('shows a support agent, who may read billing but not manage it, the account without the forms', async () => {
    const page = await openAccount(agent);
    expect(await page.getByTestId('account-credit').textContent()).toBe('¥3.00');
    expect(await page.getByTestId('adjustment-form').count()).toBe(0);
    expect(await page.getByTestId('refund-form').count()).toBe(0);
    expect(await page.getByTestId('desk-payment').count()).toBe(0);
  });
});
