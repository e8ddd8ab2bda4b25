import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStaffRoles } from '../../src/staff/index.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * The administration pages in Debian's Chromium against the real server, in Chinese. On 4 November
 * the administrator Zhang gave Li a second role; the auditor Wang finds that entry by filtering the
 * audit log by actor and day, reads it in words, and exports exactly the filtered entries as CSV.
 */
describe.skipIf(!chromiumAvailable)('audit, staff and catalogue administration in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let auditor: TestStaff;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-11-02T02:00:00Z' }));
    const admin = await addStaff(service, ['administrator'], 'zhang-admin');
    const member = await addStaff(service, ['billing_clerk'], 'li-clerk');
    auditor = await addStaff(service, ['auditor'], 'wang-auditor');
    await signInCookie(service, admin);
    service.clock.advance({ days: 2 });
    const changed = await setStaffRoles(service.ctx, member.id, ['billing_clerk', 'billing_supervisor'], {
      type: 'staff',
      id: admin.id,
      name: admin.username,
    });
    if (!changed.ok) throw new Error(changed.failure.message);
    await service.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    return context.newPage();
  }

  it('the auditor filters the audit log by actor and date, reads the action in Chinese, and exports it', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, auditor);
    await page.goto(`${base}/console/audit`);
    await page.getByTestId('audit-row').first().waitFor();

    await page.getByTestId('audit-actor').fill('zhang-admin');
    await page.getByTestId('audit-from').fill('2026-11-04');
    await page.getByTestId('audit-to').fill('2026-11-04');
    await page.getByTestId('audit-apply').click();
    const row = page.getByTestId('audit-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('audit-action-text').textContent()).toBe('变更员工角色');
    expect(await row.getByTestId('audit-actor-name').textContent()).toBe('Test zhang-admin');
    expect(await row.getByTestId('audit-target-name').textContent()).toBe('Test li-clerk');
    expect(await row.getByTestId('audit-target-name').getAttribute('href')).toMatch(/^\/console\/staff#/);
    await page.screenshot({ path: screenshotPath('audit-1-filtered-zh-CN'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]!.split(',')).toContain('操作');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('变更员工角色');
    expect(lines[1]).toContain('Test zhang-admin');
  });
});
