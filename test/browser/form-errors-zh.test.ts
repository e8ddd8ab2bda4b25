import type { Browser, Page, Request, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { roles } from '../../src/staff/permissions.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { activeIndividual, demoOrder } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * No server validation message reaches a Chinese page untranslated. The test walks the forms a person
 * can reach (the public application, the portal, every console page for a member holding every role),
 * switches off the browser's own checks so the server is the one that refuses, submits each form with
 * hostile input, and reads every error shown: each must be Chinese, with no English words, no field
 * keys (`idNumber`), no JSON pointers and no schema jargon.
 */
/** The part of a page's form the walk uses (the tests are compiled without the DOM library). */
interface FormElement {
  noValidate: boolean;
  querySelectorAll(selector: string): ArrayLike<{ removeAttribute(name: string): void }>;
  requestSubmit(): void;
}

describe.skipIf(!chromiumAvailable)('form errors in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let everything: TestStaff;
  let subscriberPhone: string;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-01T02:00:00Z' }));
    await loadDemoCatalogue(service.ctx);
    everything = await addStaff(service, [...roles], 'quan.neng');
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    subscriberPhone = (await activeIndividual(service, reviewer, '李娜')).phone;
    await service.listen();
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    return context.newPage();
  }

  /**
   * Submits, then waits until every request other than a GET that the submission started has been
   * answered and none has started for a quiet moment; returns their statuses. A form that sends
   * nothing (the page's own checks stopped it, or it searches with a GET) settles after the quiet
   * moment instead of a fixed wait for an answer that never comes. The handlers call fetch as they
   * run, so a request the submission makes has started long before the moment is over.
   */
  async function submitAndSettle(page: Page, submit: () => Promise<void>): Promise<number[]> {
    const quietMs = 500;
    const statuses: number[] = [];
    const inFlight = new Set<Request>();
    let lastActivity = Date.now();
    const started = (request: Request) => {
      if (request.method() === 'GET') return;
      inFlight.add(request);
      lastActivity = Date.now();
    };
    const ended = (request: Request) => {
      if (!inFlight.delete(request)) return;
      lastActivity = Date.now();
    };
    const answered = (response: Response) => {
      if (response.request().method() !== 'GET') statuses.push(response.status());
    };
    page.on('request', started);
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    page.on('response', answered);
    try {
      await submit();
      lastActivity = Date.now();
      await expect.poll(() => inFlight.size === 0 && Date.now() - lastActivity >= quietMs, { timeout: 10_000, interval: 50 }).toBe(true);
    } finally {
      page.off('request', started);
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
      page.off('response', answered);
    }
    return statuses;
  }

  /** Fills every field of every visible form with input the server must refuse, submits, and collects what is shown. */
  async function submitHostileForms(page: Page, label: string): Promise<{ forms: number; refused: number; shown: string[] }> {
    const formCount = await page.locator('form').count();
    let refused = 0;
    const shown: string[] = [];
    for (let index = 0; index < formCount; index += 1) {
      const form = page.locator('form').nth(index);
      if (!(await form.isVisible())) continue;
      // The browser's own checks (required, pattern, maxlength) would stop the request: off, and
      // the limits lifted, so what is shown is the server's answer in the page's words.
      await form.evaluate((element) => {
        const formElement = element as unknown as FormElement;
        formElement.noValidate = true;
        for (const input of Array.from(formElement.querySelectorAll('input, textarea'))) {
          input.removeAttribute('maxlength');
          input.removeAttribute('pattern');
        }
      });
      const fields = form.locator('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea');
      const count = await fields.count();
      for (let i = 0; i < count; i += 1) {
        const field = fields.nth(i);
        if (!(await field.isVisible()) || !(await field.isEditable())) continue;
        const type = (await field.getAttribute('type')) ?? 'text';
        // Too long for any field we have, and not a number, a date or a phone number.
        const hostile =
          type === 'number' ? '-1.5' : type === 'date' || type === 'datetime-local' ? '' : `${'‽'.repeat(3)}${'x'.repeat(5000)}`;
        await field.fill(hostile).catch(() => undefined);
      }
      const statuses = await submitAndSettle(page, () => form.evaluate((element) => (element as unknown as FormElement).requestSubmit()));
      if (statuses.some((status) => status >= 400)) {
        refused += 1;
        await page.locator('[role=alert], .field-error').first().waitFor({ timeout: 10_000 });
      }
      shown.push(...(await page.locator('[role=alert], .field-error').allInnerTexts()));
    }
    await page.screenshot({ path: screenshotPath(`form-errors-zh-${label}`), fullPage: true });
    return { forms: formCount, refused, shown };
  }

  function untranslated(texts: readonly string[]): string[] {
    return texts
      .flatMap((text) => text.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .filter(
        (line) =>
          !/[\u4e00-\u9fff]/.test(line) || // no Chinese at all
          /[A-Za-z]{4,}/.test(line.replace(/\b(SIP|TOTP|PDF|CSV|URL|ID|HTTP|TURN|E-?mail)\b/gi, '')) || // English words
          /\/body\/|\bbody\.|anyOf|must /.test(line), // pointers, field paths, schema jargon
      );
  }

  it('translates every refusal of the public application form and the portal', async () => {
    const apply = await newPage();
    await apply.goto(`${base}/apply`);
    await apply.getByTestId('apply-form').waitFor();
    const applyResult = await submitHostileForms(apply, 'apply');
    expect(applyResult.refused).toBeGreaterThan(0);
    expect(untranslated(applyResult.shown)).toEqual([]);
    // The fields are marked where they are, not only listed below the form.
    expect(await apply.locator('.field-invalid').count()).toBeGreaterThan(0);

    const portal = await newPage();
    await portal.goto(`${base}/portal/login`);
    await portal.getByTestId('portal-login').fill(subscriberPhone);
    await portal.getByTestId('portal-password').fill(demoOrder.password);
    await portal.getByTestId('portal-login-submit').click();
    await portal.waitForURL(`${base}/portal`);
    const shown: string[] = [];
    let refused = 0;
    for (const path of ['/portal', '/portal/disputes/new', '/portal/notices', '/portal/terminals']) {
      await portal.goto(`${base}${path}`);
      await portal.waitForLoadState('networkidle');
      const result = await submitHostileForms(portal, `portal${path.replaceAll('/', '-')}`);
      shown.push(...result.shown);
      refused += result.refused;
    }
    expect(refused).toBeGreaterThan(0);
    expect(untranslated(shown)).toEqual([]);
  }, 240_000);

  it('translates every refusal of every console page for a member holding every role', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, everything);
    const links = await page.locator('nav a[data-testid^="nav-"]').evaluateAll((anchors) =>
      anchors.map((a) => {
        const anchor = a as unknown as { pathname: string; getAttribute(name: string): string | null };
        return { testId: anchor.getAttribute('data-testid')!, path: anchor.pathname };
      }),
    );
    expect(links.length).toBeGreaterThan(10);
    const shown: string[] = [];
    let refused = 0;
    for (const { testId, path } of links) {
      // Through the navigation, as the member would go: reloading the app for each page cost a second each.
      await page.locator(`nav a[data-testid="${testId}"]`).click();
      await page.waitForURL((url) => url.pathname === path);
      await page.waitForLoadState('networkidle');
      const result = await submitHostileForms(page, `console${path.replaceAll('/', '-')}`);
      shown.push(...result.shown);
      refused += result.refused;
    }
    expect(refused).toBeGreaterThan(3);
    expect(untranslated(shown)).toEqual([]);
  }, 480_000);
});
