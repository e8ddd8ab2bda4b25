import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { repoRoot } from './process.js';

/** Browser tests serve dist/web: rebuild it when any web source is newer than the last build. */
export default async function setup(): Promise<void> {
  const built = path.join(repoRoot, 'dist/web/index.html');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  if (newestMtime(path.join(repoRoot, 'web')) > builtAt) {
    await build({ configFile: path.join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn' });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}
