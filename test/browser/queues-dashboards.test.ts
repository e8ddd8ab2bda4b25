import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { applyAsOrganisation } from '../support/subscribers.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/** The part of a canvas element the test reads (the tests compile without the DOM library). */
type CanvasElement = {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
};
type FrameGlobal = { requestAnimationFrame(callback: () => void): number };

/**
 * The work queues, the overview dashboards, the tables' CSV export and a technician's console in
 * Debian's Chromium against the real server, in Chinese. Two organisations await verification: the
 * reviewer sees the count, takes one, finds it under "mine" and exports the queue as CSV.
 */
describe.skipIf(!chromiumAvailable)('the queues and dashboards in the browser', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let supervisor: TestStaff;
  let technician: TestStaff;
  let reviewer: TestStaff;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-01T02:00:00Z' }));
    // billing_supervisor holds billing.read (src/staff/permissions.ts): the business dashboard is theirs.
    supervisor = await addStaff(service, ['billing_supervisor'], 'zhao.boss');
    technician = await addStaff(service, ['technician'], 'wang.tech');
    reviewer = await addStaff(service, ['verification_reviewer'], 'shen.review');
    await applyAsOrganisation(service, '福州甲公司');
    await applyAsOrganisation(service, '厦门乙公司');
    await service.listen();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signedIn(staff: TestStaff): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, staff);
    return page;
  }

  it('a billing supervisor sees the business dashboard: figures and drawn charts', async () => {
    const page = await signedIn(supervisor);
    await page.getByTestId('dashboard-business').waitFor();
    await page.getByTestId('figure-receivables').waitFor();
    expect(await page.getByTestId('figure-receivables').textContent()).toMatch(/^-?¥[\d,]+\.\d{2}$/);
    expect(await page.getByTestId('figure-overdue-accounts').textContent()).toMatch(/^\d+$/);
    const chart = page.getByTestId('chart-subscribers-by-status');
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toBe('用户状态分布');
    // chart.js has drawn into the canvas: it has a size and is not blank.
    await chart.evaluate(async (element) => {
      const canvas = element as unknown as CanvasElement;
      const drawn = () => {
        if (canvas.width === 0 || canvas.height === 0) return false;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
        return false;
      };
      // chart.js animates its first draw: wait for frames until something is on the canvas.
      while (!drawn())
        await new Promise((resolve) => (globalThis as unknown as FrameGlobal).requestAnimationFrame(() => resolve(undefined)));
    });
    expect(await page.getByTestId('chart-revenue').count()).toBe(1);
    // Not a network member: no operations dashboard.
    expect(await page.getByTestId('dashboard-operations').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('queues-1-business-dashboard-zh-CN'), fullPage: true });
    await page.context().close();
  });

  it('a technician has the pages its permissions promise and opens the calls page', async () => {
    const page = await signedIn(technician);
    // calls.read, devices.manage, warranty.assess, notices.publish
    for (const name of ['calls', 'terminals', 'device-software', 'warranty-claims', 'notice-deliveries', 'queues']) {
      await page.getByTestId(`nav-${name}`).waitFor();
    }
    for (const name of ['billing', 'verification', 'staff', 'audit']) expect(await page.getByTestId(`nav-${name}`).count()).toBe(0);
    await page.getByTestId('dashboard-operations').waitFor();
    await page.getByTestId('nav-calls').click();
    await page.getByTestId('calls-number').waitFor();
    expect(await page.locator('h1').textContent()).toBe('通话查询');
    expect(page.url()).toBe(`${base}/console/calls`);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('queues-2-technician-calls-zh-CN'), fullPage: true });
    await page.context().close();
  });

  it('a reviewer works the verification queue and exports it as CSV', async () => {
    const page = await signedIn(reviewer);
    await page.getByTestId('nav-queues-count').waitFor();
    expect(await page.getByTestId('nav-queues-count').textContent()).toBe('2');
    await page.getByTestId('nav-queues').click();
    await page.getByTestId('queue-verification').waitFor();
    expect(await page.getByTestId('queue-count-verification').textContent()).toBe('2');
    await page.getByTestId('queue-row').nth(1).waitFor();
    expect(await page.getByTestId('queue-row').count()).toBe(2);

    // Nothing is the reviewer's yet.
    await page.getByTestId('queue-assignee').selectOption('me');
    await page.getByText('这个队列里没有符合条件的事项。').waitFor();
    await page.getByTestId('queue-assignee').selectOption('');
    await page.getByTestId('queue-stage').selectOption('applied');
    await page.getByTestId('queue-row').nth(1).waitFor();
    expect(await page.getByTestId('queue-row-stage').allTextContents()).toEqual(['待审核', '待审核']);

    await page.getByTestId('queue-assign-me').first().click();
    await page.locator('[data-testid="queue-row-assignee"]', { hasText: 'Test shen.review' }).waitFor();
    await page.getByText('其中 1 项分配给我').waitFor();
    await page.getByTestId('queue-assignee').selectOption('me');
    await page.getByTestId('queue-page').filter({ hasText: '共 1 条' }).waitFor();
    expect(await page.getByTestId('queue-row').count()).toBe(1);
    expect(await page.getByTestId('queue-row-assignee').textContent()).toBe('Test shen.review');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('queues-3-verification-mine-zh-CN'), fullPage: true });
    const audit = await service.ctx.db.selectFrom('audit_log').select(['actor_name']).where('action', '=', 'workqueue.assign').execute();
    expect(audit).toEqual([{ actor_name: 'shen.review' }]);

    // The export is the whole filtered list (here: mine), in Chinese, with a BOM for Excel.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('queue-table-csv').click()]);
    expect(download.suggestedFilename()).toBe('queue-verification.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('事项,用户,阶段,时间,金额,处理人');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(',').slice(2)).toEqual(['待审核', expect.any(String), '', 'Test shen.review']);
    await page.context().close();
  });
});
