import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Test files share their worker process with the files before them (no per-file isolation): a fresh
 * module graph per file cost about 500 s of a CI run in imports alone. The exceptions get a process
 * each:
 * - a file that drives JsSIP or SIP.js in the test process: `test/support/sip-clients.ts` gives
 *   those clients the browser globals they expect (`WebSocket`, `RTCPeerConnection`, `window`), and
 *   a `window` left behind makes PGlite take the next file's process for a browser;
 * - a file that measures the heap (it exposes `gc`): in a shared process the files before it leave
 *   garbage their timers still hold, freed during the measurement (one run measured -26 KB per
 *   call), and a bound on growth then holds whatever the code does.
 */
const isolatedFiles = testFiles('test').filter((file) => {
  const text = readFileSync(file, 'utf8');
  return text.includes('support/sip-clients') || text.includes("setFlagsFromString('--expose-gc')");
});

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Database and browser tests start real engines; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The file-times reporter prints the slowest files with their hooks (where CI's time goes).
    reporters: ['default', './test/support/file-times-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: isolatedFiles, isolate: false },
      },
      {
        extends: true,
        test: { name: 'isolated', include: isolatedFiles, isolate: true },
      },
    ],
  },
});
