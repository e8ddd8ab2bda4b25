import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiSchemaFile, generateApiTypes } from '../../scripts/api-types.js';

describe("the web app's API types", () => {
  it('are the ones the OpenAPI document of the current route schemas generates', async () => {
    const committed = readFileSync(apiSchemaFile, 'utf8');
    const generated = await generateApiTypes();
    expect(committed === generated, 'web/src/types/api-schema.d.ts is out of date: run npm run generate:api-types').toBe(true);
  });
});
