import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipAccount } from '../../src/calls/sip-accounts.js';
import { liftSuspensions, suspend } from '../../src/entitlements/index.js';
import { chromiumAvailable, launchChromium, screenshotPath } from '../support/browser.js';
import { repoRoot } from '../support/process.js';
import {
  activeSubscribers,
  dial,
  NetworkSwitch,
  newPartyContext,
  openPhone,
  readMedia,
  startSoftphoneService,
  waitForMedia,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';

const system = { type: 'system', id: null, name: 'test' } as const;

/** The failures and phone features around calls: suspension, do-not-disturb, denied camera, network loss, upgrades. */
describe.skipIf(!chromiumAvailable)('softphone features in the browser', { timeout: 120_000 }, () => {
  let service: SoftphoneService;
  let browser: Browser;
  let webRoot: string;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  let ALICE: Subscriber;
  let BOB: Subscriber;
  let CAROL: Subscriber;

  const aliceNetwork = new NetworkSwitch();

  async function party(number: Subscriber, network?: NetworkSwitch): Promise<Page> {
    const context = await newPartyContext(browser, 'en');
    contexts.push(context);
    return openPhone(service, context, number, network ? { network } : {});
  }

  /**
   * Waits until the SIP layer's account store (the registrar's and the proxy's view) shows the change:
   * the store forgets a changed account at once, or at the latest when its 2 s cache lapses.
   */
  async function sipLayerSees(number: string, expected: Partial<SipAccount>): Promise<void> {
    await expect.poll(() => service.sip!.accounts.find(number), { timeout: 4_000, interval: 100 }).toMatchObject(expected);
  }

  beforeAll(async () => {
    // A private copy of the built app, so this file can publish a "new release" without touching dist/web.
    webRoot = mkdtempSync(path.join(tmpdir(), 'vp-softphone-web-'));
    cpSync(path.join(repoRoot, 'dist/web'), webRoot, { recursive: true });
    // The next release's bundle is deployed beside the current one (the server lists static files at
    // start); publishing it is then switching index.html, as an atomic deploy does.
    const assets = path.join(webRoot, 'assets');
    for (const name of readdirSync(assets).filter((file) => /^index-.*\.js$/.test(file)))
      cpSync(path.join(assets, name), path.join(assets, name.replace(/\.js$/, '-next.js')));
    service = await startSoftphoneService({ webRoot });
    [ALICE, BOB, CAROL] = await activeSubscribers(service, ['王爱丽', '李博', '陈卡萝']);
    browser = await launchChromium();
    alice = await party(ALICE, aliceNetwork);
    bob = await party(BOB);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.close();
  });

  it("a suspended account is told so, with the server's reason and what to do", async () => {
    // Outgoing calls only: a credit-limit suspension (clause 9, the default scope).
    await suspend(service.ctx, { subscriberId: ALICE.id, cause: 'credit-limit', reason: 'overdue bill' }, system);
    try {
      await sipLayerSees(ALICE.number, { outgoingBlockedReason: 'overdue bill' });
      await dial(alice, BOB.number);
      const notice = alice.locator('[data-testid="call-notice"][data-kind="suspended"]');
      await notice.waitFor();
      await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toContain('Your service is suspended');
      await expect.poll(() => alice.getByTestId('call-notice-detail').textContent(), { timeout: 10_000 }).toContain('overdue bill');
      await alice.screenshot({ path: screenshotPath('softphone-suspended-en') });
    } finally {
      await liftSuspensions(service.ctx, { subscriberId: ALICE.id, cause: 'credit-limit' }, system);
      await sipLayerSees(ALICE.number, { status: 'active', outgoingBlockedReason: null });
    }
  });

  it('a phone opened while the account is suspended says why, and registers by itself once the suspension is lifted', async () => {
    await suspend(service.ctx, { subscriberId: ALICE.id, cause: 'overdue', reason: 'overdue bill' }, system);
    let lifted = false;
    try {
      await sipLayerSees(ALICE.number, { status: 'suspended' });
      const context = await newPartyContext(browser, 'en');
      contexts.push(context);
      const phone = await openPhone(service, context, ALICE, { waitForRegistration: false });
      const refused = phone.locator('[data-testid="registration-error"][data-kind="suspended"]');
      await refused.waitFor();
      await expect.poll(() => phone.getByTestId('registration-error-detail').textContent(), { timeout: 10_000 }).toContain('overdue bill');
      expect(await phone.getByTestId('softphone').getAttribute('data-registration')).toBe('failed');

      // The bill is paid: dunning lifts the suspension, and the open phone comes back without a reload.
      await liftSuspensions(service.ctx, { subscriberId: ALICE.id, cause: 'overdue' }, system);
      lifted = true;
      await phone.locator('[data-testid="softphone"][data-registration="registered"]').waitFor({ timeout: 40_000 });
      expect(await refused.count()).toBe(0);
      await context.close();
    } finally {
      if (!lifted) await liftSuspensions(service.ctx, { subscriberId: ALICE.id, cause: 'overdue' }, system);
    }
  });

  it('with do-not-disturb on, Bob does not ring and Alice hears busy', async () => {
    await bob.getByTestId('dnd-toggle').check();
    await dial(alice, BOB.number);
    await alice.locator('[data-testid="call-notice"][data-kind="busy"]').waitFor();
    expect(await bob.getByTestId('incoming-call').count()).toBe(0);
    await bob.getByTestId('dnd-toggle').uncheck();
  });

  it('a browser that refuses the camera and microphone gets a message saying how to allow them', async () => {
    const context = await newPartyContext(browser, 'en');
    contexts.push(context);
    // The person clicked "Block" on the permission prompt: the browser rejects as it then does. (The
    // fake-media switches these tests launch with accept every prompt, so the refusal is scripted.)
    await context.addInitScript(
      "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));",
    );
    try {
      const carol = await openPhone(service, context, ALICE);
      await dial(carol, BOB.number);
      const notice = carol.locator('[data-testid="call-notice"][data-kind="media-denied"]');
      await notice.waitFor();
      await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toContain('did not allow the camera or microphone');
      expect(await bob.getByTestId('incoming-call').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('when the network drops the phone says so, and registers again by itself when it is back', async () => {
    await aliceNetwork.cut();
    await alice.getByTestId('network-lost').waitFor();
    await alice.screenshot({ path: screenshotPath('softphone-network-lost-en') });
    aliceNetwork.restore();
    await alice.locator('[data-testid="softphone"][data-registration="registered"]').waitFor({ timeout: 40_000 });
    expect(await alice.getByTestId('network-lost').count()).toBe(0);
    // Calls work again over the new connection.
    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bob.getByTestId('answer-button').click();
    await waitForMedia(alice);
    await alice.getByTestId('hangup-button').click();
    await bob.getByTestId('dial-number').waitFor();
  });

  it('call waiting: Bob holds Alice to answer Carol, and resumes Alice when Carol hangs up', async () => {
    const carolContext = await newPartyContext(browser, 'en');
    contexts.push(carolContext);
    const carol = await openPhone(service, carolContext, CAROL);

    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bob.getByTestId('answer-button').click();
    await waitForMedia(alice);

    await dial(carol, BOB.number);
    await bob.getByTestId('waiting-call').waitFor();
    await expect
      .poll(() => bob.getByTestId('waiting-call').getByTestId('caller-number').textContent(), { timeout: 10_000 })
      .toBe(CAROL.number);
    await bob.getByTestId('hold-and-answer').click();
    await carol.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    await waitForMedia(carol);
    await bob.getByTestId('held-call').waitFor();
    await alice.getByText('The other party put the call on hold').waitFor();

    await carol.getByTestId('hangup-button').click();
    await carol.getByTestId('dial-number').waitFor();
    // Alice's call is back in front, still held until Bob resumes it.
    await bob.locator('[data-testid="in-call"][data-held="true"]').waitFor();
    await expect.poll(() => bob.getByTestId('caller-number').textContent(), { timeout: 10_000 }).toBe(ALICE.number);
    await bob.getByTestId('hold-button').click();
    await bob.locator('[data-testid="in-call"][data-held="false"]').waitFor();
    const before = await readMedia(alice);
    await waitForMedia(alice, { framesDecoded: before.framesDecoded + 10, audioPacketsReceived: before.audioPacketsReceived + 20 });
    await waitForMedia(bob);
    await bob.getByTestId('hangup-button').click();
    await alice.getByTestId('dial-number').waitFor();
    await carolContext.close();
  });

  it('a new release reaches an open phone: not during a call, but right after it ends', async () => {
    const entryOf = (page: Page) => page.locator('script[type="module"]').getAttribute('src');
    const running = await entryOf(alice);
    expect(running).toMatch(/\/assets\/index-.*\.js$/);

    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bob.getByTestId('answer-button').click();
    await alice.locator('[data-testid="in-call"][data-phase="active"]').waitFor();

    // Release "a new build": the same code under a new entry name, as a redeploy would produce.
    const current = path.basename(running!);
    const next = current.replace(/\.js$/, '-next.js');
    const index = path.join(webRoot, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace(current, next));

    // The page checks every minute and whenever its window regains focus.
    await alice.evaluate(() => (globalThis as unknown as { dispatchEvent(event: Event): boolean }).dispatchEvent(new Event('focus')));
    await alice.getByTestId('upgrade-pending').waitFor();
    expect(await alice.getByTestId('in-call').getAttribute('data-phase')).toBe('active');

    await alice.getByTestId('hangup-button').click();
    await expect.poll(() => entryOf(alice).catch(() => null), { timeout: 20_000 }).toBe(`/assets/${next}`);
    await alice.locator('[data-testid="softphone"][data-registration="registered"]').waitFor();
    expect(await alice.getByTestId('upgrade-pending').count()).toBe(0);
  });
});
