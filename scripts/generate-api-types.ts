import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiSchemaFile, generateApiTypes } from './api-types.js';

// Run with `npm run generate:api-types` after changing a route's schema; the web app's API types follow.
writeFileSync(apiSchemaFile, await generateApiTypes());
console.log(`wrote ${path.relative(process.cwd(), apiSchemaFile)}`);
