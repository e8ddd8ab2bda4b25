import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffAccount, setStaffRoles } from '../../src/staff/index.js';
import { local } from '../billing/support.js';
import { chromiumAvailable, launchChromium, startWebTestService } from '../support/browser.js';
import { addRoleStaff, roleScreenshot, signInAs } from '../support/console-roles.js';
import { signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * The auditor's day, in Chinese (issue #14). In the first week of November Zhang, the administrator,
 * signs in on the 2nd, 4th, 5th and 6th; on the 4th he gives the clerk Zhao a second role and on the
 * 5th he opens an account for a new clerk; Zhao signs in on the 4th as well. On the 9th Sun, the
 * auditor, asks what Zhang did on the 4th and 5th: he filters the log by Zhang and those two days,
 * reads each action in Chinese, and exports exactly those entries as CSV.
 */
describe.skipIf(!chromiumAvailable)('the auditor in the console, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let auditor: TestStaff;
  let admin: TestStaff;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-11-01T02:00:00Z' }));
    admin = await addRoleStaff(service, 'administrator');
    const clerk = await addRoleStaff(service, 'billing_clerk');
    auditor = await addRoleStaff(service, 'auditor');
    const byAdmin = { type: 'staff', id: admin.id, name: admin.username } as const;

    service.clock.set(local('2026-11-02 09:00'));
    await signInCookie(service, admin);
    service.clock.set(local('2026-11-04 09:30'));
    await signInCookie(service, admin);
    await signInCookie(service, clerk);
    const changed = await setStaffRoles(service.ctx, clerk.id, ['billing_clerk', 'billing_supervisor'], byAdmin);
    if (!changed.ok) throw new Error(changed.failure.message);
    service.clock.set(local('2026-11-05 14:00'));
    await signInCookie(service, admin);
    const created = await createStaffAccount(
      service.ctx,
      { username: 'billing-2', displayName: '吴芳', password: 'correct horse billing two', roles: ['billing_clerk'] },
      byAdmin,
    );
    if (!created.ok) throw new Error(created.failure.message);
    service.clock.set(local('2026-11-06 08:45'));
    await signInCookie(service, admin);
    service.clock.set(local('2026-11-09 10:00'));
    await service.listen();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('filters the audit log by actor and two days, reads the actions in Chinese, and exports exactly those rows', async () => {
    const { page, apiFailures } = await signInAs(browser, base, service, auditor, '/console/audit');
    await page.getByTestId('audit-row').first().waitFor();

    await page.getByTestId('audit-actor').fill('admin');
    await page.getByTestId('audit-from').fill('2026-11-04');
    await page.getByTestId('audit-to').fill('2026-11-05');
    await page.getByTestId('audit-apply').click();
    const rows = page.getByTestId('audit-row');
    // Newest first: the 5th's sign-in and new account, then the 4th's role change and sign-in (order within a
    // transaction's instant is by id).
    await expect
      .poll(() => rows.getByTestId('audit-action-text').allTextContents())
      .toEqual(['新建员工账号', '员工登录', '变更员工角色', '员工登录']);
    expect(new Set(await rows.getByTestId('audit-actor-name').allTextContents())).toEqual(new Set(['张伟']));
    const shownTimes = await rows.locator('td:first-child').allTextContents();
    expect(shownTimes.map((time) => time.slice(0, time.indexOf('日') + 1))).toEqual([
      '2026年11月5日',
      '2026年11月5日',
      '2026年11月4日',
      '2026年11月4日',
    ]);
    expect(await rows.nth(0).getByTestId('audit-target-name').textContent()).toBe('吴芳');
    expect(await rows.nth(2).getByTestId('audit-target-name').textContent()).toBe('赵敏');
    expect(apiFailures).toEqual([]);
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    // The README shows the filter and its rows together: from the "to" date down.
    await page
      .getByTestId('audit-to')
      .evaluate((field) => (field as unknown as { scrollIntoView(options: { block: string }): void }).scrollIntoView({ block: 'start' }));
    await roleScreenshot(page, 'auditor');

    // The export is the same filter: the same four entries, in words, with Excel's BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [heading, ...lines] = csv.slice(1).trimEnd().split('\r\n');
    const columns = heading!.split(',');
    const cell = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    expect(lines.map((line) => cell(line, '操作'))).toEqual(['新建员工账号', '员工登录', '变更员工角色', '员工登录']);
    expect(lines.map((line) => cell(line, '操作人'))).toEqual(['张伟', '张伟', '张伟', '张伟']);
    expect(new Set(lines.map((line) => cell(line, '操作人编号')))).toEqual(new Set([admin.id]));
    for (const line of lines) {
      const at = new Date(cell(line, '时间')!);
      expect(at >= local('2026-11-04 00:00') && at < local('2026-11-06 00:00')).toBe(true);
    }
    await page.context().close();
  }, 120_000);
});
