import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Staff administration in Debian's Chromium against the real server, in Chinese. Li lost his phone
 * and forgot his password. The administrator Zhang issues him a reset link and resets his
 * authenticator; Li opens the link, chooses a new password, and at sign-in scans (here: reads) the
 * enrolment secret from the page, enters the code his app would show, and is in.
 */
describe.skipIf(!chromiumAvailable)('staff administration in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let admin: TestStaff;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService());
    admin = await addStaff(service, ['administrator'], 'zhang-admin');
    await addStaff(service, ['support_agent'], 'li-support');
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Every staff action asks for confirmation first; the administrator says yes.
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  it('Zhang issues Li a reset link and resets his authenticator; Li sets a new password, enrols a new authenticator from the QR page and signs in', async () => {
    const adminPage = await newPage();
    await adminPage.goto(`${base}/console/login`);
    await signInThroughPage(adminPage, service, admin);
    await adminPage.getByTestId('nav-staff').click();
    const row = adminPage.getByTestId('staff-row-li-support');
    await row.waitFor();
    expect(await row.getByTestId('staff-totp').textContent()).toBe('已绑定');

    // The last administrator cannot disable himself: the refusal is in Chinese and says why.
    await adminPage.getByTestId('staff-row-zhang-admin').getByTestId('staff-disable').click();
    const refusal = adminPage.getByTestId('staff-action-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('最后一位在用的管理员');

    await row.getByTestId('staff-reset-password').click();
    const link = (await adminPage.getByTestId('staff-reset-link').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^${base}/console/reset/[A-Za-z0-9_-]{43}$`));
    await adminPage.screenshot({ path: screenshotPath('staff-admin-reset-link-zh-CN') });
    await adminPage.getByTestId('staff-reset-link-done').click();

    await row.getByTestId('staff-reset-totp').click();
    await adminPage.getByTestId('staff-totp-reset-done').waitFor();
    await row.getByTestId('staff-totp').filter({ hasText: '待重新绑定' }).waitFor();
    await adminPage.screenshot({ path: screenshotPath('staff-admin-page-zh-CN') });
    await adminPage.context().close();

    const page = await newPage();
    await page.goto(link);
    expect(await page.getByTestId('password-reset-greeting').textContent()).toContain('li-support');
    await page.getByTestId('reset-password').fill('li chose a new passphrase');
    await page.getByTestId('reset-confirm').fill('li chose a new passphrase');
    await page.screenshot({ path: screenshotPath('staff-password-reset-zh-CN') });
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('password-reset-done').waitFor();
    expect(await page.getByTestId('password-reset-done').textContent()).toContain('扫描二维码');
    await page.getByTestId('password-reset-sign-in').click();

    await page.getByTestId('login-username').fill('li-support');
    await page.getByTestId('login-password').fill('li chose a new passphrase');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-enrolment').waitFor();
    const qrWidth = await page
      .getByTestId('totp-qr')
      .evaluate((image) => (image as unknown as { naturalWidth: number; complete: boolean }).naturalWidth);
    expect(qrWidth).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('staff-totp-enrolment-zh-CN') });

    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    service.clock.advance({ seconds: 30 });
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
      timestamp: service.clock.now().getTime(),
    });
    await page.getByTestId('login-totp').fill(code);
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('staff-name').textContent()).toContain('li-support');
    await page.screenshot({ path: screenshotPath('staff-enrolled-signed-in-zh-CN') });
    await page.context().close();

    // The link is used up: opening it again says so, in Chinese.
    const again = await newPage();
    await again.goto(link);
    await again.getByTestId('password-reset-refused').waitFor();
    expect(await again.getByTestId('password-reset-refused').textContent()).toContain('已经使用过');
    await again.context().close();
  });
});
