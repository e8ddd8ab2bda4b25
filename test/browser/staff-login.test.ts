import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage } from '../support/browser.js';
import { repoRoot } from '../support/process.js';
import { addStaff, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/** A staff member signs in through the real page in Debian's Chromium, against the real server. */
describe.skipIf(!chromiumAvailable)('staff sign-in in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let admin: TestStaff;
  let clerk: TestStaff;

  beforeAll(async () => {
    service = await startTestService('pglite', { webRoot: path.join(repoRoot, 'dist/web'), env: { HOST: '127.0.0.1', PORT: '0' } });
    admin = await addStaff(service, ['administrator'], 'wang.admin');
    clerk = await addStaff(service, ['billing_clerk'], 'li.billing');
    base = (await service.app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function openLogin(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    return page;
  }

  const signIn = (page: Page, staff: TestStaff) => signInThroughPage(page, service, staff);

  it('an administrator signs in with password and one-time code and sees the console with every administrator page, in Chinese', async () => {
    const page = await openLogin('zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.screenshot({ path: screenshotPath('staff-login-zh-CN') });
    await signIn(page, admin);

    expect(await page.getByTestId('staff-name').textContent()).toContain('Test wang.admin');
    const nav = page.getByTestId('console-nav');
    for (const name of ['overview', 'staff', 'audit', 'settings', 'jobs'])
      expect(await nav.getByTestId(`nav-${name}`).isVisible()).toBe(true);
    await page.getByTestId('nav-staff').click();
    await page.getByTestId('staff-row-li.billing').waitFor();
    await page.screenshot({ path: screenshotPath('console-staff-zh-CN') });
    await page.context().close();
  });

  it('a billing clerk sees only the pages her role allows, in English after switching language', async () => {
    const page = await openLogin('zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.screenshot({ path: screenshotPath('staff-login-en') });
    await signIn(page, clerk);

    const nav = page.getByTestId('console-nav');
    expect(await nav.getByTestId('nav-overview').isVisible()).toBe(true);
    for (const name of ['staff', 'audit', 'settings', 'jobs']) expect(await nav.getByTestId(`nav-${name}`).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-overview-en') });

    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    await page.context().close();
  });

  it('a wrong password shows a clear error on the page and is audited', async () => {
    const page = await openLogin('en');
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill('this is not the password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect((await error.textContent())?.toLowerCase()).toMatch(/password/);
    expect(await page.getByTestId('login-totp').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('staff-login-error-en') });
    await page.context().close();

    const failures = await service.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staff.sign-in')
      .where('outcome', '=', 'failure')
      .where('actor_id', '=', admin.id)
      .execute();
    expect(failures).toHaveLength(1);
  });
});
