import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createStaffAccount, permissionsOf, type Role } from '../../src/staff/index.js';
import { screenshotPath, signInThroughPage } from './browser.js';
import { repoRoot } from './process.js';
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
  /** "403 GET /api/console/..." for each console API answer of 400 or more the page received so far, and each API request that got no answer. */
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
  page.on('requestfailed', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/'))
      apiFailures.push(`${request.failure()?.errorText ?? 'failed'} ${request.method()} ${url.pathname}${url.search}`);
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

export interface ListedPage {
  name: string;
  path: string;
  permission: string | null;
}

/**
 * The pages in the console's navigation, read from the one list that drives it
 * (web/src/app/console-pages.ts; detail pages such as a customer's are reached by links, not listed).
 * Read as text: the file imports the React pages, which a Node test cannot load.
 */
export function listedPages(): ListedPage[] {
  const source = readFileSync(path.join(repoRoot, 'web/src/app/console-pages.ts'), 'utf8');
  const entries = source.slice(source.indexOf('export const consolePages'), source.indexOf('export function consolePageAt'));
  const pages: ListedPage[] = [];
  for (const entry of entries.matchAll(/\{\s*name: '([^']+)',\s*path: '([^']+)',[^{}]*?permission: (?:'([^']+)'|null),[^{}]*?\}/g)) {
    if (/detail: true/.test(entry[0])) continue;
    pages.push({ name: entry[1]!, path: entry[2]!, permission: entry[3] ?? null });
  }
  if (pages.length < 10) throw new Error(`read only ${pages.length} pages from console-pages.ts: has its shape changed?`);
  return pages;
}

/** The pages a member holding these roles finds in the navigation, in its order. */
export function listedPagesFor(roles: readonly Role[]): ListedPage[] {
  const granted = new Set<string>(permissionsOf(roles));
  return listedPages().filter((page) => page.permission === null || granted.has(page.permission));
}

/**
 * Opens each page of the navigation in turn, as the member would by clicking, and expects each to
 * load: no "loading" left, its title and something under it (a form, a table, or the words that it is
 * empty), no alert, no "not allowed" notice, and no console API call refused or unanswered.
 */
export async function expectEveryListedPageLoads(page: Page, apiFailures: string[], roles: readonly Role[]): Promise<void> {
  for (const listed of listedPagesFor(roles)) {
    const { name } = listed;
    await page.getByTestId(`nav-${name}`).click();
    await page.waitForURL((url) => url.pathname === listed.path);
    const main = page.locator('main');
    await main.locator('h1').waitFor();
    await expect.poll(() => main.getByText('正在加载…').count()).toBe(0);
    expect({ name, title: ((await main.locator('h1').textContent()) ?? '').length > 0 }).toEqual({ name, title: true });
    const underTitle = (await main.locator('h1 ~ *').allInnerTexts()).join('').trim();
    expect({ name, content: underTitle.length > 0 }).toEqual({ name, content: true });
    expect({ name, apiFailures }).toEqual({ name, apiFailures: [] });
    expect({ name, alerts: await page.getByRole('alert').allTextContents() }).toEqual({ name, alerts: [] });
    expect({ name, refused: await main.getByText('您没有查看此页面的权限。').count() }).toEqual({ name, refused: 0 });
  }
}
