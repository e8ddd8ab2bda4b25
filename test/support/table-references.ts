import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * Which module owns which table, read from each module's `tables.ts` (the `…Tables` interface that
 * src/platform/db/schema.ts composes), and which tables each source file names in a query.
 */
export function tableOwners(srcRoot: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files(srcRoot).filter((f) => f.endsWith(`${sep}tables.ts`))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node) || !/Tables$/.test(node.name.text)) return;
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.name && ts.isIdentifier(member.name))
          owners.set(member.name.text, moduleOf(srcRoot, file));
      }
    });
  }
  return owners;
}

export function moduleOf(srcRoot: string, file: string): string {
  const parts = relative(srcRoot, file).split(sep);
  if (parts.length === 1) return '(root)';
  if (parts[0] === 'platform') return `platform/${parts[1]!.replace(/\.ts$/, '')}`;
  return parts[0]!;
}

export function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const QUERY_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'mergeInto',
  'replaceInto',
]);
/** Where SQL names a table: after FROM, JOIN, INTO, UPDATE, TABLE (DDL), REFERENCES is DDL and allowed. */
const SQL_TABLE = /\b(?:from|join|into|update|table)\s+(?:only\s+)?([a-z_][a-z0-9_]*)/gi;

export interface TableReference {
  table: string;
  line: number;
  text: string;
}

/** The tables a file queries: Kysely builder calls with a literal table, and names in `sql` templates. */
export function tableReferences(fileName: string, text: string): TableReference[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: TableReference[] = [];
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && QUERY_METHODS.has(node.expression.name.text)) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        found.push({ table: first.text.split(/\s+as\s+/)[0]!.trim(), line: at(node), text: node.getText(source).slice(0, 80) });
      }
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source).startsWith('sql')) {
      const template = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(template)
        ? [template.text]
        : [template.head.text, ...template.templateSpans.map((span) => span.literal.text)];
      for (const part of parts) {
        for (const match of part.matchAll(SQL_TABLE)) found.push({ table: match[1]!.toLowerCase(), line: at(node), text: match[0] });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
