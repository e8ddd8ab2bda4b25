import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, screenshotPath } from '../support/browser.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';
import { coturnAvailable, startCoturn, type Coturn } from '../support/coturn.js';
import {
  activeSubscribers,
  dial,
  newPartyContext,
  openPhone,
  readMedia,
  startSoftphoneService,
  waitForMedia,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';

/**
 * Real video calls between softphones in Debian's Chromium with fake camera and microphone, through
 * our SIP server over WebSocket and, for relayed calls, a coturn on loopback. Every call checks from
 * getStats (the quality panel) that both sides decode video frames and receive audio packets.
 */
describe.skipIf(!chromiumAvailable || !coturnAvailable)('the softphone in the browser', { timeout: 120_000 }, () => {
  let coturn: Coturn;
  let service: SoftphoneService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  // Alice and Bob sign in to the softphone; Carol has service but never opens it.
  let ALICE: Subscriber;
  let BOB: Subscriber;
  let CAROL: Subscriber;

  async function party(number: Subscriber, options: { locale?: 'zh-CN' | 'en'; relayOnly?: boolean } = {}): Promise<Page> {
    const context = await newPartyContext(browser, options.locale ?? 'en');
    contexts.push(context);
    return openPhone(service, context, number, options);
  }

  beforeAll(async () => {
    coturn = await startCoturn();
    service = await startSoftphoneService({
      env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, TURN_CREDENTIAL_TTL_SECONDS: '600' },
    });
    [ALICE, BOB, CAROL] = await activeSubscribers(service, ['王爱丽', '李博', '陈卡萝']);
    browser = await launchChromium();
    alice = await party(ALICE, { locale: 'en' });
    bob = await party(BOB, { locale: 'zh-CN' });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.close();
    await coturn?.stop();
  });

  async function answeredCall(caller: Page, callee: Page, calleeNumber: string): Promise<void> {
    await dial(caller, calleeNumber);
    await callee.getByTestId('incoming-call').waitFor();
    await callee.getByTestId('answer-button').click();
    await caller.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    await callee.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
  }

  async function hangUp(page: Page, other: Page): Promise<void> {
    await page.getByTestId('hangup-button').click();
    await page.getByTestId('dial-number').waitFor();
    await other.getByTestId('dial-number').waitFor();
  }

  async function switchLanguage(page: Page, language: 'zh-CN' | 'en'): Promise<void> {
    await page.getByTestId('language-switch').selectOption(language);
  }

  it('1. Alice calls Bob, Bob answers, both see and hear each other, Alice hangs up; the call is recorded', async () => {
    // Idle screen in both languages.
    expect(await alice.getByTestId('call-button').textContent()).toBe('Call');
    await alice.screenshot({ path: screenshotPath('softphone-idle-en') });
    expect(await bob.getByTestId('call-button').textContent()).toBe('呼叫');
    await bob.screenshot({ path: screenshotPath('softphone-idle-zh-CN') });

    await dial(alice, BOB.number);
    const incoming = bob.getByTestId('incoming-call');
    await incoming.waitFor();
    expect(await bob.getByTestId('caller-number').textContent()).toBe(ALICE.number);
    expect(await bob.getByTestId('caller-name').textContent()).toBe(ALICE.name);
    expect(await bob.getByTestId('answer-button').textContent()).toBe('接听');
    await bob.screenshot({ path: screenshotPath('softphone-ringing-zh-CN') });
    await switchLanguage(bob, 'en');
    expect(await bob.getByTestId('answer-button').textContent()).toBe('Answer');
    expect(await bob.getByTestId('reject-button').textContent()).toBe('Decline');
    await bob.screenshot({ path: screenshotPath('softphone-ringing-en') });
    await switchLanguage(bob, 'zh-CN');

    await bob.getByTestId('answer-button').click();
    const aliceMedia = await waitForMedia(alice);
    const bobMedia = await waitForMedia(bob);
    for (const media of [aliceMedia, bobMedia]) {
      expect(media.framesDecoded).toBeGreaterThan(0);
      expect(media.audioPacketsReceived).toBeGreaterThan(0);
      expect(media.localCandidateType).toBe('host');
    }
    expect(await alice.getByTestId('call-timer').isVisible()).toBe(true);
    expect(await alice.getByTestId('quality-route').textContent()).toBe('Direct');
    await alice.screenshot({ path: screenshotPath('softphone-in-call-en') });
    expect(await bob.getByTestId('quality-route').textContent()).toBe('直连');
    await bob.screenshot({ path: screenshotPath('softphone-in-call-zh-CN') });

    // Mute and camera off act on the call and show their state.
    await alice.getByTestId('mute-button').click();
    expect(await alice.getByTestId('mute-button').getAttribute('aria-pressed')).toBe('true');
    await alice.getByTestId('camera-button').click();
    expect(await alice.getByTestId('camera-button').getAttribute('aria-pressed')).toBe('true');

    await alice.waitForTimeout(1500); // a call of a plausible length
    await hangUp(alice, bob);

    const records = await service.ctx.db
      .selectFrom('call_records')
      .selectAll()
      .where('caller', '=', ALICE.number)
      .where('callee', '=', BOB.number)
      .where('status', '=', 'completed')
      .execute();
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record.hung_up_by).toBe('caller');
    expect(record.duration_ms).toBeGreaterThan(1000);
    expect(record.duration_ms).toBeLessThan(120_000);
    // Both softphones sent their measurements for the call, as support sees them.
    await expect
      .poll(
        async () =>
          (await service.ctx.db.selectFrom('call_quality_reports').selectAll().where('call_id', '=', record.call_id).execute()).length,
      )
      .toBe(2);
    const reports = await service.ctx.db
      .selectFrom('call_quality_reports')
      .selectAll()
      .where('call_id', '=', record.call_id)
      .orderBy('direction')
      .execute();
    expect(reports.map((r) => [r.reporter, r.direction])).toEqual([
      [BOB.number, 'incoming'],
      [ALICE.number, 'outgoing'],
    ]);
    for (const report of reports) {
      expect(report.frames_decoded).toBeGreaterThan(0);
      expect(report.audio_packets_received).toBeGreaterThan(0);
      expect(report.duration_ms).toBeGreaterThan(1000);
      expect(report.local_candidate_type).toBe('host');
      expect(report.video_codec).toBeTruthy();
      expect(report.audio_codec).toBe('opus');
    }

    // Support finds the call by number in the console and reads both reports.
    const asTestService = service as unknown as TestService;
    const cookie = await signInCookie(asTestService, await addStaff(asTestService, ['support_agent']));
    const separator = cookie.indexOf('=');
    const staffContext = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 } });
    contexts.push(staffContext);
    await staffContext.addCookies([{ name: cookie.slice(0, separator), value: cookie.slice(separator + 1), url: service.base }]);
    const console = await staffContext.newPage();
    await console.goto(`${service.base}/console/calls`);
    await console.getByTestId('calls-number').fill(ALICE.number);
    await console.getByTestId('calls-search').click();
    await console.getByTestId('calls-open').first().click();
    await expect.poll(() => console.getByTestId('quality-report-row').count()).toBe(2);
    expect(await console.getByTestId('quality-reports-table').textContent()).toContain('host → host');
    await console.screenshot({ path: screenshotPath('console-call-quality-en'), fullPage: true });
  });

  it('2. a relayed call goes through coturn with REST credentials from our API; an expired credential fails visibly', async () => {
    const aliceRelay = await party(ALICE, { relayOnly: true });
    const bobRelay = await party(BOB, { relayOnly: true });
    await answeredCall(aliceRelay, bobRelay, BOB.number);
    for (const page of [aliceRelay, bobRelay]) {
      const media = await waitForMedia(page);
      expect(media.framesDecoded).toBeGreaterThan(0);
      expect(media.audioPacketsReceived).toBeGreaterThan(0);
      expect(media.localCandidateType).toBe('relay');
      expect(media.relayProtocol).toBe('udp');
    }
    expect(coturn.log()).toMatch(/ALLOCATE/);
    await hangUp(aliceRelay, bobRelay);

    // Credentials issued two days ago expired long since: coturn answers 401 and the call cannot connect.
    // The phone fetches its credential when it opens (not when it dials), so Alice opens another one
    // while the API issues expired credentials.
    service.clock.offsetMs = -2 * 86_400_000;
    let aliceExpired: Page | null = null;
    try {
      aliceExpired = await party(ALICE, { relayOnly: true });
      await dial(aliceExpired, BOB.number);
      const notice = aliceExpired.getByTestId('call-notice');
      await notice.waitFor();
      expect(await notice.getAttribute('data-kind')).toBe('turn-failed');
      expect(await aliceExpired.getByTestId('call-notice-detail').textContent()).toMatch(/401/);
      await aliceExpired.screenshot({ path: screenshotPath('softphone-turn-failed-en') });
      // ... and it reaches the operator's log, not only the person's screen.
      await expect
        .poll(() => service.warnings.some((line) => line.includes('softphone problem: turn-failed') && line.includes(ALICE.number)))
        .toBe(true);
      await aliceExpired.getByTestId('dial-number').waitFor();
    } finally {
      service.clock.offsetMs = 0;
    }
    // Bob's phones may have rung briefly before the CANCEL; none is left ringing.
    await bobRelay.getByTestId('dial-number').waitFor();
    await bob.getByTestId('dial-number').waitFor();
    // The refused credential was dropped: the next call asks for a fresh one and connects through the relay.
    await answeredCall(aliceExpired, bobRelay, BOB.number);
    for (const page of [aliceExpired, bobRelay]) expect((await waitForMedia(page)).localCandidateType).toBe('relay');
    await hangUp(aliceExpired, bobRelay);
    for (const page of [aliceRelay, aliceExpired, bobRelay]) await page.context().close();
  });

  it('3. Bob declines and Alice is told "declined"; Carol is not signed in and Alice is told "not reachable"', async () => {
    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bob.getByTestId('reject-button').click();
    const declined = alice.getByTestId('call-notice');
    await declined.waitFor();
    expect(await declined.getAttribute('data-kind')).toBe('declined');
    expect(await declined.textContent()).toContain('declined');
    await bob.getByTestId('dial-number').waitFor();

    await alice.getByTestId('dial-number').waitFor();
    await dial(alice, CAROL.number);
    await alice.locator('[data-testid="call-notice"][data-kind="not-reachable"]').waitFor();
    expect(await alice.getByTestId('call-notice').textContent()).toContain('cannot be reached');

    await dial(alice, '7199999');
    await alice.locator('[data-testid="call-notice"][data-kind="not-found"]').waitFor();

    // Alice gives up before Bob answers: Bob's phone stops ringing and his history shows a missed call.
    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await alice.getByTestId('hangup-button').click();
    await bob.locator('[data-testid="call-notice"][data-kind="missed"]').waitFor();
    expect(await bob.getByTestId('incoming-call').count()).toBe(0);
    const missed = bob.locator('[data-testid="history-entry"][data-missed="true"]');
    await missed.first().waitFor();
    expect(await missed.first().textContent()).toContain(ALICE.number);
    expect(await missed.first().getAttribute('class')).toContain('history-missed');
    // The declined call is in the history too, but not as missed.
    expect(await bob.locator('[data-testid="history-entry"][data-missed="false"][data-status="failed"]').count()).toBeGreaterThan(0);
    await bob.screenshot({ path: screenshotPath('softphone-history-missed-zh-CN') });
  });

  it('4. Bob is signed in on two browsers; both ring; he answers on one and the other stops ringing', async () => {
    const bobTablet = await party(BOB, { locale: 'en' });
    await dial(alice, BOB.number);
    await bob.getByTestId('incoming-call').waitFor();
    await bobTablet.getByTestId('incoming-call').waitFor();
    await bob.getByTestId('answer-button').click();

    const elsewhere = bobTablet.locator('[data-testid="call-notice"][data-kind="answered-elsewhere"]');
    await elsewhere.waitFor();
    expect(await bobTablet.getByTestId('incoming-call').count()).toBe(0);
    expect(await elsewhere.textContent()).toContain('Answered on another of your devices');

    await waitForMedia(alice);
    await waitForMedia(bob);
    await hangUp(bob, alice);
    await bobTablet.context().close();
  });

  it('5. hold and resume keep the call, and media flows again after resume', async () => {
    await answeredCall(alice, bob, BOB.number);
    await waitForMedia(alice);
    await waitForMedia(bob);

    await alice.getByTestId('hold-button').click();
    await alice.locator('[data-testid="in-call"][data-held="true"]').waitFor();
    await bob.getByText('对方已保持通话').waitFor();

    await alice.getByTestId('hold-button').click();
    await alice.locator('[data-testid="in-call"][data-held="false"]').waitFor();
    await bob.getByText('通话中').waitFor();
    // After resume both sides decode new frames and receive new audio: compare with what they had then.
    const aliceBefore = await readMedia(alice);
    const bobBefore = await readMedia(bob);
    await waitForMedia(alice, {
      framesDecoded: aliceBefore.framesDecoded + 10,
      audioPacketsReceived: aliceBefore.audioPacketsReceived + 20,
    });
    await waitForMedia(bob, { framesDecoded: bobBefore.framesDecoded + 10, audioPacketsReceived: bobBefore.audioPacketsReceived + 20 });

    const open = await service.ctx.db.selectFrom('call_records').select('status').where('status', '=', 'answered').execute();
    expect(open).toHaveLength(1);
    await hangUp(alice, bob);
  });

  it('6. when the relay path dies mid-call, the caller restarts ICE and the same call carries on over a new relay', async () => {
    const aliceRelay = await party(ALICE, { relayOnly: true, locale: 'zh-CN' });
    const bobRelay = await party(BOB, { relayOnly: true });
    await answeredCall(aliceRelay, bobRelay, BOB.number);
    await waitForMedia(aliceRelay);
    await waitForMedia(bobRelay);

    // The relay server goes away: every allocation, and so every path between the two, is gone.
    await coturn.stop();
    const aliceCall = aliceRelay.getByTestId('in-call');
    await aliceRelay.locator('[data-testid="in-call"][data-reconnecting="true"]').waitFor({ timeout: 30_000 });
    expect(await aliceRelay.getByTestId('call-status').textContent()).toContain('正在重新连接');
    await aliceRelay.screenshot({ path: screenshotPath('softphone-reconnecting-zh-CN') });
    // ... and comes back (a new path: new allocations on new relay ports).
    await coturn.restart();

    await aliceRelay.locator('[data-testid="in-call"][data-reconnecting="false"]').waitFor({ timeout: 45_000 });
    expect(Number(await aliceCall.getAttribute('data-ice-restarts'))).toBeGreaterThanOrEqual(1);
    expect(await aliceCall.getAttribute('data-phase')).toBe('active');
    const aliceBefore = await readMedia(aliceRelay);
    const bobBefore = await readMedia(bobRelay);
    const aliceAfter = await waitForMedia(aliceRelay, {
      framesDecoded: aliceBefore.framesDecoded + 10,
      audioPacketsReceived: aliceBefore.audioPacketsReceived + 20,
    });
    const bobAfter = await waitForMedia(bobRelay, {
      framesDecoded: bobBefore.framesDecoded + 10,
      audioPacketsReceived: bobBefore.audioPacketsReceived + 20,
    });
    expect(aliceAfter.localCandidateType).toBe('relay');
    expect(bobAfter.localCandidateType).toBe('relay');
    // The log is appended across the restart: after the new server's start, both sides allocated anew.
    const sinceRestart = coturn.log().split('UDP listener opened').at(-1) ?? '';
    for (const number of [ALICE.number, BOB.number]) {
      expect(sinceRestart).toMatch(new RegExp(`user <\\d+:${number}>: incoming packet ALLOCATE processed, success`));
    }

    // Still one call: the restart was a re-INVITE inside the dialog, not a new call.
    const answered = await service.ctx.db.selectFrom('call_records').select('call_id').where('status', '=', 'answered').execute();
    expect(answered).toHaveLength(1);
    // The operator's log says the path was lost and restarted, with the caller's number.
    await expect
      .poll(() => service.warnings.some((line) => line.includes('softphone problem: ice-restart') && line.includes(ALICE.number)))
      .toBe(true);
    await hangUp(aliceRelay, bobRelay);
    for (const page of [aliceRelay, bobRelay]) await page.context().close();
  });
});
