import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { rtpengineAvailable, startRtpengine, type Rtpengine } from '../support/rtpengine.js';
import {
  activeSubscribers,
  dial,
  newPartyContext,
  openPhone,
  readMedia,
  waitForMedia,
  startSoftphoneService,
  type SoftphoneService,
  type Subscriber,
} from '../support/softphone.js';
import { baresipInstalled, startBaresip, type Baresip } from '../support/terminals.js';

/**
 * A desk phone that speaks plain RTP (baresip: no ICE, no DTLS, PCMU/PCMA) and the softphone in
 * Chromium (WebRTC: ICE, DTLS-SRTP, rtcp-mux) reach each other through rtpengine on loopback, which
 * the proxy asks to rewrite each SDP for its recipient. Two browsers still talk peer to peer.
 */
describe.skipIf(!chromiumAvailable || !baresipInstalled || !rtpengineAvailable)(
  'media between a plain-RTP phone and a browser, through rtpengine',
  { timeout: 120_000 },
  () => {
    let rtpengine: Rtpengine;
    let service: SoftphoneService;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const phones: Baresip[] = [];
    let ALICE: Subscriber;
    let BOB: Subscriber;
    let alice: Page;
    let bob: Page;
    const DESK = '7100';

    beforeAll(async () => {
      rtpengine = await startRtpengine();
      service = await startSoftphoneService({ env: { RTPENGINE_URL: rtpengine.url } });
      [ALICE, BOB] = await activeSubscribers(service, ['王爱丽', '李博']);
      await provisionSipAccounts(service.ctx.db, service.domain, [{ number: DESK, password: `pw${DESK}` }], service.clock.now());
      browser = await launchChromium();
      for (const locale of ['en', 'zh-CN'] as const) contexts.push(await newPartyContext(browser, locale));
      alice = await openPhone(service, contexts[0]!, ALICE, { locale: 'en' });
      bob = await openPhone(service, contexts[1]!, BOB, { locale: 'zh-CN' });
    });
    afterAll(async () => {
      await Promise.all(phones.map((phone) => phone.stop()));
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
      await service?.close();
      await rtpengine?.stop();
    });

    async function deskPhone(autoAnswer: boolean): Promise<Baresip> {
      const phone = await startBaresip({
        number: DESK,
        password: `pw${DESK}`,
        domain: service.domain,
        transport: 'udp',
        port: service.config.sip.port,
        autoAnswer,
      });
      phones.push(phone);
      await phone.registered();
      return phone;
    }

    /** Waits until the page's getStats shows audio packets beyond `above`. */
    async function audioArrives(page: Page, above = 0): Promise<number> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        if ((await page.getByTestId('quality-panel').count()) > 0) {
          const { audioPacketsReceived } = await readMedia(page);
          if (audioPacketsReceived > above) return audioPacketsReceived;
        }
        if (Date.now() > deadline) throw new Error(`no audio packets beyond ${above} within 20 s`);
        await page.waitForTimeout(250);
      }
    }

    const offersSeen = () => (rtpengine.log().match(/Received command 'offer'/g) ?? []).length;

    /** rtpengine's calls now (`list`). */
    async function bridgedCallIds(): Promise<string[]> {
      const outcome = await rtpengine.client.request('list');
      if (!outcome.ok) throw new Error(outcome.reason);
      return outcome.reply.calls as string[];
    }

    /** RTP packets rtpengine received from each party of a call (`query`), by media protocol: RTP/AVP is baresip's side. */
    async function packetsFrom(callId: string): Promise<Record<string, number>> {
      const outcome = await rtpengine.client.request('query', { 'call-id': callId });
      if (!outcome.ok) throw new Error(outcome.reason);
      type Stream = { flags?: string[]; stats: { packets: number } };
      const tags = outcome.reply.tags as Record<string, { medias: { protocol: string; streams: Stream[] }[] }>;
      const counts: Record<string, number> = {};
      for (const tag of Object.values(tags)) {
        for (const media of tag.medias) {
          const rtp = media.streams.filter((stream) => stream.flags?.includes('RTP'));
          counts[media.protocol] = (counts[media.protocol] ?? 0) + rtp.reduce((sum, stream) => sum + stream.stats.packets, 0);
        }
      }
      return counts;
    }

    /** The RTP packets baresip says it received from its peer (`audio_debug`, its RTCP session's `rcvd=`). */
    async function baresipReceived(phone: Baresip): Promise<number> {
      const debug = (await phone.command('audio_debug')).data;
      const received = /rcvd=(\d+)/.exec(debug);
      if (!received) throw new Error(`baresip's audio_debug has no rcvd= count:\n${debug}`);
      return Number(received[1]);
    }

    it('baresip with plain RTP calls a browser; rtpengine bridges; audio flows both ways; the call ends with a delete', async () => {
      const desk = await deskPhone(false);
      expect((await desk.command('dial', `sip:${ALICE.number}@${service.domain}`)).ok).toBe(true);
      await alice.getByTestId('incoming-call').waitFor();
      await alice.getByTestId('answer-button').click();
      await desk.waitFor('CALL_ESTABLISHED');
      expect(service.sip!.proxy.bridgedCalls).toBe(1);
      const [callId] = await bridgedCallIds();
      expect(callId).toBeDefined();
      // The browser decodes the phone's audio, relayed and encrypted by rtpengine.
      expect(await audioArrives(alice)).toBeGreaterThan(0);
      // baresip got plain RTP/AVP and no ICE; it sends, and it receives what the browser sent.
      const status = (await desk.command('callstat')).data;
      expect(status).toMatch(/audio RTP\/AVP/);
      expect(await baresipReceived(desk)).toBeGreaterThan(0);
      const packets = await packetsFrom(callId!);
      expect(packets['RTP/AVP']).toBeGreaterThan(0);
      expect(packets['UDP/TLS/RTP/SAVPF']).toBeGreaterThan(0);

      await alice.getByTestId('hangup-button').click();
      await desk.waitFor('CALL_CLOSED');
      // The BYE deleted the call on rtpengine.
      for (let tries = 0; tries < 50 && (await bridgedCallIds()).length > 0; tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await bridgedCallIds()).toEqual([]);
      expect(service.sip!.proxy.bridgedCalls).toBe(0);
      await desk.stop();
    });

    it('a browser calls baresip with plain RTP; baresip answers on its own; audio flows both ways; the caller hangs up', async () => {
      const desk = await deskPhone(true);
      await dial(bob, DESK);
      await desk.waitFor('CALL_ESTABLISHED');
      await bob.locator('[data-testid="in-call"][data-phase="active"]').waitFor();
      expect(service.sip!.proxy.bridgedCalls).toBe(1);
      const [callId] = await bridgedCallIds();
      expect(await audioArrives(bob)).toBeGreaterThan(0);
      expect((await desk.command('callstat')).data).toMatch(/audio RTP\/AVP/);
      expect(await baresipReceived(desk)).toBeGreaterThan(0);
      const packets = await packetsFrom(callId!);
      expect(packets['RTP/AVP']).toBeGreaterThan(0);
      expect(packets['UDP/TLS/RTP/SAVPF']).toBeGreaterThan(0);

      await bob.getByTestId('hangup-button').click();
      await desk.waitFor('CALL_CLOSED');
      for (let tries = 0; tries < 50 && (await bridgedCallIds()).length > 0; tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await bridgedCallIds()).toEqual([]);
      await desk.stop();
    });

    it('a browser calls a browser: peer to peer as before, rtpengine is not asked', async () => {
      const before = offersSeen();
      await dial(alice, BOB.number);
      await bob.getByTestId('incoming-call').waitFor();
      await bob.getByTestId('answer-button').click();
      const media = await waitForMedia(alice);
      expect(media.framesDecoded).toBeGreaterThan(0);
      expect(media.localCandidateType).toBe('host');
      expect(offersSeen()).toBe(before);
      expect(await bridgedCallIds()).toEqual([]);
      expect(service.sip!.proxy.bridgedCalls).toBe(0);
      await alice.getByTestId('hangup-button').click();
      await bob.getByTestId('dial-number').waitFor();
    });

    it('rtpengine stopped: baresip calling a browser hears 503 with the reason, nothing rings', async () => {
      await rtpengine.stop();
      const desk = await deskPhone(false);
      expect((await desk.command('dial', `sip:${ALICE.number}@${service.domain}`)).ok).toBe(true);
      const closed = await desk.waitFor('CALL_CLOSED', 15_000);
      expect(closed.param).toBe('503 Media Relay Unavailable');
      expect(await alice.getByTestId('incoming-call').count()).toBe(0);
      const record = await service.ctx.db
        .selectFrom('call_records')
        .selectAll()
        .where('caller', '=', DESK)
        .orderBy('invited_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(record).toMatchObject({ status: 'failed', final_status: 503 });
    });
  },
);
