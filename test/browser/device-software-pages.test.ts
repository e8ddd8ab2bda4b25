import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { stockUnit } from '../devices/provisioning-support.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Clauses 4 and 8 on the console: a technician provisions a unit from the inventory and is shown its
 * secret once, then sees what version the unit runs after it fetched its configuration; on the releases
 * page she publishes terminal firmware to 25 % of the units and sets a minimum Linphone version. In
 * Chinese, then in English.
 */
describe.skipIf(!chromiumAvailable)('device software and releases pages', () => {
  let service: TestService;
  let base: string;
  let browser: Browser;
  let technician: TestStaff;
  let unitId: string;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService());
    await provisionSipAccounts(service.ctx.db, service.config.sip.domain, [{ number: '6300', password: 'pw6300' }], service.clock.now());
    await service.listen();
    unitId = await stockUnit(service.ctx, 'VP100-0630', '00:1A:2B:00:06:30');
    technician = await addStaff(service, ['technician'], 'sun.tech');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signedIn(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, technician);
    return page;
  }

  it('the technician provisions a unit and sees its secret once; after the unit fetched, its version shows (zh-CN)', async () => {
    const page = await signedIn('zh-CN');
    await page.getByTestId('nav-device-software').click();
    await page.getByTestId('provision-unit-id').fill(unitId);
    // A unit not sold yet registers for the number staff name.
    await page.getByLabel(/^号码/).fill('6300');
    await page.getByRole('button', { name: '生成凭据和密钥' }).click();
    const secretBox = page.getByTestId('provisioning-secret');
    await secretBox.waitFor();
    const jsonUrl = /(http:\/\/\S+\/config\.json)/.exec((await secretBox.textContent()) ?? '')?.[1];
    expect(jsonUrl).toBeTruthy();
    await page.getByTestId('provisioned-terminals-table').waitFor();
    await page.screenshot({ path: screenshotPath('console-device-software-provisioned-zh-CN'), fullPage: true });

    const fetched = await fetch(jsonUrl!, { headers: { 'user-agent': 'Videophone-Terminal/1.3.0 (VP-100)' } });
    expect(fetched.status).toBe(200);
    await page.reload();
    const versions = page.getByTestId('device-versions-table');
    await versions.waitFor();
    expect(await versions.textContent()).toContain('1.3.0');
    expect(await versions.textContent()).toContain('运营商终端');
    await page.screenshot({ path: screenshotPath('console-device-software-zh-CN'), fullPage: true });
    await page.context().close();
  });

  it('she publishes firmware 1.4.0 to 25 % and sets the minimum Linphone version to 5.2 (en)', async () => {
    const page = await signedIn('en');
    await page.getByTestId('language-switch').selectOption('en');
    await page.getByTestId('nav-releases').click();
    const publish = page.getByRole('form', { name: 'Publish' });
    await publish.getByLabel('Version').fill('1.4.0');
    await publish.getByLabel('Rollout (%)').fill('25');
    await publish.getByRole('button', { name: 'Publish' }).click();
    const releases = page.getByTestId('releases-table');
    await releases.waitFor();
    await expect.poll(async () => releases.textContent()).toContain('1.4.0');
    expect(await releases.textContent()).toContain('25 %');

    await page.getByLabel('Minimum linphone').fill('5.2');
    const row = page.getByTestId('minimum-versions-table').getByRole('row', { name: /Linphone/ });
    await row.getByRole('button', { name: 'Set' }).click();
    await expect.poll(async () => row.textContent()).toContain('5.2');
    await page.screenshot({ path: screenshotPath('console-releases-en'), fullPage: true });
    await page.context().close();
  });
});
