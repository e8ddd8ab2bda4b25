import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Info, Invitation, SessionDescriptionHandler } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceCredentials } from '../../src/calls/index.js';
import { chromiumAvailable, launchChromium, screenshotPath } from '../support/browser.js';
import { eventually, startSipJsParty, type SdpLog, type SipJsParty } from '../support/sip-clients.js';
import {
  activeSubscribers,
  dial,
  newPartyContext,
  openPhone,
  startSoftphoneService,
  waitForMedia,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';

/** The SIP a page sends and receives over its WebSocket, as the proxy sees it. */
interface SipWire {
  sent: string[];
  received: string[];
}

/**
 * A far end with no RFC 4733 support: it answers the browser's offer with the same codecs minus
 * telephone-event (and no candidates, so no media flows: only the signalling matters here).
 */
function answerWithoutTelephoneEvent(offer: string): string {
  const sections = offer.split(/\r\n(?=m=)/);
  return sections
    .map((section) => {
      const events = [...section.matchAll(/^a=rtpmap:(\d+) telephone-event\//gm)].map((match) => match[1]!);
      return section
        .split('\r\n')
        .filter((line) => !events.some((pt) => new RegExp(`^a=(rtpmap|fmtp|rtcp-fb):${pt}\\b`).test(line)))
        .filter((line) => !/^a=(ssrc|ssrc-group|msid|candidate|end-of-candidates)/.test(line))
        .map((line) => {
          if (line.startsWith('m='))
            return line
              .split(' ')
              .filter((token, index) => index < 3 || !events.includes(token))
              .join(' ');
          if (line.startsWith('a=setup:')) return 'a=setup:active';
          if (line.startsWith('a=ice-ufrag:')) return 'a=ice-ufrag:farend';
          if (line.startsWith('a=ice-pwd:')) return 'a=ice-pwd:farendfarendfarendfarend';
          if (line.startsWith('o=')) return 'o=- 1 1 IN IP4 127.0.0.1';
          return line;
        })
        .join('\r\n');
    })
    .join('\r\n');
}

function noTelephoneEventAnswerer(log: SdpLog) {
  return (): SessionDescriptionHandler => {
    let offer = '';
    return {
      close: () => undefined,
      getDescription: async () => {
        const body = answerWithoutTelephoneEvent(offer);
        log.sent.push(body);
        return { body, contentType: 'application/sdp' };
      },
      hasDescription: (contentType: string) => contentType === 'application/sdp',
      setDescription: async (sdp: string) => {
        offer = sdp;
        log.received.push(sdp);
      },
      sendDtmf: () => false,
      rollbackDescription: async () => undefined,
    };
  };
}

/** The audio m-section of the SDP in the last message matching `start` (INVITE offer or 200 answer). */
function audioSectionOf(messages: string[], start: RegExp): string {
  const message = messages.filter((text) => start.test(text) && text.includes('m=audio')).at(-1);
  if (!message) throw new Error(`no message matching ${start} with SDP`);
  return /m=audio[\s\S]*?(?=\r\nm=|$)/.exec(message)![0];
}

// Each test gets 240 s: under the shared CI machine's load single clicks have taken 10–30 s.
describe.skipIf(!chromiumAvailable)('keypad (DTMF) and blind transfer in the softphone', { timeout: 240_000 }, () => {
  let service: SoftphoneService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ALICE: Subscriber;
  let BOB: Subscriber;
  let CAROL: Subscriber;
  let DAVID: Subscriber;
  let alice: Page;
  let bob: Page;
  let carol: Page;
  let davidDesk: SipJsParty;
  const aliceWire: SipWire = { sent: [], received: [] };

  async function phone(who: Subscriber, wire?: SipWire): Promise<Page> {
    const context = await newPartyContext(browser, 'zh-CN');
    contexts.push(context);
    if (wire) {
      // Every SIP frame of this page passes through here on its way to and from the proxy.
      await context.routeWebSocket(/\/sip$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          wire.sent.push(String(message));
          server.send(message);
        });
        server.onMessage((message) => {
          wire.received.push(String(message));
          ws.send(message);
        });
      });
    }
    return openPhone(service, context, who, { locale: 'zh-CN' });
  }

  async function answer(callee: Page, caller: Page): Promise<void> {
    await callee.getByTestId('incoming-call').waitFor();
    await callee.getByTestId('answer-button').click();
    await caller.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    await callee.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
  }

  beforeAll(async () => {
    service = await startSoftphoneService({});
    [ALICE, BOB, CAROL, DAVID] = await activeSubscribers(service, ['王爱丽', '李博', '陈卡萝', '赵大伟']);
    browser = await launchChromium();
    alice = await phone(ALICE, aliceWire);
    bob = await phone(BOB);
    carol = await phone(CAROL);
    // David answers on a desk client of his own that knows no RFC 4733 (SIP.js here).
    const device = await issueDeviceCredentials(service.ctx.db, {
      number: DAVID.number,
      realm: service.domain,
      deviceName: 'desk client',
      now: service.clock.now(),
    });
    davidDesk = await startSipJsParty(`ws://127.0.0.1:${service.config.http.port}/sip`, service.domain, DAVID.number, {
      credentials: { username: device.authorizationUsername, password: device.password },
      sessionDescriptionHandlerFactory: noTelephoneEventAnswerer,
    });
    // Four subscribers through the public API and three signed-in phones: on the shared 2-core CI
    // machine this has taken close to the default two minutes.
  }, 240_000);
  afterAll(async () => {
    await davidDesk?.stop();
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await service?.close();
  });

  it('王爱丽 calls 李博; both SDPs carry telephone-event (8000 Hz, and 48000 Hz beside Opus); she presses 1, 2, 3 on the keypad and # on her keyboard; her RTCDTMFSender plays them in the call’s audio (RFC 4733)', async () => {
    await dial(alice, BOB.number);
    await answer(bob, alice);
    // RFC 4733 §7.1.1: the offer and the answer both list telephone-event, at 8 kHz and at Opus's 48 kHz.
    const offer = audioSectionOf(aliceWire.sent, /^INVITE /);
    const answered = audioSectionOf(aliceWire.received, /^SIP\/2\.0 200 /);
    for (const audio of [offer, answered]) {
      expect(audio).toMatch(/a=rtpmap:\d+ telephone-event\/8000/);
      expect(audio).toMatch(/a=rtpmap:\d+ telephone-event\/48000/);
      expect(audio).toMatch(/a=rtpmap:\d+ opus\/48000/);
    }
    await waitForMedia(alice);

    expect(await alice.getByTestId('keypad-toggle').textContent()).toBe('拨号键盘');
    await alice.getByTestId('keypad-toggle').click();
    for (const key of ['1', '2', '3']) await alice.getByTestId(`keypad-${key}`).click();
    await alice.keyboard.press('#');
    // The digits shown are those the page's RTCDTMFSender reported playing (tonechange), in order.
    const sent = alice.getByTestId('dtmf-sent');
    await alice.locator('[data-testid="dtmf-sent"][data-digits="123#"]').waitFor();
    expect(await sent.getAttribute('data-transport')).toBe('rfc4733');
    expect(await sent.textContent()).toBe('已发送：123# · 随语音发送（RFC 4733）');
    // Not one DTMF INFO left the page: the digits went in the audio. (The phone's own state INFO,
    // application/vnd.videophone.state+json, tells the other side about mute and camera.)
    expect(aliceWire.sent.filter((message) => message.startsWith('INFO ') && /application\/dtmf-relay/i.test(message))).toEqual([]);
    await alice.screenshot({ path: screenshotPath('softphone-keypad-rfc4733-zh-CN') });

    await alice.getByTestId('hangup-button').click();
    await bob.getByTestId('dial-number').waitFor();
    await alice.getByTestId('dial-number').waitFor();
  });

  it('王爱丽 calls 赵大伟, whose desk client’s answer has no telephone-event: her keypad sends SIP INFO (application/dtmf-relay), and he receives 5, 0, # in order', async () => {
    davidDesk.invitations.length = 0;
    await dial(alice, DAVID.number);
    await eventually(() => davidDesk.invitations.length === 1, '赵大伟’s desk client to ring');
    const invitation: Invitation = davidDesk.invitations[0]!;
    const received: Info[] = [];
    invitation.delegate = {
      onInfo: (info) => {
        // Only the keypad's INFOs; the phone also tells its mute and camera state by INFO.
        if (/application\/dtmf-relay/i.test(info.request.getHeader('Content-Type') ?? '')) received.push(info);
        void info.accept();
      },
    };
    await invitation.accept();
    await alice.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    expect(audioSectionOf(aliceWire.received, /^SIP\/2\.0 200 /)).not.toContain('telephone-event');

    await alice.getByTestId('keypad-toggle').click();
    await alice.getByTestId('keypad-5').click();
    await alice.keyboard.press('0');
    await alice.getByTestId('keypad-hash').click();
    await eventually(() => received.length === 3, 'three INFO requests at 赵大伟’s client');
    expect(received.map((info) => info.request.getHeader('Content-Type'))).toEqual(Array(3).fill('application/dtmf-relay'));
    expect(received.map((info) => /Signal=(.)/.exec(info.request.body)![1])).toEqual(['5', '0', '#']);
    const sent = alice.getByTestId('dtmf-sent');
    expect(await sent.getAttribute('data-digits')).toBe('50#');
    expect(await sent.textContent()).toBe('已发送：50# · 以 SIP INFO 发送');
    await alice.screenshot({ path: screenshotPath('softphone-keypad-info-zh-CN') });

    await alice.getByTestId('hangup-button').click();
    await alice.getByTestId('dial-number').waitFor();
  });

  it('王爱丽 calls 李博; 李博 transfers her to 陈卡萝: her phone shows “转接中…” and calls 陈卡萝, who answers; 王爱丽 and 陈卡萝 see and hear each other, 李博 is out; two call records', async () => {
    const recordsBefore = await service.ctx.db.selectFrom('call_records').select('id').execute();
    await dial(alice, BOB.number);
    await answer(bob, alice);
    await waitForMedia(bob);

    expect(await bob.getByTestId('transfer-toggle').textContent()).toBe('转接');
    await bob.getByTestId('transfer-toggle').click();
    await bob.getByTestId('transfer-number').fill(CAROL.number);
    await bob.screenshot({ path: screenshotPath('softphone-transfer-form-zh-CN') });
    await bob.getByTestId('transfer-submit').click();

    // 王爱丽's phone follows the REFER: "转接中…" while 陈卡萝's phone rings.
    const transferring = alice.getByTestId('transfer-incoming');
    await transferring.waitFor();
    expect(await transferring.textContent()).toBe(`转接中…正在接通 ${CAROL.number} （由 ${BOB.number} 转接）`);
    await carol.getByTestId('incoming-call').waitFor();
    expect(await carol.getByTestId('caller-number').textContent()).toBe(ALICE.number);
    await alice.screenshot({ path: screenshotPath('softphone-transferring-zh-CN') });
    await carol.getByTestId('answer-button').click();

    // 李博 hangs up once the NOTIFY says 陈卡萝 answered; 王爱丽's call is now with 陈卡萝.
    await bob.getByTestId('dial-number').waitFor();
    await alice.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
    await expect.poll(() => alice.getByTestId('caller-number').textContent()).toBe(CAROL.number);
    await expect.poll(() => alice.getByTestId('held-call').count()).toBe(0);
    expect(await transferring.count()).toBe(0);
    await waitForMedia(carol);
    await waitForMedia(alice);
    await carol.screenshot({ path: screenshotPath('softphone-transferred-zh-CN') });

    await carol.getByTestId('hangup-button').click();
    await alice.getByTestId('dial-number').waitFor();
    const known = new Set(recordsBefore.map((row) => row.id));
    await expect
      .poll(async () => {
        const rows = await service.ctx.db.selectFrom('call_records').selectAll().orderBy('invited_at').execute();
        return rows.filter((row) => !known.has(row.id)).map((row) => `${row.caller}→${row.callee} ${row.status}`);
      })
      .toEqual([`${ALICE.number}→${BOB.number} completed`, `${ALICE.number}→${CAROL.number} completed`]);
  });
});
