import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { chromiumAvailable, launchChromium, screenshotPath, signInThroughPage, startWebTestService } from '../support/browser.js';
import { digestAuthorization, RawUdpPeer, randomToken } from '../support/raw-sip.js';
import { addStaff, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Issue #10: a technician sees the address that guessed at a subscriber's SIP password, banned, on
 * the console page "SIP bans", in Chinese, and lifts the ban; the address is answered again.
 */
describe.skipIf(!chromiumAvailable)('SIP bans on the console', () => {
  let service: TestService;
  let base: string;
  let browser: Browser;
  let technician: TestStaff;
  let guesser: RawUdpPeer;
  let sipPort: number;

  beforeAll(async () => {
    ({ service, base } = await startWebTestService());
    await provisionSipAccounts(service.ctx.db, service.config.sip.domain, [{ number: '4400', password: 'pw4400' }], service.clock.now());
    await service.listen();
    sipPort = service.config.sip.port;
    technician = await addStaff(service, ['technician'], 'zhao.tech');
    guesser = await RawUdpPeer.open('127.0.0.3');
    browser = await launchChromium();
  });
  afterAll(async () => {
    guesser?.close();
    await browser?.close();
    await service?.close();
  });

  function register(auth?: string): string {
    return [
      `REGISTER sip:${service.config.sip.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.3:${guesser.port};branch=z9hG4bK${randomToken()};rport`,
      'Max-Forwards: 70',
      `From: <sip:4400@${service.config.sip.domain}>;tag=${randomToken()}`,
      `To: <sip:4400@${service.config.sip.domain}>`,
      `Call-ID: ${randomToken()}`,
      'CSeq: 1 REGISTER',
      `Contact: <sip:4400@127.0.0.3:${guesser.port}>`,
      ...(auth ? [`Authorization: ${auth}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  /** One wrong guess: the challenge, then an answer computed with a wrong password. */
  async function guessOnce(password: string): Promise<string | null> {
    guesser.send(register(), sipPort);
    const challenge = await guesser.next(/^SIP\/2\.0 401/, 1_000).catch(() => null);
    if (!challenge) return null; // banned: nothing comes back
    const auth = digestAuthorization({
      challenge: /^WWW-Authenticate:.*$/im.exec(challenge)![0],
      username: '4400',
      password,
      method: 'REGISTER',
      uri: `sip:${service.config.sip.domain}`,
    });
    guesser.send(register(auth), sipPort);
    return guesser.next(/^SIP\/2\.0 [2-6]\d\d/, 1_000).catch(() => null);
  }

  it('shows the banned address with why and until when, and lifting it lets the address in again', async () => {
    for (let attempt = 0; attempt < 12; attempt += 1) await guessOnce(`wrong-${attempt}`);
    expect(await guessOnce('pw4400')).toBeNull(); // even the right password gets no answer while banned

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await signInThroughPage(page, service, technician);
    await page.getByTestId('nav-sip-bans').click();
    const table = page.getByTestId('sip-bans-table');
    const row = table.locator('tr', { hasText: '127.0.0.3' });
    await row.waitFor();
    expect(await row.textContent()).toContain('来源地址');
    expect(await row.textContent()).toContain('密码错误');
    expect(await page.getByRole('alert').count()).toBe(0); // nothing went wrong, so nothing says so
    await page.screenshot({ path: screenshotPath('console-sip-bans-zh-CN') });

    await row.getByRole('button', { name: '解除封禁' }).click();
    await row.waitFor({ state: 'detached' });
    const answer = await guessOnce('pw4400');
    expect(answer).toMatch(/^SIP\/2\.0 200/);
    await context.close();
  });
});
