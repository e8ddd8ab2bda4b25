import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from './process.js';

/** Debian's Chromium (see shared/testing/browser-webrtc.md); CHROMIUM may name another binary. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Under CI=true a missing browser is a failure, not a skip. */
export const chromiumAvailable = existsSync(chromiumPath);
if (!chromiumAvailable && process.env.CI === 'true') throw new Error(`CI=true requires Chromium at ${chromiumPath}`);

export function launchChromium(): Promise<Browser> {
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
    ],
  });
}

export const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, `${name}.png`);
}
