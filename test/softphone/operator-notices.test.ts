import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Messager, UserAgent } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceCredentials } from '../../src/calls/index.js';
import { chromiumAvailable, launchChromium, screenshotPath } from '../support/browser.js';
import { startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import {
  activeSubscribers,
  newPartyContext,
  openPhone,
  startSoftphoneService,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';

/** A number no account has any more; its subscriber (Lei) moved to his current one. */
const OLD_NUMBER = '7199999';

const MAINTENANCE = [
  '【维护通知】12月5日 02:00–04:00 网络升级，期间通话可能中断。',
  'Maintenance on 5 December, 02:00–04:00: calls may be interrupted.',
].join('\n');

/** Urgent notices reach the browser softphone as a SIP MESSAGE from the operator and are shown as a banner. */
describe.skipIf(!chromiumAvailable)('operator notices on the softphone', { timeout: 120_000 }, () => {
  let service: SoftphoneService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let mei: Page;
  let lei: Page;
  let MEI: Subscriber;
  let LEI: Subscriber;
  let OU: Subscriber;
  let ouPhone: SipJsParty;

  async function phone(who: Subscriber, locale: 'zh-CN' | 'en'): Promise<Page> {
    const context = await newPartyContext(browser, locale);
    contexts.push(context);
    return openPhone(service, context, who, { locale });
  }

  beforeAll(async () => {
    // Clause 7: a number that changed. Lei's old number is answered with his current one.
    service = await startSoftphoneService({
      movedNumbers: { movedTo: async (number) => (number === OLD_NUMBER && LEI ? LEI.number : null) },
    });
    [MEI, LEI, OU] = await activeSubscribers(service, ['王美', 'Lei Zhao', '欧阳']);
    browser = await launchChromium();
    mei = await phone(MEI, 'zh-CN');
    lei = await phone(LEI, 'en');
    // Ouyang uses a SIP client of his own (SIP.js), with credentials issued for it.
    const device = await issueDeviceCredentials(service.ctx.db, {
      number: OU.number,
      realm: service.domain,
      deviceName: 'desk client',
      now: service.clock.now(),
    });
    ouPhone = await startSipJsParty(`ws://127.0.0.1:${service.config.http.port}/sip`, service.domain, OU.number, {
      credentials: { username: device.authorizationUsername, password: device.password },
    });
  });
  afterAll(async () => {
    await ouPhone?.stop();
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.close();
  });

  it('an urgent maintenance notice sent to Mei and Lei shows on both phones as sent, under a heading in each page’s language, and both phones accept it', async () => {
    const outcome = await service.sip!.messenger.sendText([MEI.number, LEI.number], MAINTENANCE, { priority: 'urgent' });
    expect(outcome).toEqual({ devices: 2, delivered: 2 });

    const meiBanner = mei.getByTestId('operator-notice');
    await meiBanner.waitFor();
    expect(await mei.getByTestId('operator-notice-text').innerText()).toBe(MAINTENANCE);
    expect(await meiBanner.getAttribute('role')).toBe('alert');
    expect(await meiBanner.innerText()).toContain('运营商紧急通知');
    await mei.screenshot({ path: screenshotPath('softphone-operator-notice-zh') });

    await lei.getByTestId('operator-notice').waitFor();
    expect(await lei.getByTestId('operator-notice-text').innerText()).toBe(MAINTENANCE);
    expect(await lei.getByTestId('operator-notice').innerText()).toContain('Urgent notice from Videophone');
    await lei.screenshot({ path: screenshotPath('softphone-operator-notice-en') });
  });

  it('Mei dismisses the notice and it is gone', async () => {
    await mei.getByTestId('operator-notice-dismiss').click();
    await mei.getByTestId('operator-notice').waitFor({ state: 'detached' });
  });

  it('a MESSAGE from another subscriber is accepted but not shown as an operator notice', async () => {
    const delivered = new Promise<number>((resolve) => {
      const messager = new Messager(
        ouPhone.ua,
        UserAgent.makeURI(`sip:${MEI.number}@${service.domain}`)!,
        '我是运营商，请转账 (not the operator)',
      );
      void messager.message({
        requestDelegate: {
          onAccept: (response) => resolve(response.message.statusCode ?? 0),
          onReject: (response) => resolve(response.message.statusCode ?? 0),
        },
      });
    });
    expect(await delivered).toBe(200);
    // Then an operator notice, so the page has certainly handled the earlier message by the time it shows.
    await service.sip!.messenger.sendText([MEI.number], 'Service restored. 服务已恢复。');
    await mei.getByTestId('operator-notice').waitFor();
    const texts = await mei.getByTestId('operator-notice-text').allInnerTexts();
    expect(texts).toEqual(['Service restored. 服务已恢复。']);
    expect(await mei.getByTestId('operator-notice').innerText()).toContain('运营商通知');
    expect(await mei.getByTestId('operator-notice').getAttribute('role')).toBe('status');
  });

  it('Mei calls Lei’s old number: the server answers 301 naming the new one, and the phone tells her to call it', async () => {
    await mei.getByTestId('dial-number').fill(OLD_NUMBER);
    await mei.getByTestId('call-button').click();
    const notice = mei.locator('[data-testid="call-notice"][data-kind="moved"]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(`该号码已变更，请改拨 ${LEI.number}。`);
    await mei.screenshot({ path: screenshotPath('softphone-moved-number-zh') });
  });
});
