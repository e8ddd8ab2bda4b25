import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRecorder } from '../../src/calls/index.js';
import { chromiumAvailable, launchChromium, startWebTestService } from '../support/browser.js';
import { addRoleStaff, roleScreenshot, signInAs } from '../support/console-roles.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { signInCookie, type TestService, type TestStaff } from '../support/test-service.js';

/** What one side's softphone measured, as it posts it when the call ends. */
function qualityReport(callId: string, direction: 'outgoing' | 'incoming', lossPercent: number) {
  return {
    callId,
    direction,
    durationMs: 9 * 60_000,
    rttMs: 120,
    jitterMs: 31,
    lossPercent,
    packetsLost: 6_400,
    framesDecoded: 13_500,
    audioPacketsReceived: 27_000,
    sendKbps: 850,
    receiveKbps: 310,
    audioCodec: 'opus',
    videoCodec: 'VP8',
    localCandidateType: 'host',
    remoteCandidateType: 'srflx',
    relayProtocol: null,
    userAgent: 'Videophone softphone',
  };
}

/**
 * Support's day, in Chinese (issue #14). Wang Xiaoming calls Li Hua at 19:40 on 1 March; the picture
 * breaks up, and both softphones report what they measured when the call ends. Wang rings support the
 * next morning. Chen, the support agent, types part of his name, opens his page from the result,
 * opens the call in its calls section and reads both ends' reports: 12 % loss on Wang's side.
 */
describe.skipIf(!chromiumAvailable)('the support agent in the console, in Chinese', () => {
  let service: TestService;
  let browser: Browser;
  let base: string;
  let support: TestStaff;
  let wang: ActiveSubscriber;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService({ start: '2026-03-01T02:00:00Z' }));
    const reviewer = await signInCookie(service, await addRoleStaff(service, 'verification_reviewer'));
    support = await addRoleStaff(service, 'support_agent');
    wang = await activeIndividual(service, reviewer, '王小明');
    const li = await activeIndividual(service, reviewer, '李华');

    // The call as the proxy records it (src/calls/call-records.ts), then each side's report through the portal API.
    const recorder = new CallRecorder(service.ctx.db);
    const callId = 'a84b4c76e66710@roles-support.test';
    const invitedAt = new Date('2026-03-01T11:40:00Z');
    const recordId = await recorder.started({
      callId,
      fromTag: 'wang-tag',
      caller: wang.number,
      callee: li.number,
      callerDevice: null,
      at: invitedAt,
      sessionExpiresSeconds: null,
    });
    await recorder.answered(callId, recordId, new Date(invitedAt.getTime() + 6_000), null);
    await recorder.ended(callId, new Date(invitedAt.getTime() + 6_000 + 9 * 60_000), 'wang-tag', 'BYE');
    await recorder.close();
    service.clock.set(new Date('2026-03-01T11:50:00Z'));
    for (const [party, report] of [
      [wang, qualityReport(callId, 'outgoing', 12)],
      [li, qualityReport(callId, 'incoming', 3)],
    ] as const) {
      const response = await service.app.inject({
        method: 'POST',
        url: '/api/portal/calls/quality-reports',
        headers: { cookie: party.cookie },
        payload: report,
      });
      if (response.statusCode !== 201) throw new Error(`quality report refused: ${response.statusCode} ${response.body}`);
    }
    service.clock.set(new Date('2026-03-02T01:30:00Z'));
    await service.listen();
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it("finds the customer by part of his Chinese name, opens a call on his page and reads both ends' quality", async () => {
    const { page, apiFailures } = await signInAs(browser, base, service, support);
    await page.getByTestId('customer-search').fill('小明');
    const result = page.getByTestId('customer-search-result');
    await result.first().waitFor();
    expect(await result.count()).toBe(1);
    expect(await result.textContent()).toContain('王**');
    expect(await result.textContent()).toContain(wang.number);
    await result.click();
    await page.getByTestId('customer-header').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/customers/${wang.id}`);

    const calls = page.getByTestId('customer-calls');
    await calls.getByTestId('calls-table').waitFor();
    const row = calls.getByTestId('calls-table').locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').last().textContent()).toBe('2'); // both ends reported
    expect(await row.locator('td').nth(3).textContent()).toBe('已结束 (200)');
    await calls.getByTestId('calls-open').click();
    const reports = page.getByTestId('quality-report-row');
    await reports.nth(1).waitFor();
    const byReporter = await reports.allTextContents();
    expect(byReporter.find((text) => text.startsWith(wang.number))).toMatch(/主叫.*12%/);
    expect(byReporter.find((text) => !text.startsWith(wang.number))).toMatch(/被叫.*3%/);
    // Support reads the balance, never the ledger (that is for those who move money).
    expect(await page.getByTestId('account-ledger').count()).toBe(0);
    expect(apiFailures).toEqual([]);
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);

    await page
      .getByTestId('customer-calls')
      .evaluate((section) =>
        (section as unknown as { scrollIntoView(options: { block: string }): void }).scrollIntoView({ block: 'start' }),
      );
    await roleScreenshot(page, 'support');
    await page.context().close();
  }, 120_000);
});
