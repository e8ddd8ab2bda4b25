import type { Browser, Page } from 'playwright-core';
import { createStaffAccount, type Role } from '../../src/staff/index.js';
import { screenshotPath, signInThroughPage } from './browser.js';
import type { TestService, TestStaff } from './test-service.js';

/**
 * The console as each demo role meets it (test/browser/roles-*.test.ts): staff named as a Chinese
 * operator would name them, a Chinese browser in Beijing time at the size of the README's screenshots,
 * and a record of every console API call the page saw refused or failing.
 */

/** The demo's user names (src/demo/load-demo.ts) with a person's name, as the screenshots show them. */
export const roleStaff: Record<Role, { username: string; displayName: string }> = {
  administrator: { username: 'admin', displayName: '张伟' },
  verification_reviewer: { username: 'reviewer', displayName: '沈静' },
  billing_clerk: { username: 'billing', displayName: '赵敏' },
  billing_supervisor: { username: 'billing-supervisor', displayName: '钱坤' },
  support_agent: { username: 'support', displayName: '陈晨' },
  technician: { username: 'technician', displayName: '王磊' },
  legal_officer: { username: 'legal', displayName: '周正' },
  auditor: { username: 'auditor', displayName: '孙立' },
};

let counter = 0;

/** One staff member holding exactly one role, created by the staff module as an administrator would. */
export async function addRoleStaff(service: TestService, role: Role): Promise<TestStaff> {
  counter += 1;
  const { username, displayName } = roleStaff[role];
  const password = `correct horse ${role} ${counter}`;
  const created = await createStaffAccount(
    service.ctx,
    { username, displayName, password, roles: [role] },
    { type: 'system', id: null, name: 'test' },
  );
  if (!created.ok) throw new Error(created.failure.message);
  return { id: created.value.staff.id, username, password, totpSecret: created.value.totp.secret };
}

/** The README's screenshots are this size (docs/screenshots, refreshed by scripts/update-screenshots.ts). */
export const screenshotViewport = { width: 1280, height: 800 } as const;

export interface ConsoleSession {
  page: Page;
  /** "403 GET /api/console/..." for each console API answer of 400 or more the page received so far. */
  apiFailures: string[];
}

/** A fresh Chinese browser context signed in through the login page, then at `next`. */
export async function signInAs(
  browser: Browser,
  base: string,
  service: TestService,
  staff: TestStaff,
  next = '/console',
): Promise<ConsoleSession> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: screenshotViewport,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const apiFailures: string[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/console/') && response.status() >= 400)
      apiFailures.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
  });
  await page.goto(`${base}/console/login?next=${encodeURIComponent(next)}`);
  await signInThroughPage(page, service, staff);
  return { page, apiFailures };
}

/** The screenshot of a role's story that the README shows: `test-output/screenshots/roles-<name>.png`. */
export async function roleScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`roles-${name}`) });
}

/** The `nav-<name>` test ids of the console navigation, in order. */
export async function navigationOf(page: Page): Promise<string[]> {
  await page.getByTestId('nav-overview').waitFor();
  const ids = await page
    .getByTestId('console-nav')
    .locator('a[data-testid^="nav-"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('data-testid') ?? ''));
  return ids.filter((id) => !id.endsWith('-count')).map((id) => id.slice('nav-'.length));
}
