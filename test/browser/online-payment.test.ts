import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctAccountPlan, dunningStageOf, ledgerOf } from '../../src/billing/index.js';
import { activeSuspensions } from '../../src/entitlements/index.js';
import { addPlan, advanceTo, local } from '../billing/support.js';
import { launchChromium, screenshotPath, startWebTestService } from '../support/browser.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';

/**
 * Issue #15 in Debian's Chromium against the real server, in Chinese. Wang and Li leave January's and
 * February's bills unpaid and are suspended for arrears on March 22. Wang pays everything owed with
 * the simulator's QR flow (he opens the page the QR code points at and presses pay): the provider's
 * notification reaches the server over HTTP, his service is restored at once and the portal shows the
 * receipt. The simulator then sends the notification again and a stale "failed": still one payment.
 * Li asks to end her agreement, settles the final amount online, and the agreement ends.
 */
describe('paying online in the browser (issue #15)', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let wang: ActiveSubscriber;
  let li: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-01-01T00:00:00Z' }));
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    wang = await activeIndividual(service, reviewer, '王小明');
    li = await activeIndividual(service, reviewer, '李小红');
    await advanceTo(service, '2026-01-01 08:10');
    const plan = await addPlan(service);
    for (const subscriber of [wang, li]) await correctAccountPlan(service.ctx, subscriber.id, plan);
    for (const at of ['2026-02-01 00:00', '2026-03-01 00:00', '2026-03-22 00:00']) await advanceTo(service, at);
    service.clock.set(local('2026-03-22 09:00'));
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function portalPage(subscriber: ActiveSubscriber): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1000, height: 1100 } });
    const [name, value] = (await portalCookie(service, subscriber.phone)).split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    return context.newPage();
  }

  /** Scanning the QR code opens its content: the simulator's cashier page, where the payer presses pay. */
  async function payAtSimulator(page: Page, name: string): Promise<Page> {
    await page.getByTestId('payment-qr').waitFor();
    const link = await page.getByTestId('payment-link').getAttribute('href');
    expect(link).toMatch(/\/simulator\/pay\/SIM[0-9A-F]{24}$/);
    // The payer's phone: another device, so its own browser context (it outlives the portal's).
    const phone = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 900 } })).newPage();
    await phone.goto(link!);
    await phone.getByTestId('simulator-pay').click();
    await phone.getByTestId('simulator-status').getByText('支付成功').waitFor();
    await phone.screenshot({ path: screenshotPath(`${name}-simulator`), fullPage: true });
    return phone;
  }

  const payments = async (subscriberId: string) => (await ledgerOf(service.ctx.db, subscriberId)).filter((line) => line.kind === 'payment');

  let simulatorPage: Page;

  it('Wang, suspended for arrears, pays everything owed with the simulator’s QR code and is restored at once', async () => {
    expect((await dunningStageOf(service.ctx, wang.id)).stage).toBe('suspended');
    const page = await portalPage(wang);
    await page.goto(`${base}/portal`);
    await page.getByTestId('portal-pay-online').click();
    await page.getByTestId('pay-choice-balance').waitFor();
    expect(await page.getByRole('heading', { name: '结清全部欠费' }).isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('online-payment-choices'), fullPage: true });
    await page.getByTestId('pay-start-balance').click();
    await page.getByTestId('payment-qr').waitFor();
    await page.screenshot({ path: screenshotPath('online-payment-qr'), fullPage: true });

    simulatorPage = await payAtSimulator(page, 'online-payment-wang');
    // The page polls until the provider's notification has been applied, then shows the receipt.
    await page.getByTestId('payment-receipt').waitFor();
    expect(await page.getByTestId('payment-status').textContent()).toBe('支付成功');
    expect(await page.getByTestId('receipt-provider').textContent()).toBe('支付模拟器（测试）');
    expect(await page.getByTestId('receipt-reference').textContent()).toMatch(/^SIM[0-9A-F]{24}$/);
    await page.screenshot({ path: screenshotPath('online-payment-receipt'), fullPage: true });

    expect((await payments(wang.id)).length).toBe(1);
    expect((await activeSuspensions(service.ctx.db, wang.id)).map((s) => s.cause)).not.toContain('overdue');
    await page.context().close();
  });

  it('the notification delivered twice, and a stale "failed" delivered out of order, still make one payment', async () => {
    const before = await payments(wang.id);
    await simulatorPage.getByTestId('simulator-duplicate').click();
    await simulatorPage.getByTestId('simulator-sent').waitFor();
    await simulatorPage.getByTestId('simulator-duplicate').click();
    await simulatorPage.getByText('已发送 Sent: duplicate').waitFor();
    await simulatorPage.getByTestId('simulator-out-of-order').click();
    await simulatorPage.getByText('已发送 Sent: out-of-order').waitFor();
    await simulatorPage.screenshot({ path: screenshotPath('online-payment-duplicates'), fullPage: true });
    expect(await payments(wang.id)).toEqual(before);
    const effects = await service.ctx.db.selectFrom('payment_notifications').select('effect').orderBy('received_at').execute();
    expect(effects.map((e) => e.effect)).toEqual(['applied', 'duplicate', 'duplicate', 'ignored-out-of-order']);
  });

  it('Li asks to end her agreement, settles the final amount online, and the agreement ends', async () => {
    const cookie = await portalCookie(service, li.phone);
    const asked = await service.app.inject({ method: 'POST', url: '/api/portal/termination', headers: { cookie } });
    expect(asked.json()).toMatchObject({ status: 'awaiting-settlement' });
    const page = await portalPage(li);
    await page.goto(`${base}/portal/pay`);
    await page.getByTestId('pay-choice-settlement').waitFor();
    await page.screenshot({ path: screenshotPath('online-payment-settlement'), fullPage: true });
    await page.getByTestId('pay-start-settlement').click();
    await payAtSimulator(page, 'online-payment-li');
    await page.getByTestId('payment-receipt').waitFor();
    await page.screenshot({ path: screenshotPath('online-payment-settlement-receipt'), fullPage: true });
    const row = await service.ctx.db.selectFrom('subscribers').select('status').where('id', '=', li.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('terminated');
  });
  it('the billing clerk sees the payments and closes a difference reconciliation cannot settle, saying what was done', async () => {
    // The provider notifies a paid order this service never made: nothing is applied, staff are told.
    const stray = service.payments.simulator!.notificationOf(
      { trade_no: 'SIM000000000000000000000001', merchant_reference: 'VPSTRAY0001', amount_fen: 12_34, paid_at: service.clock.now() },
      'succeeded',
    );
    const answer = await service.app.inject({
      method: 'POST',
      url: '/api/payments/notify/simulator',
      headers: stray.headers,
      payload: stray.body,
    });
    expect(answer.statusCode).toBe(200);

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } });
    const [name, value] = (await signInCookie(service, await addStaff(service, ['billing_clerk']))).split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/console`);
    await page.getByTestId('nav-online-payments').click();
    const row = page.getByTestId('payment-mismatch');
    await row.waitFor();
    expect(await row.getAttribute('data-kind')).toBe('unknown-intent');
    expect(await row.textContent()).toContain('本系统查无此单');
    expect(await page.getByTestId('online-payment').first().textContent()).toContain('支付成功');
    await row.getByTestId('mismatch-resolve').click();
    await page.getByTestId('mismatch-resolution').fill('已与支付机构核对：测试订单，未实际收款');
    await page.screenshot({ path: screenshotPath('online-payments-console'), fullPage: true });
    await page.getByTestId('mismatch-resolve-submit').click();
    await page.getByText('没有对账差异。').waitFor();
    await page.getByTestId('mismatches-open-only').uncheck();
    expect(await page.getByTestId('payment-mismatch').textContent()).toContain('已与支付机构核对：测试订单，未实际收款');
    const audited = await service.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'payments.mismatch-resolve')
      .execute();
    expect(audited).toHaveLength(1);
    await context.close();
  });
});
