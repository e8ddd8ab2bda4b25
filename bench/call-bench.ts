/**
 * Call setup time in the browser: `npm run bench:call`.
 *
 * Two softphones in Debian's Chromium (fake camera and microphone) call each other through our SIP
 * server over WebSocket, BENCH_CALLS times (default 10) directly and BENCH_CALLS times relayed through
 * a coturn on loopback (iceTransportPolicy "relay" on both sides). The callee's page answers as soon
 * as the incoming-call screen appears (a MutationObserver clicks the button, so no test-driver round
 * trip is counted). Two figures per call, both read in the pages on the machine's clock:
 *   - dial → callee's first frame: the click on "call" to the first decoded video frame presented in
 *     the callee's remote <video> (requestVideoFrameCallback), which includes the automatic answer;
 *   - answer → caller's first frame: the click on "answer" to the first frame in the caller's <video>.
 * Prints median and worst for each. Environment: BENCH_CALLS (10), BENCH_ONLY=direct|relayed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { startCoturn } from '../test/support/coturn.js';
import {
  activeSubscribers,
  newPartyContext,
  openPhone,
  startSoftphoneService,
  type SoftphoneService,
  type Subscriber,
} from '../test/support/softphone.js';

const calls = Number(process.env.BENCH_CALLS ?? 10);
const only = process.env.BENCH_ONLY ?? '';

interface Marks {
  dialAt: number | null;
  answerAt: number | null;
  firstFrameAt: number | null;
}

/**
 * Installed in both pages (as page source: it runs in the browser, not here): records clicks and the
 * next presented remote frame; in the callee's page it also answers as soon as the call rings.
 */
const probe = (autoAnswer: boolean) => `(() => {
  window.benchMarks = { dialAt: null, answerAt: null, firstFrameAt: null };
  document.addEventListener('click', (event) => {
    const id = event.target?.closest('[data-testid]')?.getAttribute('data-testid');
    if (id === 'call-button') window.benchMarks.dialAt = Date.now();
    if (id === 'answer-button') window.benchMarks.answerAt = Date.now();
  }, true);
  window.benchArm = () => {
    window.benchMarks = { dialAt: null, answerAt: null, firstFrameAt: null };
    const video = document.querySelector('[data-testid="remote-video"]');
    // The element is emptied between calls, so only a frame of the new call's stream counts.
    const onFrame = () => {
      if (video.srcObject) window.benchMarks.firstFrameAt ??= Date.now();
      else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  if (${autoAnswer}) {
    new MutationObserver(() => {
      const button = document.querySelector('[data-testid="answer-button"]');
      if (button && !button.dataset.benchClicked) {
        button.dataset.benchClicked = '1';
        button.click();
      }
    }).observe(document.body, { childList: true, subtree: true });
  }
})()`;

async function marks(page: Page): Promise<Marks> {
  return (await page.evaluate('window.benchMarks')) as Marks;
}

async function oneCall(
  caller: Page,
  callee: Page,
  calleeNumber: string,
): Promise<{ dialToCalleeFrame: number; answerToCallerFrame: number }> {
  await caller.evaluate('window.benchArm()');
  await callee.evaluate('window.benchArm()');
  await caller.getByTestId('dial-number').fill(calleeNumber);
  await caller.getByTestId('call-button').click();
  const deadline = Date.now() + 20_000;
  let callerMarks = await marks(caller);
  let calleeMarks = await marks(callee);
  while (callerMarks.firstFrameAt === null || calleeMarks.firstFrameAt === null) {
    if (Date.now() > deadline) throw new Error(`call did not show video on both sides: ${JSON.stringify({ callerMarks, calleeMarks })}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    callerMarks = await marks(caller);
    calleeMarks = await marks(callee);
  }
  const result = {
    dialToCalleeFrame: calleeMarks.firstFrameAt! - callerMarks.dialAt!,
    answerToCallerFrame: callerMarks.firstFrameAt! - calleeMarks.answerAt!,
  };
  await caller.getByTestId('hangup-button').click();
  await caller.getByTestId('dial-number').waitFor();
  await callee.getByTestId('dial-number').waitFor();
  return result;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return `median ${Math.round(median)} ms, worst ${sorted[sorted.length - 1]} ms`;
}

async function run(service: SoftphoneService, browser: Browser, mode: 'direct' | 'relayed', [from, to]: Subscriber[]): Promise<void> {
  const contexts: BrowserContext[] = [];
  const open = async (who: Subscriber, answer: boolean) => {
    // The probe is page source evaluated as a string, which the app's CSP (rightly) forbids.
    const context = await newPartyContext(browser, 'en', { bypassCSP: true });
    contexts.push(context);
    const page = await openPhone(service, context, who, { relayOnly: mode === 'relayed' });
    await page.evaluate(probe(answer));
    return page;
  };
  const caller = await open(from!, false);
  const callee = await open(to!, true);
  await oneCall(caller, callee, to!.number); // warm-up: codecs, first TURN allocation, JIT
  const results: { dialToCalleeFrame: number; answerToCallerFrame: number }[] = [];
  for (let i = 0; i < calls; i += 1) results.push(await oneCall(caller, callee, to!.number));
  console.log(`${mode.padEnd(8)} ${calls} calls`);
  console.log(`  dial → callee's first frame:   ${summary(results.map((r) => r.dialToCalleeFrame))}`);
  console.log(`  answer → caller's first frame: ${summary(results.map((r) => r.answerToCallerFrame))}`);
  for (const context of contexts) await context.close();
}

const coturn = await startCoturn();
const service = await startSoftphoneService({
  env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret },
});
const parties = await activeSubscribers(service, ['主叫', '被叫']);
const browser = await launchChromium();
try {
  console.log(`Softphone call setup on this machine (${calls} calls per mode after one warm-up, loopback, Chromium fake media)`);
  if (only !== 'relayed') await run(service, browser, 'direct', parties);
  if (only !== 'direct') await run(service, browser, 'relayed', parties);
} finally {
  await browser.close();
  await service.close();
  await coturn.stop();
}
