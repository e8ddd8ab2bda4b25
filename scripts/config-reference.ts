import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentSchema, settingEnvName, settingsSchema } from '../src/platform/config/index.js';

/** The configuration reference; committed, and checked by test/platform/config-reference.test.ts. */
export const configReferenceFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/configuration.md');

/** What this script reads of a TypeBox property: it is plain JSON Schema. */
interface PropertySchema {
  type?: string;
  const?: unknown;
  anyOf?: PropertySchema[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/** Variables read outside the schema, from the process environment only (not from CONFIG_FILE). */
const variablesOutsideSchema: Record<string, string> = {
  CONFIG_FILE: 'A dotenv-style file completing the environment with any variable of the two tables below; the environment wins.',
  BILL_PDF_FONT:
    "The CJK font file every PDF is drawn with (bills, signed agreements). Default: `/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc` from Debian's `fonts-wqy-zenhei`; without the font, bill PDFs fail.",
};

/** Every variable the service reads from its environment: those outside the schema, the process's own, the agreement's `VP_` ones. */
export function configurationVariables(): string[] {
  return [
    ...Object.keys(variablesOutsideSchema),
    ...Object.keys(environmentSchema.properties),
    ...Object.keys(settingsSchema.properties).map(settingEnvName),
  ];
}

/** The contents docs/configuration.md should have, from the schemas' types, defaults and descriptions. */
export function renderConfigReference(): string {
  const processRows = Object.entries(environmentSchema.properties as Record<string, PropertySchema>).map(([name, schema]) =>
    row([code(name), typeOf(schema), defaultOf(schema), describe(name, schema)]),
  );
  const settingRows = Object.entries(settingsSchema.properties as Record<string, PropertySchema>).map(([name, schema]) =>
    row([code(settingEnvName(name)), code(name), typeOf(schema), defaultOf(schema), describe(name, schema)]),
  );
  return [
    '# Configuration reference',
    '',
    'Generated from the configuration schema (`src/platform/config/config.ts`, `src/platform/config/settings.ts`)',
    'by `npm run generate:config-docs`; do not edit it by hand. `test/platform/config-reference.test.ts` fails',
    'while it is out of date.',
    '',
    'Everything is read from environment variables, optionally completed by a dotenv-style file named by',
    '`CONFIG_FILE` (the environment wins). An empty value counts as unset. A wrong value stops the service',
    'with one line per variable and exit code 2, e.g. `PORT: must be integer (got "abc")`. Running several',
    'nodes: [deploy/README.md](../deploy/README.md) says which settings must be the same on every node.',
    '',
    '## Outside the schema',
    '',
    row(['Variable', 'Description']),
    row(['---', '---']),
    ...Object.entries(variablesOutsideSchema).map(([name, description]) => row([code(name), description])),
    '',
    `## The process (${processRows.length} variables)`,
    '',
    'Where to listen, which database and Redis, which keys, the limits of the SIP and HTTP edges, payment providers.',
    '',
    row(['Variable', 'Type', 'Default', 'Description']),
    row(['---', '---', '---', '---']),
    ...processRows,
    '',
    `## The operator's agreement parameters (${settingRows.length} settings)`,
    '',
    'The blanks of the service agreement that the operator fills in. Each is `VP_` plus the setting in',
    'upper snake case; the console shows the values in force (`GET /api/console/settings`).',
    '',
    row(['Variable', 'Setting', 'Type', 'Default', 'Description']),
    row(['---', '---', '---', '---', '---']),
    ...settingRows,
    '',
  ].join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A code span that survives a table cell: GitHub's tables split on `|` even inside code. */
function code(text: string): string {
  return '`' + text.replace(/\|/g, '\\|') + '`';
}

function typeOf(schema: PropertySchema): string {
  const choices = schema.anyOf?.map((option) => option.const).filter((choice) => choice !== undefined);
  if (choices && choices.length > 0) return 'one of ' + choices.map((choice) => code(String(choice))).join(', ');
  const limits: string[] = [];
  if (schema.minimum !== undefined && schema.maximum !== undefined) limits.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined) limits.push(`at least ${schema.minimum}`);
  else if (schema.maximum !== undefined) limits.push(`at most ${schema.maximum}`);
  if (schema.minLength !== undefined && schema.maxLength !== undefined) limits.push(`${schema.minLength}–${schema.maxLength} characters`);
  else if (schema.minLength !== undefined && schema.minLength > 1) limits.push(`at least ${schema.minLength} characters`);
  else if (schema.minLength === 1) limits.push('not empty');
  if (schema.pattern !== undefined) limits.push(`matching ${code(schema.pattern)}`);
  const type = schema.type ?? 'string';
  return limits.length > 0 ? `${type}, ${limits.join(', ')}` : type;
}

function defaultOf(schema: PropertySchema): string {
  if (!('default' in schema)) return 'unset';
  if (schema.default === '') return 'empty';
  return code(String(schema.default));
}

function describe(name: string, schema: PropertySchema): string {
  if (!schema.description) throw new Error(`${name} has no description in the configuration schema`);
  return schema.description.replace(/\|/g, '\\|');
}
