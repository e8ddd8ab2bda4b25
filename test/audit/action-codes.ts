import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { permissions } from '../../src/staff/permissions.js';

/**
 * Every audit action code the source can write, found by reading `recordAudit` calls: literal codes
 * (also both arms of a ternary), template codes as patterns (`legal.abuse-report.${decision}`), and,
 * where a helper passes its `action` parameter through, the dotted literals in that file (its callers).
 */
export interface ActionCodes {
  codes: Set<string>;
  patterns: { source: string; file: string; pattern: RegExp }[];
}

const dotted = /^[a-z][a-z-]*(\.[a-z][a-z-]*)+$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function callsOf(text: string, name: string): string[] {
  const calls: string[] = [];
  let at = text.indexOf(name + '(');
  while (at >= 0) {
    let depth = 0;
    let end = at + name.length;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    calls.push(text.slice(at, end + 1));
    at = text.indexOf(name + '(', end);
  }
  return calls;
}

/** The text after `action:` up to its top-level `,` or `}`; `''` for the shorthand `action`. */
function actionExpression(call: string): string | null {
  const match = /[{,]\s*action\b\s*(:?)/.exec(call);
  if (!match) return null;
  if (match[1] !== ':') return '';
  let depth = 0;
  let inTemplate = false;
  let end = match.index + match[0].length;
  for (; end < call.length; end++) {
    const c = call[end];
    if (c === '`') inTemplate = !inTemplate;
    else if (c === '{' || c === '(') depth++;
    else if ((c === '}' || c === ')') && depth > 0) depth--;
    else if (!inTemplate && depth === 0 && (c === ',' || c === '}')) break;
  }
  return call.slice(match.index + match[0].length, end).trim();
}

export function findActionCodes(root: string): ActionCodes {
  const codes = new Set<string>();
  const patterns: ActionCodes['patterns'] = [];
  const notCodes = new Set<string>(permissions);
  const helperFiles: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    if (file.includes(join('src', 'audit'))) continue;
    const text = readFileSync(file, 'utf8');
    for (const call of callsOf(text, 'recordAudit')) {
      const expression = actionExpression(call);
      if (expression === null) continue;
      const template = /^`([^`]*)`$/.exec(expression);
      if (template) {
        const source = template[1]!;
        const arms = [...source.matchAll(/\?\s*'([a-z-]+)'\s*:\s*'([a-z-]+)'/g)].flatMap((m) => [m[1]!, m[2]!]);
        if (arms.length > 0) {
          for (const arm of arms) codes.add(source.replace(/\$\{.*\}/, arm));
        } else {
          const pattern = new RegExp(
            '^' +
              source
                .split(/\$\{[^}]*\}/)
                .map((part) => part.replace(/[.-]/g, '\\$&'))
                .join('[a-z-]+') +
              '$',
          );
          patterns.push({ source, file, pattern });
        }
        continue;
      }
      const literals = [...expression.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      if (literals.length > 0) for (const literal of literals) codes.add(literal);
      else helperFiles.push(file);
    }
  }
  // A helper's `action` parameter: its callers in the same file pass dotted literals of a known family.
  const families = new Set([...codes].map((code) => code.split('.')[0]!));
  for (const file of helperFiles) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:[(,?]|(?<!type):)\s*'([a-z][a-z.-]+)'/g)) {
      const code = m[1]!;
      if (dotted.test(code) && !notCodes.has(code) && families.has(code.split('.')[0]!)) codes.add(code);
    }
  }
  // Helpers called from other files: `changeUnit(ctx, id, actor, 'devices.unit.deliver', …)`, `{ action: 'x.y' }`.
  for (const file of sourceFiles(join(root, 'src'))) {
    if (file.includes(join('src', 'audit'))) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\baction:|\bactor,)\s*'([a-z][a-z.-]+)'/g)) {
      const code = m[1]!;
      if (dotted.test(code) && !notCodes.has(code) && families.has(code.split('.')[0]!)) codes.add(code);
    }
  }
  return { codes, patterns };
}
