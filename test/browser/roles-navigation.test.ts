import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../src/staff/index.js';
import { chromiumAvailable, launchChromium, startWebTestService } from '../support/browser.js';
import {
  addRoleStaff,
  expectEveryListedPageLoads,
  listedPagesFor,
  navigationOf,
  roleScreenshot,
  signInAs,
} from '../support/console-roles.js';
import { activeIndividual, applyAsOrganisation } from '../support/subscribers.js';
import { signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Every demo role in the console, in Chinese: the navigation offers exactly the pages its permissions
 * open (src/staff/permissions.ts against web/src/app/console-pages.ts), every one of them loads without
 * a refusal or an error, and the README's screenshot of the roles whose story is not told in another
 * roles-*.test.ts is taken on the page that role lives on.
 */
function homePages(customerId: string): Partial<Record<Role, { path: string; ready: string }>> {
  return {
    administrator: { path: '/console/staff', ready: 'staff-table' },
    verification_reviewer: { path: '/console/verification', ready: 'subscriber-table' },
    billing_supervisor: { path: '/console', ready: 'chart-subscribers-by-status' },
    // The customer as the legal officer sees them: identity (masked, revealable), no money, what staff did.
    legal_officer: { path: `/console/customers/${customerId}`, ready: 'customer-audit' },
  };
}

describe.skipIf(!chromiumAvailable)('each role in the console, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  const staff = new Map<Role, TestStaff>();
  let wangId: string;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-02T01:30:00Z' }));
    for (const role of roles) staff.set(role, await addRoleStaff(service, role));
    // Something for the subscriber pages and the verification queue to list.
    ({ id: wangId } = await activeIndividual(service, await signInCookie(service, staff.get('verification_reviewer')!), '王小明'));
    await applyAsOrganisation(service, '福州闽江贸易有限公司');
    await service.listen();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it.each(roles.map((role) => [role]))(
    '%s sees the pages its permissions open, and each loads',
    async (role) => {
      const { page, apiFailures } = await signInAs(browser, base, service, staff.get(role)!);
      expect(await navigationOf(page)).toEqual(listedPagesFor([role]).map((listed) => listed.name));
      await expectEveryListedPageLoads(page, apiFailures, [role]);

      const home = homePages(wangId)[role];
      if (home) {
        await page.goto(`${base}${home.path}`);
        await page.getByTestId(home.ready).waitFor();
        await roleScreenshot(page, role.replaceAll('_', '-'));
      }
      await page.context().close();
    },
    180_000,
  );
});
