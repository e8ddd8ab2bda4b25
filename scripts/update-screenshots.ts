import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Refreshes the README's screenshots of the console's roles (docs/screenshots/roles-*.png): builds the
 * web app, runs the roles browser tests (test/browser/roles-*.test.ts), which write their screenshots
 * to test-output/screenshots, and copies those into docs/screenshots. `--copy-only` skips the build and
 * the tests and copies what the last run left.
 *
 *   npx tsx scripts/update-screenshots.ts [--copy-only]
 */
const root = path.resolve(import.meta.dirname, '..');
const from = path.join(root, 'test-output', 'screenshots');
const to = path.join(root, 'docs', 'screenshots');
/** Kept small so the README stays quick to clone and load; the tests shoot a 1280x800 window, not the whole page. */
const maxBytes = 250 * 1024;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

if (!process.argv.includes('--copy-only')) {
  run('npm', ['run', 'build:web']);
  // One file at a time: each starts the service and a browser, and the machine may be small.
  run('npx', ['vitest', 'run', '--maxWorkers=1', 'test/browser/roles-']);
}

const shots = readdirSync(from).filter((name) => name.startsWith('roles-') && name.endsWith('.png'));
if (shots.length === 0) throw new Error(`no roles-*.png in ${from}: run the roles tests first`);
mkdirSync(to, { recursive: true });
for (const name of shots.sort()) {
  const size = statSync(path.join(from, name)).size;
  if (size > maxBytes) throw new Error(`${name} is ${Math.round(size / 1024)} KB, more than ${maxBytes / 1024} KB`);
  copyFileSync(path.join(from, name), path.join(to, name));
  console.log(`docs/screenshots/${name} (${Math.round(size / 1024)} KB)`);
}
