import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Resolved from this file, not from the working directory, so `vite build --config web/vite.config.ts`
// behaves the same wherever it is run from.
const webDir = path.dirname(fileURLToPath(import.meta.url));

// The Node server listens here by default (PORT 8080); the dev server forwards everything it owns.
const server = 'http://127.0.0.1:8080';

// The softphone names its version in its SIP User-Agent (Videophone-Web/<version>): the registrar
// compares it with the web client's minimum version (clause 8).
const { version } = JSON.parse(readFileSync(path.resolve(webDir, '../package.json'), 'utf8')) as { version: string };

export default defineConfig({
  root: webDir,
  define: { __APP_VERSION__: JSON.stringify(version) },
  plugins: [react()],
  build: {
    outDir: path.resolve(webDir, '../dist/web'),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/readyz': server,
      // SIP over WebSocket for the softphone.
      '/sip': { target: server, ws: true },
    },
  },
});
