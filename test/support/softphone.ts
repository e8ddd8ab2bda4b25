import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { pino } from 'pino';
import type { MovedNumbers } from '../../src/calls/index.js';
import type { Engine } from '../../src/platform/db/database.js';
import { durationToMilliseconds, type Clock, type Duration } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createService, type Service } from '../../src/service.js';
import { openTestDatabase } from './engines.js';
import { freePort, repoRoot } from './process.js';
import { activeIndividual, demoOrder } from './subscribers.js';
import { addStaff, signInCookie, type TestService } from './test-service.js';

/**
 * Real time that a test can shift: WebRTC and coturn run on the machine's clock, so call durations
 * and TURN credential expiry must too; shifting it back makes the API issue an already-expired credential.
 */
export class ShiftableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** For helpers written for the test clock (a fresh TOTP step for staff sign-in). */
  advance(duration: Duration): Date {
    this.offsetMs += durationToMilliseconds(duration);
    return this.now();
  }
}

export interface SoftphoneService extends Service {
  clock: ShiftableClock;
  /** The service's log at warn and above, one JSON line each, for tests that expect a failure to be logged. */
  warnings: string[];
  base: string;
  domain: string;
}

/** An active subscriber with a number, who signs in to the softphone with `login` and `password`. */
export interface Subscriber {
  id: string;
  name: string;
  number: string;
  login: string;
  password: string;
}

/** The whole service on loopback serving the built web app, real time on its clock. */
export async function startSoftphoneService(options: {
  env?: Record<string, string>;
  /** Default: the built app in dist/web. */
  webRoot?: string;
  /** Default: the embedded PGlite. */
  engine?: Engine;
  /** A stand-in for the maintenance module's moved-number data (clause 7). */
  movedNumbers?: MovedNumbers;
}): Promise<SoftphoneService> {
  const database = await openTestDatabase(options.engine ?? 'pglite', { migrated: true });
  const httpPort = await freePort();
  const sipPort = await freePort();
  const clock = new ShiftableClock();
  const warnings: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Each service its own data directory: the call-record journal in it is locked by one process, and
    // softphone test files (and bench:call) run side by side.
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-softphone-data-')),
    DATA_KEYS: `test:${randomBytes(32).toString('base64')}`,
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000',
    HOST: '127.0.0.1',
    PORT: String(httpPort),
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    SIP_ADVERTISED_ADDRESS: '127.0.0.1',
    JOBS_ENABLED: 'false',
    // Off unless a test asks for it, as for the services the tests spawn (test/support/global-setup.ts).
    SIP_OVERLOAD_CONTROL: 'false',
    ...options.env,
  });
  const service = await createService(config, {
    clock,
    database,
    logger: pino({ level: process.env.SOFTPHONE_TEST_LOG ?? 'warn' }, { write: (line: string) => void warnings.push(line) }),
    webRoot: options.webRoot ?? path.join(repoRoot, 'dist/web'),
    ...(options.movedNumbers ? { movedNumbers: options.movedNumbers } : {}),
  });
  const domain = service.config.sip.domain;
  await service.listen();
  const base = `http://127.0.0.1:${httpPort}`;
  return {
    ...service,
    clock,
    warnings,
    base,
    domain,
    async close() {
      await service.close();
      await database.close();
    },
  };
}

/**
 * People with active service, each through the public API as in production: application, approval by
 * a reviewer, agreement signed in the portal, number allocated.
 */
export async function activeSubscribers<Names extends string[]>(
  service: SoftphoneService,
  names: [...Names],
): Promise<{ [K in keyof Names]: Subscriber }> {
  // The subscriber helpers are written for the test service; they use only its API, context and clock.
  const asTestService = service as unknown as TestService;
  const reviewer = await signInCookie(asTestService, await addStaff(asTestService, ['verification_reviewer']));
  const subscribers: Subscriber[] = [];
  for (const name of names) {
    const active = await activeIndividual(asTestService, reviewer, name);
    subscribers.push({ id: active.id, name, number: active.number, login: active.phone, password: demoOrder.password });
  }
  return subscribers as { [K in keyof Names]: Subscriber };
}

export interface PhoneOptions {
  locale?: 'zh-CN' | 'en';
  relayOnly?: boolean;
  /** Pass the SIP WebSocket through this network switch, so a test can cut it as a lost network would. */
  network?: NetworkSwitch;
  /** Default true; false returns as soon as the phone has started, for a registration expected to fail. */
  waitForRegistration?: boolean;
}

/**
 * Sits on the page's SIP WebSocket (Playwright's routeWebSocket forwards every frame to our server):
 * `cut()` drops the open connections and refuses new ones until `restore()`.
 */
export class NetworkSwitch {
  #down = false;
  readonly #open = new Set<WebSocketRoute>();

  async attach(page: Page): Promise<void> {
    await page.routeWebSocket(/\/sip$/, (ws) => {
      if (this.#down) return void ws.close({ code: 1001, reason: 'network down' });
      ws.connectToServer();
      this.#open.add(ws);
      ws.onClose(() => this.#open.delete(ws));
    });
  }

  async cut(): Promise<void> {
    this.#down = true;
    for (const ws of [...this.#open]) await ws.close({ code: 1001, reason: 'network down' });
  }

  restore(): void {
    this.#down = false;
  }
}

/** One party's browser context with camera and microphone allowed (fake devices). */
export async function newPartyContext(
  browser: Browser,
  locale: 'zh-CN' | 'en' = 'en',
  options: { bypassCSP?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, ...options });
  await context.grantPermissions(['camera', 'microphone']);
  return context;
}

/** Opens the softphone, signs in through its form as `who` (unless the context already is) and waits until it is registered. */
export async function openPhone(
  service: SoftphoneService,
  context: BrowserContext,
  who: Subscriber,
  options: PhoneOptions = {},
): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (process.env.SOFTPHONE_TEST_CONSOLE) console.log(`[${who.number}] ${message.type()}: ${message.text()}`);
  });
  if (options.network) await options.network.attach(page);
  // Runs in the page before the app: language and the relay-only choice as a person would have set them.
  await page.addInitScript(
    `localStorage.setItem('videophone.language', ${JSON.stringify(options.locale ?? 'en')});` +
      `localStorage.setItem('videophone.softphone.devices', ${JSON.stringify(JSON.stringify({ relayOnly: options.relayOnly ?? false }))});`,
  );
  await page.goto(`${service.base}/phone`);
  const signIn = page.getByTestId('phone-sign-in-submit');
  const phone = page.getByTestId('softphone');
  await signIn.or(phone).first().waitFor();
  if (await signIn.isVisible()) {
    await page.getByTestId('phone-login').fill(who.login);
    await page.getByTestId('phone-password').fill(who.password);
    await signIn.click();
  }
  // Before its first use on this browser the phone shows the client licence (clause 3): accept it.
  const licence = page.getByTestId('softphone-licence');
  await licence.or(phone).first().waitFor();
  if (await licence.isVisible()) await page.getByTestId('licence-accept').click();
  if (options.waitForRegistration === false) await page.getByTestId('softphone').waitFor();
  else await page.locator('[data-testid="softphone"][data-registration="registered"]').waitFor();
  return page;
}

export interface MediaStats {
  framesDecoded: number;
  audioPacketsReceived: number;
  localCandidateType: string;
  relayProtocol: string;
}

/** Waits until getStats (through the quality panel) shows decoded video frames and received audio packets. */
export async function waitForMedia(page: Page, above: { framesDecoded?: number; audioPacketsReceived?: number } = {}): Promise<MediaStats> {
  const frames = above.framesDecoded ?? 0;
  const packets = above.audioPacketsReceived ?? 0;
  // Polled from here: the page's CSP (no eval) rules out waitForFunction with a string.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const panel = page.getByTestId('quality-panel');
    if ((await panel.count()) > 0) {
      const media = await readMedia(page);
      if (media.framesDecoded > frames && media.audioPacketsReceived > packets) return media;
    }
    if (Date.now() > deadline) throw new Error(`no media beyond ${frames} frames / ${packets} audio packets within 20 s`);
    await page.waitForTimeout(200);
  }
}

export async function readMedia(page: Page): Promise<MediaStats> {
  const panel = page.getByTestId('quality-panel');
  return {
    framesDecoded: Number(await panel.getAttribute('data-frames-decoded')),
    audioPacketsReceived: Number(await panel.getAttribute('data-audio-packets')),
    localCandidateType: (await panel.getAttribute('data-local-candidate')) ?? '',
    relayProtocol: (await panel.getAttribute('data-relay-protocol')) ?? '',
  };
}

export async function dial(page: Page, number: string): Promise<void> {
  await page.getByTestId('dial-number').fill(number);
  await page.getByTestId('call-button').click();
}
