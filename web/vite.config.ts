import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Resolved from this file, not from the working directory, so `vite build --config web/vite.config.ts`
// behaves the same wherever it is run from.
const webDir = path.dirname(fileURLToPath(import.meta.url));

// The Node server listens here by default (PORT 8080); the dev server forwards everything it owns.
const server = 'http://127.0.0.1:8080';

export default defineConfig({
  root: webDir,
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
