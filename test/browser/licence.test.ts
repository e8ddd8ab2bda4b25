import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LICENCE_VERSIONS, type LicenceVersion } from '../../src/agreements/index.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, demoOrder, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';

const start = new Date('2026-03-01T02:00:00.000Z');

/**
 * The test hook for "a new version is deployed": the service is started with a second version that
 * takes effect half an hour into the test, and the test moves the service's clock past it.
 */
const version2: LicenceVersion = {
  version: 2,
  effectiveAt: new Date(start.getTime() + 30 * 60_000),
  summary: { 'zh-CN': '测试用第2版', en: 'Version 2, for the test' },
  texts: {
    'zh-CN': `${LICENCE_VERSIONS[0]!.texts['zh-CN'].replace('（第1版）', '（第2版）')}\n9. 测试条款\n本条仅用于测试新版本的发布。\n`,
    en: `${LICENCE_VERSIONS[0]!.texts.en.replace('(version 1)', '(version 2)')}\n9. Test clause\nThis clause only tests publishing a new version.\n`,
  },
};

/**
 * Clause 3 in Debian's Chromium, in Chinese: on her first visit Li Hua's softphone shows the client
 * licence full screen; she reads it (in English too), accepts, and the phone registers. After a reload
 * it does not ask again. Version 2 takes effect: the next visit shows it once; accepted, the phone
 * registers, and the visit after that goes straight to the phone. Support sees both versions and
 * her two acceptances in the console.
 */
describe.skipIf(!chromiumAvailable)('the client licence in the softphone, in Chinese', () => {
  let service: TestService;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let lihua: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: start.toISOString(), licenceVersions: [...LICENCE_VERSIONS, version2] }));
    await service.listen();
    lihua = await activeIndividual(service, await signInCookie(service, await addStaff(service, ['verification_reviewer'])), '李华');
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['camera', 'microphone']);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const licence = () => page.getByTestId('softphone-licence');
  const registered = () => page.locator('[data-testid="softphone"][data-registration="registered"]');
  const acceptances = () =>
    service.ctx.db
      .selectFrom('licence_acceptances')
      .select(['version', 'device_id', 'language', 'user_agent'])
      .orderBy('accepted_at')
      .execute();

  it('shows the licence full screen before the first use, and the phone only once it is accepted', async () => {
    await page.goto(`${base}/phone`);
    await page.getByTestId('phone-login').fill(lihua.phone);
    await page.getByTestId('phone-password').fill(demoOrder.password);
    await page.getByTestId('phone-sign-in-submit').click();

    await licence().waitFor();
    expect(await licence().getAttribute('data-version')).toBe('1');
    await expect.poll(() => page.locator('#licence-title').textContent(), { timeout: 10_000 }).toBe('客户端软件许可协议');
    await expect
      .poll(() => page.getByTestId('licence-text').textContent(), { timeout: 10_000 })
      .toContain('不得：\n（1）修改、翻译、改编本软件');
    expect(await page.getByTestId('softphone').count()).toBe(0);
    // No SIP credentials exist yet for anyone.
    expect(await service.ctx.db.selectFrom('sip_device_credentials').select('username').execute()).toEqual([]);
    await page.screenshot({ path: screenshotPath('licence-1-first-visit-zh-CN'), fullPage: true });

    // The text in English, and back.
    await page.getByTestId('licence-language-en').click();
    await page.getByText('Client software licence', { exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('licence-text').textContent(), { timeout: 10_000 }).toContain('You may not:');
    await page.screenshot({ path: screenshotPath('licence-2-in-english'), fullPage: true });
    await page.getByTestId('licence-language-zh-CN').click();
    await page.getByText('客户端软件许可协议', { exact: true }).waitFor();

    await page.getByTestId('licence-accept').click();
    await registered().waitFor({ timeout: 20_000 });
    expect(await licence().count()).toBe(0);
    await page.screenshot({ path: screenshotPath('licence-3-accepted-phone-registered-zh-CN'), fullPage: true });

    const rows = await acceptances();
    expect(rows).toMatchObject([{ version: 1, language: 'zh-CN', user_agent: expect.stringContaining('Chrome') }]);
    const stored = await page.evaluate<string | null>("localStorage.getItem('videophone.softphone.licenceDeviceId')");
    expect(rows[0]!.device_id).toBe(stored);
  });

  it('does not ask again after a reload: the phone registers straight away', async () => {
    await page.reload();
    await registered().waitFor({ timeout: 20_000 });
    expect(await licence().count()).toBe(0);
    expect(await acceptances()).toHaveLength(1);
    await page.screenshot({ path: screenshotPath('licence-4-reload-no-licence-zh-CN'), fullPage: true });
  });

  it('shows version 2 once it takes effect, once: accepted, the phone registers, and the next visit does not ask', async () => {
    service.clock.set(new Date(version2.effectiveAt.getTime() + 60_000));
    await page.reload();
    await licence().waitFor();
    expect(await licence().getAttribute('data-version')).toBe('2');
    await expect.poll(() => page.getByTestId('licence-text').textContent(), { timeout: 10_000 }).toContain('本条仅用于测试新版本的发布');
    expect(await page.getByTestId('softphone').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('licence-5-new-version-zh-CN'), fullPage: true });

    await page.getByTestId('licence-accept').click();
    await registered().waitFor({ timeout: 20_000 });
    await page.reload();
    await registered().waitFor({ timeout: 20_000 });
    expect(await licence().count()).toBe(0);
    expect((await acceptances()).map((row) => row.version)).toEqual([1, 2]);
    await page.screenshot({ path: screenshotPath('licence-6-version-2-accepted-zh-CN'), fullPage: true });
  });

  it('shows support the versions, the one in force, and Li Hua’s acceptances in the console', async () => {
    const staffPage = await context.newPage();
    await staffPage.goto(`${base}/console/login?next=/console/licence`);
    await signInThroughPage(staffPage, service, await addStaff(service, ['support_agent']));
    await staffPage.getByTestId('licence-versions').waitFor();
    const current = staffPage.getByTestId('licence-version-2');
    await expect.poll(() => current.textContent(), { timeout: 10_000 }).toContain('现行');
    await expect.poll(() => current.textContent(), { timeout: 10_000 }).toContain('1 位用户，1 台设备');
    await expect.poll(() => staffPage.getByTestId('licence-version-1').textContent(), { timeout: 10_000 }).not.toContain('现行');
    await staffPage.screenshot({ path: screenshotPath('licence-7-console-versions-zh-CN'), fullPage: true });

    await staffPage.goto(`${base}/console/subscribers`);
    await staffPage.getByTestId(`subscriber-open-${lihua.id}`).click();
    const rows = staffPage.getByTestId('licence-acceptances').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await expect.poll(() => rows.first().locator('td').first().textContent(), { timeout: 10_000 }).toBe('2');
    await staffPage.getByTestId('subscriber-licence-acceptances').scrollIntoViewIfNeeded();
    await staffPage.screenshot({ path: screenshotPath('licence-8-console-acceptances-zh-CN'), fullPage: true });
  });
});
