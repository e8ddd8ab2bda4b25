import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface WebRelease {
  /** The content-hashed file name of the bundle's entry script: it changes exactly when the code does. */
  buildId: string;
  builtAt: Date;
}

/**
 * The web client version this server hands out (clause 8): read from the built index.html, so
 * deploying a new bundle is the release and nothing else has to be kept in step. Re-read only when
 * index.html changes.
 */
export class WebReleaseReader {
  #cached: { mtimeMs: number; release: WebRelease | null } | null = null;

  constructor(private readonly webRoot: string) {}

  current(): WebRelease | null {
    const file = path.join(this.webRoot, 'index.html');
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return null;
    }
    if (this.#cached?.mtimeMs === mtimeMs) return this.#cached.release;
    const release = parseRelease(readFileSync(file, 'utf8'), new Date(mtimeMs));
    this.#cached = { mtimeMs, release };
    return release;
  }
}

export function parseRelease(indexHtml: string, builtAt: Date): WebRelease | null {
  const match = /<script[^>]*type="module"[^>]*src="[^"]*\/assets\/([^"/]+\.js)"/.exec(indexHtml);
  return match?.[1] ? { buildId: match[1], builtAt } : null;
}
