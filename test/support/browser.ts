import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LicenceVersion } from '../../src/agreements/index.js';
import { totpCodeAt } from '../../src/staff/index.js';
import { freePort, repoRoot } from './process.js';
import { startTestService, type TestService, type TestStaff } from './test-service.js';

/** Debian's Chromium (see shared/testing/browser-webrtc.md); CHROMIUM may name another binary. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Under CI=true a missing browser is a failure, not a skip. */
export const chromiumAvailable = existsSync(chromiumPath);
if (!chromiumAvailable && process.env.CI === 'true') throw new Error(`CI=true requires Chromium at ${chromiumPath}`);

/** `fakeCameras`: how many fake cameras the browser lists (Chromium's fake capture `device-count`; default one). */
export function launchChromium(options: { fakeCameras?: number } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-domain-reliability',
      '--no-pings',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      '--allow-loopback-in-peer-connection',
      // The last of a repeated switch wins, so this refines the plain fake-device switch above.
      ...(options.fakeCameras ? [`--use-fake-device-for-media-stream=device-count=${options.fakeCameras}`] : []),
    ],
  });
}

export const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, `${name}.png`);
}

/**
 * Signs a staff member in through the real login page (password, then a fresh one-time code) on a
 * page already at `/console/login`; resolves once the console shows who is signed in.
 */
export async function signInThroughPage(page: Page, service: TestService, staff: TestStaff): Promise<void> {
  await page.getByTestId('login-username').fill(staff.username);
  await page.getByTestId('login-password').fill(staff.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-totp').waitFor();
  // A code is accepted once per time step: move the clock on so each sign-in gets a new one.
  service.clock.advance({ seconds: 30 });
  await page.getByTestId('login-totp').fill(totpCodeAt(staff.totpSecret, service.clock.now()));
  await page.getByTestId('login-submit').click();
  await page.getByTestId('staff-name').waitFor();
}

/** The whole service with the built web app, listening on loopback (HTTP and SIP on free ports). */
export async function startWebTestService(
  options: { start?: string; licenceVersions?: readonly LicenceVersion[] } = {},
): Promise<{ service: TestService; base: string }> {
  const port = await freePort();
  const service = await startTestService('pglite', {
    ...(options.start ? { start: options.start } : {}),
    ...(options.licenceVersions ? { licenceVersions: options.licenceVersions } : {}),
    webRoot: path.join(repoRoot, 'dist/web'),
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(await freePort()),
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
    },
  });
  return { service, base: `http://127.0.0.1:${port}` };
}
