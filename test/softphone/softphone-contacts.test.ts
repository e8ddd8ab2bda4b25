import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCamera } from '../../web/src/features/softphone/cameras.js';
import { chromiumAvailable, launchChromium, screenshotPath } from '../support/browser.js';
import {
  activeSubscribers,
  newPartyContext,
  dial,
  openPhone,
  startSoftphoneService,
  waitForMedia,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';

describe('switch camera picks the next camera', () => {
  const camera = (deviceId: string) => ({ kind: 'videoinput' as const, deviceId });
  const microphone = { kind: 'audioinput' as const, deviceId: 'mic' };

  it('cycles through the cameras and wraps around', () => {
    const devices = [camera('front'), microphone, camera('back'), camera('usb')];
    expect(nextCamera(devices, 'front')).toBe('back');
    expect(nextCamera(devices, 'back')).toBe('usb');
    expect(nextCamera(devices, 'usb')).toBe('front');
    // The current one unknown (e.g. the default device): the first camera.
    expect(nextCamera(devices, null)).toBe('front');
  });

  it('has nothing to switch to with one camera, or with cameras listed before permission (no ids)', () => {
    expect(nextCamera([camera('front'), microphone], 'front')).toBeNull();
    expect(nextCamera([camera(''), camera('')], null)).toBeNull();
  });
});

/** Contacts on /phone in Debian's Chromium with fake media: add, call by clicking, names on the incoming screen and in history. */
describe.skipIf(!chromiumAvailable)('softphone contacts in the browser', { timeout: 120_000 }, () => {
  let service: SoftphoneService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  let ALICE: Subscriber;
  let BOB: Subscriber;
  let CAROL: Subscriber;
  // Carol's browser lists two fake cameras, so her switch-camera button has somewhere to go.
  let twoCameras: Browser;

  async function party(who: Subscriber, locale: 'zh-CN' | 'en', on: Browser = browser): Promise<Page> {
    const context = await newPartyContext(on, locale);
    contexts.push(context);
    const page = await openPhone(service, context, who, { locale });
    // Deleting asks window.confirm; a person says yes.
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  async function addContact(page: Page, name: string, number: string | null, favourite = false): Promise<void> {
    if (number !== null) {
      await page.getByTestId('contact-add').click();
      await page.getByTestId('contact-number').fill(number);
    }
    await page.getByTestId('contact-name').fill(name);
    if (favourite) await page.getByTestId('contact-favourite').check();
    await page.getByTestId('contact-save').click();
    await page.getByTestId('contact-form').waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    service = await startSoftphoneService({});
    [ALICE, BOB, CAROL] = await activeSubscribers(service, ['王爱丽', '李博', '陈卡萝']);
    browser = await launchChromium();
    twoCameras = await launchChromium({ fakeCameras: 2 });
    alice = await party(ALICE, 'en');
    bob = await party(BOB, 'zh-CN');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await twoCameras?.close();
    await service?.close();
  });

  it('adds a contact, calls it by clicking, and the callee rings; switch camera is disabled with one camera', async () => {
    await alice.getByTestId('contacts').getByText('No contacts yet.').waitFor();
    await addContact(alice, 'Aaron', '7009999');
    await addContact(alice, 'Bobby', BOB.number, true);
    // Favourites first, whatever the alphabet says.
    await expect
      .poll(() => alice.getByTestId('contact-entry').evaluateAll((rows) => rows.map((row) => row.textContent)))
      .toEqual([expect.stringContaining('Bobby'), expect.stringContaining('Aaron')]);
    // A number already in the contacts is refused with the server's reason.
    await alice.getByTestId('contact-add').click();
    await alice.getByTestId('contact-number').fill(BOB.number);
    await alice.getByTestId('contact-name').fill('Bob again');
    await alice.getByTestId('contact-save').click();
    await alice.getByTestId('contact-error').waitFor();
    await alice.getByTestId('contact-cancel').click();

    await alice.locator(`[data-testid="contact-entry"][data-number="${BOB.number}"] [data-testid="contact-call"]`).click();
    await bob.getByTestId('incoming-call').waitFor();
    expect(await bob.getByTestId('caller-number').textContent()).toBe(ALICE.number);
    expect(await alice.getByTestId('caller-name').textContent()).toBe('Bobby');
    await bob.getByTestId('answer-button').click();
    await alice.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    // Chromium's fake media has one camera: nothing to switch to.
    const switchCamera = alice.getByTestId('switch-camera-button');
    expect(await switchCamera.textContent()).toBe('Switch camera');
    expect(await switchCamera.isDisabled()).toBe(true);
    expect(await bob.getByTestId('switch-camera-button').textContent()).toBe('切换摄像头');
    await alice.screenshot({ path: screenshotPath('softphone-contacts-in-call-en') });
    await alice.getByTestId('hangup-button').click();
    await bob.getByTestId('dial-number').waitFor();
  });

  it('adds a caller from the history, then shows the contact name on the incoming screen and in the history', async () => {
    const fromAlice = bob.locator('[data-testid="history-entry"]').filter({ hasText: ALICE.number }).first();
    await fromAlice.getByTestId('history-add-contact').click();
    expect(await bob.getByTestId('contact-number').inputValue()).toBe(ALICE.number);
    await addContact(bob, '爱丽', null);
    await bob.locator(`[data-testid="contact-entry"][data-number="${ALICE.number}"]`).waitFor();

    await alice.locator(`[data-testid="contact-entry"][data-number="${BOB.number}"] [data-testid="contact-call"]`).click();
    await bob.getByTestId('incoming-call').waitFor();
    expect(await bob.getByTestId('caller-name').textContent()).toBe('爱丽');
    expect(await bob.getByTestId('caller-name').getAttribute('data-contact')).toBe('true');
    await bob.screenshot({ path: screenshotPath('softphone-contacts-incoming-zh-CN') });
    await bob.getByTestId('reject-button').click();
    await alice.getByTestId('dial-number').waitFor();
    await bob.getByTestId('history-contact-name').first().waitFor();
    expect(await bob.getByTestId('history-contact-name').first().textContent()).toBe('爱丽');
  });

  it('edits and deletes a contact', async () => {
    const aaron = alice.locator('[data-testid="contact-entry"][data-number="7009999"]');
    await aaron.getByTestId('contact-edit').click();
    expect(await alice.getByTestId('contact-name').inputValue()).toBe('Aaron');
    await addContact(alice, 'Aaron Li', null);
    await aaron.getByText('Aaron Li').waitFor();
    await aaron.getByTestId('contact-delete').click();
    await aaron.waitFor({ state: 'detached' });
    expect(await alice.getByTestId('contact-entry').count()).toBe(1);
  });

  it('switches to the next camera mid-call: the call stays up and the other side keeps receiving video', async () => {
    const carol = await party(CAROL, 'en', twoCameras);
    await dial(carol, ALICE.number);
    await alice.getByTestId('incoming-call').waitFor();
    await alice.getByTestId('answer-button').click();
    await carol.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    const before = await waitForMedia(alice);
    const switchCamera = carol.getByTestId('switch-camera-button');
    await expect.poll(() => switchCamera.isEnabled()).toBe(true);
    const camera = carol.getByTestId('device-cameraId');
    expect(await camera.inputValue()).toBe('');

    await switchCamera.click();
    await expect.poll(() => camera.inputValue()).not.toBe('');
    const first = await camera.inputValue();
    await switchCamera.click();
    await expect.poll(() => camera.inputValue()).not.toBe(first);
    expect(await camera.inputValue()).not.toBe('');
    // Still the same call, and Alice decodes frames from the new camera.
    expect(await carol.getByTestId('in-call').getAttribute('data-phase')).toBe('active');
    await waitForMedia(alice, { framesDecoded: before.framesDecoded });
    await carol.getByTestId('hangup-button').click();
    await alice.getByTestId('dial-number').waitFor();
  });
});
