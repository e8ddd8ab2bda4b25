import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath } from '../support/browser.js';
import {
  activeSubscribers,
  dial,
  NetworkSwitch,
  newPartyContext,
  openPhone,
  startSoftphoneService,
  waitForMedia,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';

/**
 * Records every notification the page shows, then shows it for real: the app uses the browser's own
 * Notification (permission granted through the context), the test reads what it was asked to show.
 */
const notificationSpy = `(() => {
  const Real = window.Notification;
  const shown = [];
  function Spy(title, options) {
    const notification = new Real(title, options);
    shown.push({ title, body: options && options.body, closed: false });
    const record = shown[shown.length - 1];
    const close = notification.close.bind(notification);
    notification.close = () => { record.closed = true; close(); };
    return notification;
  }
  Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
  Spy.requestPermission = (...args) => Real.requestPermission(...args);
  Spy.prototype = Real.prototype;
  window.Notification = Spy;
  window.__shownNotifications = shown;
})();`;

interface ShownNotification {
  title: string;
  body: string | undefined;
  closed: boolean;
}

function shownNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() => (globalThis as unknown as { __shownNotifications: ShownNotification[] }).__shownNotifications);
}

/**
 * Ringing, ringback, the background tab's notification and title, the other party's state and the
 * history labels, between two softphones in Debian's Chromium (fake camera and microphone), in Chinese.
 */
describe.skipIf(!chromiumAvailable)('the phone rings and shows the other side', { timeout: 120_000 }, () => {
  let service: SoftphoneService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  let ALICE: Subscriber;
  let BOB: Subscriber;
  const aliceNetwork = new NetworkSwitch();

  beforeAll(async () => {
    service = await startSoftphoneService({});
    [ALICE, BOB] = await activeSubscribers(service, ['王爱丽', '李博']);
    browser = await launchChromium();
    for (const _ of [0, 1]) {
      const context = await newPartyContext(browser, 'zh-CN');
      await context.grantPermissions(['camera', 'microphone', 'notifications'], { origin: service.base });
      await context.addInitScript(notificationSpy);
      contexts.push(context);
    }
    alice = await openPhone(service, contexts[0]!, ALICE, { locale: 'zh-CN', network: aliceNetwork });
    bob = await openPhone(service, contexts[1]!, BOB, { locale: 'zh-CN' });
  }, 240_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.close();
  });

  const phone = (page: Page) => page.getByTestId('softphone');

  it('an incoming call in a background tab rings, badges the title and raises a notification; the caller hears ringback', async () => {
    // The sign-in click unlocked the sound (ringer.ts); the settings card says so.
    expect(await phone(bob).getAttribute('data-sound')).toBe('running');
    expect(await bob.getByTestId('notifications-toggle').isChecked()).toBe(true);
    expect(await bob.getByTestId('stage-idle').textContent()).toBe('可以拨打电话了');
    const pageTitle = await bob.title();

    // Bob goes to another tab: his phone's window loses the focus (Chromium's headless focus emulation off).
    const otherTab = await contexts[1]!.newPage();
    await otherTab.bringToFront();
    const cdp = await contexts[1]!.newCDPSession(bob);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    expect(await bob.evaluate(() => (globalThis as unknown as { document: { hasFocus(): boolean } }).document.hasFocus())).toBe(false);

    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bob.locator('[data-testid="softphone"][data-ringer="ringtone"][data-sound="running"]').waitFor();
    await expect.poll(() => bob.title()).toContain('(1) 来电…');
    expect(await bob.title()).toContain(ALICE.number);
    await expect.poll(async () => (await shownNotifications(bob)).length).toBe(1);
    const [notification] = await shownNotifications(bob);
    expect(notification!.title).toBe('视频电话来电');
    expect(notification!.body).toContain(ALICE.number);

    // Alice's phone gives ringback while Bob's rings.
    await alice.locator('[data-testid="softphone"][data-ringer="ringback"][data-sound="running"]').waitFor();
    await alice.screenshot({ path: screenshotPath('phone-ux-ringback-zh-CN') });
    await bob.screenshot({ path: screenshotPath('phone-ux-incoming-background-zh-CN') });

    await bob.bringToFront();
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
    await otherTab.close();
    await bob.getByTestId('answer-button').click();
    for (const page of [alice, bob]) {
      await page.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
      await page.locator('[data-testid="softphone"][data-ringer="off"]').waitFor();
    }
    // Answered: the notification is gone and the title is the page's own again.
    await expect.poll(async () => (await shownNotifications(bob))[0]?.closed).toBe(true);
    expect(await bob.title()).toBe(pageTitle);
  });

  it('muting, turning the camera off and holding show on the other side; quality shows as bars', async () => {
    await waitForMedia(bob);
    await waitForMedia(alice);
    await bob.locator('[data-testid="quality-bars"]').waitFor();
    expect(Number(await bob.getByTestId('quality-bars').getAttribute('data-bars'))).toBeGreaterThanOrEqual(3);
    expect(await bob.getByTestId('peer-state').count()).toBe(0);

    await alice.getByTestId('mute-button').click();
    await bob.getByTestId('peer-muted').waitFor();
    expect(await bob.getByTestId('peer-muted').textContent()).toBe('对方已静音');
    await alice.getByTestId('camera-button').click();
    await bob.getByTestId('peer-cameraOff').waitFor();
    expect(await bob.getByTestId('peer-cameraOff').textContent()).toBe('对方已关闭摄像头');
    await bob.screenshot({ path: screenshotPath('phone-ux-peer-muted-camera-off-zh-CN') });

    await alice.getByTestId('mute-button').click();
    await alice.getByTestId('camera-button').click();
    await bob.getByTestId('peer-muted').waitFor({ state: 'detached' });
    await bob.getByTestId('peer-cameraOff').waitFor({ state: 'detached' });

    // Bob mutes: Alice sees it (the state goes both ways).
    await bob.getByTestId('mute-button').click();
    await alice.getByTestId('peer-muted').waitFor();
    await bob.getByTestId('mute-button').click();
    await alice.getByTestId('peer-muted').waitFor({ state: 'detached' });

    // Hold by re-INVITE with a=sendonly (RFC 3264 §8.4) through the proxy.
    await alice.getByTestId('hold-button').click();
    await bob.getByTestId('peer-held').waitFor();
    await alice.getByTestId('hold-button').click();
    await bob.getByTestId('peer-held').waitFor({ state: 'detached' });

    await alice.getByTestId('hangup-button').click();
    await alice.getByTestId('dial-number').waitFor();
    await bob.getByTestId('dial-number').waitFor();
  });

  it('the history labels a declined and a cancelled call, and the missed-call notice says who called', async () => {
    // Run on its own (-t), the call the first test answered is still up.
    if ((await alice.getByTestId('hangup-button').count()) > 0) await alice.getByTestId('hangup-button').click();
    await bob.getByTestId('dial-number').waitFor();
    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bob.getByTestId('reject-button').click();
    await alice.locator('[data-testid="call-notice"][data-kind="declined"]').waitFor();
    await alice.locator('[data-testid="softphone"][data-ringer="off"]').waitFor();
    await bob.getByTestId('dial-number').waitFor();

    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await alice.locator('[data-testid="softphone"][data-ringer="ringback"]').waitFor();
    await alice.getByTestId('hangup-button').click();
    const missedNotice = bob.locator('[data-testid="call-notice"][data-kind="missed"]');
    await missedNotice.waitFor();
    expect(await missedNotice.textContent()).toContain(`${ALICE.number}`);
    expect(await missedNotice.textContent()).toContain('的未接来电');
    expect(await missedNotice.textContent()).not.toContain('服务器说明');
    await bob.locator('[data-testid="softphone"][data-ringer="off"]').waitFor();

    const outcome = (page: Page, kind: string) => page.locator(`[data-testid="history-entry"][data-outcome="${kind}"]`).first();
    const outcomes = (page: Page) =>
      page.getByTestId('history-entry').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome')));
    await expect.poll(() => outcomes(alice), { timeout: 30_000 }).toEqual(['cancelled', 'declined', 'answered']);
    await expect.poll(() => outcomes(bob), { timeout: 30_000 }).toEqual(['missed', 'declined', 'answered']);
    expect(await outcome(alice, 'cancelled').getByTestId('history-outcome').textContent()).toBe('已取消');
    expect(await outcome(alice, 'declined').getByTestId('history-outcome').textContent()).toBe('已拒接');
    expect(await outcome(bob, 'missed').getByTestId('history-outcome').textContent()).toBe('未接');
    expect(await outcome(bob, 'declined').getByTestId('history-outcome').textContent()).toBe('已拒接');
    await alice.screenshot({ path: screenshotPath('phone-ux-history-zh-CN') });
    await bob.screenshot({ path: screenshotPath('phone-ux-missed-zh-CN') });
  });

  it('"ready to call" does not show while the phone is disconnected', async () => {
    await aliceNetwork.cut();
    await alice.getByTestId('network-lost').waitFor();
    expect(await alice.getByTestId('stage-idle').textContent()).toBe('正在连接服务器…');
    aliceNetwork.restore();
  });
});
