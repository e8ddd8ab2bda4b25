import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { uniqueMobile } from '../support/subscribers.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/** A 1×1 PNG: a real image, so the upload passes the server's content check. */
const onePixelPng = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2f1b7e50000000049454e44ae426082',
  'hex',
);

/**
 * Issue #5's walk-through, in Chinese, in Debian's Chromium against the real server: a person applies,
 * a reviewer asks for a copy of the ID, the person uploads it, the reviewer looks at the ID number
 * (stating why) and approves, the person signs the agreement, receives a number, and the web
 * softphone registers with it. Screenshots of each step go to test-output/screenshots/.
 */
describe.skipIf(!chromiumAvailable)('a new subscriber’s journey in the browser, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let reviewer: TestStaff;
  const phone = uniqueMobile();
  const password = '我的密码 correct horse';

  beforeAll(async () => {
    ({ service, base } = await startWebTestService());
    await loadDemoCatalogue(service.ctx);
    reviewer = await addStaff(service, ['verification_reviewer'], 'zhao.reviewer');
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

  async function reviewerConsole(): Promise<Page> {
    const page = await newPage();
    await page.goto(`${base}/console/login?next=/console/verification`);
    await signInThroughPage(page, service, reviewer);
    await page.getByTestId('subscriber-table').waitFor();
    return page;
  }

  it('goes from application through document request, upload, approval and signing to a registered softphone', async () => {
    // 1. The application, with the order, on the public page.
    const applicant = await newPage();
    await applicant.goto(`${base}/apply`);
    expect(await applicant.locator('html').getAttribute('lang')).toBe('zh-CN');
    await applicant.getByTestId('apply-fullName').fill('陈静怡');
    await applicant.getByTestId('apply-birthDate').fill('1949-12-31');
    await applicant.getByTestId('apply-idNumber').fill('11010519491231002X');
    await applicant.getByTestId('apply-address').fill('上海市浦东新区世纪大道100号');
    await applicant.getByTestId('apply-contactPhone').fill(phone);
    await applicant.getByTestId('apply-password').fill(password);
    await applicant.screenshot({ path: screenshotPath('journey-1-application-zh-CN'), fullPage: true });
    await applicant.getByTestId('apply-submit').click();
    await applicant.getByTestId('apply-done').waitFor();

    // 2. The reviewer asks for a copy of the ID, with a reason the applicant will read.
    const console = await reviewerConsole();
    await console.locator('[data-testid^="subscriber-open-"]').first().click();
    await console.getByTestId('subscriber-detail').waitFor();
    await expect.poll(() => console.getByTestId('identity-idNumber').textContent(), { timeout: 10_000 }).toBe('1101**********002X');
    await console.getByTestId('decision-reason').fill('请上传身份证正面照片，以便核对证件号码');
    await console.getByTestId('decide-request-documents').click();
    await console.getByTestId('decision-result').waitFor();
    await console.screenshot({ path: screenshotPath('journey-2-documents-requested-zh-CN'), fullPage: true });

    // 3. The applicant signs in, reads the reason and uploads the copy.
    await applicant.getByRole('link', { name: '登录自助服务' }).click();
    await applicant.getByTestId('portal-login').fill(phone);
    await applicant.getByTestId('portal-password').fill(password);
    await applicant.getByTestId('portal-login-submit').click();
    await applicant.getByTestId('portal-documents-reason').waitFor();
    await expect
      .poll(() => applicant.getByTestId('portal-documents-reason').textContent(), { timeout: 10_000 })
      .toContain('请上传身份证正面照片');
    await applicant
      .getByTestId('portal-document-file')
      .setInputFiles({ name: '身份证正面.png', mimeType: 'image/png', buffer: onePixelPng });
    await applicant.getByTestId('portal-document-upload').click();
    await applicant.getByTestId('portal-document-uploaded').waitFor();
    await applicant.screenshot({ path: screenshotPath('journey-3-document-uploaded-zh-CN'), fullPage: true });

    // 4. The reviewer reveals the ID number, stating why (recorded), and approves.
    await console.reload();
    await console.locator('[data-testid^="subscriber-open-"]').first().click();
    await console.getByTestId('reveal-idNumber').click();
    await console.getByTestId('reveal-purpose').fill('核对证件号码与上传的身份证照片是否一致');
    await console.getByTestId('reveal-purpose-submit').click();
    await expect.poll(() => console.getByTestId('identity-idNumber').textContent()).toBe('11010519491231002X');
    await console.getByTestId('subscriber-documents').getByRole('button').first().click();
    await console.getByTestId('document-purpose').fill('核对上传的身份证照片是否清晰完整');
    await console.getByRole('button', { name: '确认查看' }).click();
    await console.locator('img.document-preview').waitFor();
    await console.getByTestId('decide-approve').click();
    await console.getByTestId('decision-result').waitFor();
    await console.screenshot({ path: screenshotPath('journey-4-approved-zh-CN'), fullPage: true });
    const reveals = await service.ctx.db.selectFrom('identity_reveals').selectAll().execute();
    expect(reveals).toMatchObject([
      { field: 'idNumber', staff_username: 'zhao.reviewer', purpose: '核对证件号码与上传的身份证照片是否一致' },
      { field: 'document:id-front', staff_username: 'zhao.reviewer', purpose: '核对上传的身份证照片是否清晰完整' },
    ]);

    // 5. The applicant reads and signs the agreement; the service starts with a number.
    await applicant.reload();
    await applicant.getByTestId('portal-agreement-text').waitFor();
    await expect.poll(() => applicant.getByTestId('portal-agreement-text').textContent(), { timeout: 10_000 }).toContain('服务协议');
    await applicant.getByTestId('portal-agreement-accept').check();
    await applicant.getByTestId('portal-agreement-sign').click();
    await applicant.getByTestId('portal-number').waitFor();
    const number = (await applicant.getByTestId('portal-number').textContent())!.trim();
    expect(number).toMatch(/^71\d{5}$/);
    await expect.poll(() => applicant.getByTestId('portal-status').textContent(), { timeout: 10_000 }).toBe('服务正常');
    await applicant.screenshot({ path: screenshotPath('journey-5-signed-active-zh-CN'), fullPage: true });

    // 6. The web softphone registers with the new number.
    await applicant.getByTestId('portal-open-phone').click();
    // Before its first use the softphone shows the client licence (clause 3); the person accepts it.
    await applicant.getByTestId('licence-accept').click();
    await applicant.locator('[data-testid="softphone"][data-registration="registered"]').waitFor({ timeout: 20_000 });
    expect(service.sip!.location.lookup(number, service.clock.now().getTime())).toHaveLength(1);
    await applicant.screenshot({ path: screenshotPath('journey-6-softphone-registered-zh-CN'), fullPage: true });
  });
});
