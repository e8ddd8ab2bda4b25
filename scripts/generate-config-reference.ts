import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configReferenceFile, renderConfigReference } from './config-reference.js';

// Run with `npm run generate:config-docs` after changing a setting; the reference follows the schema.
writeFileSync(configReferenceFile, renderConfigReference());
console.log(`wrote ${path.relative(process.cwd(), configReferenceFile)}`);
