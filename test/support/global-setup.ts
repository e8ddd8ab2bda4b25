import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { createPGliteTemplate, PGLITE_TEMPLATE_ENV, scratchDir } from './engines.js';
import { newestModification, repoRoot } from './process.js';

/**
 * Browser tests serve dist/web: rebuild it when any web source is newer than the last build.
 * Services in tests start from one migrated PGlite directory made here (see PGLITE_TEMPLATE_ENV);
 * the test workers are forked after this and inherit the variable.
 */
export default async function setup(): Promise<() => void> {
  const built = path.join(repoRoot, 'dist/web/index.html');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  if (newestModification(path.join(repoRoot, 'web')) > builtAt) {
    await build({ configFile: path.join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn' });
  }
  const home = mkdtempSync(path.join(scratchDir(), 'vp-test-template-'));
  const template = path.join(home, 'pglite');
  await createPGliteTemplate(template);
  process.env[PGLITE_TEMPLATE_ENV] = template;
  // The services the tests spawn run without the overload control unless a test asks for it
  // (test/sip/overload.test.ts), as do those they start in-process (test-service.ts, softphone.ts):
  // on a CI machine running test files side by side, a service's receive queue can wait past 300 ms
  // for reasons of the machine's, and a 503 with Retry-After would then fail a test of something
  // else. The default (on) is checked in config.test.ts.
  process.env.SIP_OVERLOAD_CONTROL ??= 'false';
  return () => rmSync(home, { recursive: true, force: true });
}
