import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReferenceFile, renderConfigReference } from '../../scripts/config-reference.js';
import { environmentSchema, settingEnvName, settingsSchema } from '../../src/platform/config/index.js';

describe('the configuration reference (docs/configuration.md)', () => {
  it('is the one the configuration schema generates', () => {
    const committed = readFileSync(configReferenceFile, 'utf8');
    expect(committed === renderConfigReference(), 'docs/configuration.md is out of date: run npm run generate:config-docs').toBe(true);
  });

  it('names every variable of the schema, each with the description it has there', () => {
    const properties = { ...environmentSchema.properties, ...settingsSchema.properties } as Record<string, { description?: string }>;
    const undescribed = Object.entries(properties).filter(([, schema]) => !schema.description?.trim());
    expect(
      undescribed.map(([name]) => name),
      'settings without a description in the schema',
    ).toEqual([]);
    const reference = renderConfigReference();
    const variables = [...Object.keys(environmentSchema.properties), ...Object.keys(settingsSchema.properties).map(settingEnvName)];
    for (const variable of variables) expect(reference, variable).toContain(`| \`${variable}\` |`);
  });
});
