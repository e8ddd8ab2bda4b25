import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { pino } from 'pino';
import * as prettier from 'prettier';
import { TestClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openPGlite } from '../src/platform/db/database.js';
import { createService } from '../src/service.js';

/** Where the web app reads the server's API types from; committed, and checked by test/api/api-types.test.ts. */
export const apiSchemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/src/types/api-schema.d.ts');

const header = '// Generated from GET /api/openapi.json by `npm run generate:api-types`; do not edit.\n';

/** The server's OpenAPI document, from the app built as tests build it: in-memory database, nothing listening. */
export async function fetchOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vp-api-types-'));
  const database = await openPGlite(null);
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DATA_KEYS: `generate:${randomBytes(32).toString('base64')}`,
    });
    const service = await createService(config, {
      clock: new TestClock('2026-03-01T02:00:00.000Z'),
      database,
      logger: pino({ level: 'silent' }),
      webRoot: null,
    });
    try {
      const response = await service.app.inject({ method: 'GET', url: '/api/openapi.json' });
      if (response.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${response.statusCode}: ${response.body}`);
      return response.json<Record<string, unknown>>();
    } finally {
      await service.close();
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The contents `web/src/types/api-schema.d.ts` should have: openapi-typescript's output, formatted as the repository formats. */
export async function generateApiTypes(): Promise<string> {
  const document = await fetchOpenApiDocument();
  // openapi-typescript's types want its own OpenAPI3 type; the document is the server's, validated by it.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  const options = (await prettier.resolveConfig(apiSchemaFile)) ?? {};
  return prettier.format(header + astToString(ast), { ...options, filepath: apiSchemaFile });
}
