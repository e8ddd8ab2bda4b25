import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureToProblem } from '../../src/platform/http/failure-to-problem.js';
import { problemCatalog, ProblemError } from '../../src/platform/http/problems.js';
import { fail } from '../../src/platform/result.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

describe('the error catalog', () => {
  it('gives every problem an error status and a title', () => {
    for (const [code, entry] of Object.entries(problemCatalog)) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.title.length).toBeGreaterThan(3);
    }
  });

  it('knows every problem code the source code uses', () => {
    const used = new Set<string>();
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bfail(?:<[^>]*>)?\(\s*'[a-z_]+',\s*'([a-z-]+)'/g)) used.add(match[1]!);
      for (const match of text.matchAll(/new ProblemError\(\s*'([a-z-]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((code) => !(code in problemCatalog))).toEqual([]);
  });

  it('turns a domain failure into its problem, keeping field errors and extensions', () => {
    const result = fail('invalid', 'invalid-request', 'Bad input', { fields: [{ field: 'username', message: 'taken' }] });
    if (result.ok) throw new Error('expected a failure');
    const error = failureToProblem(result.failure);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.body).toMatchObject({
      status: 400,
      code: 'invalid-request',
      detail: 'Bad input',
      errors: [{ field: 'username', message: 'taken' }],
    });
  });

  it('falls back on the failure kind when a code is not in the catalog', () => {
    const result = fail('conflict', 'some-new-code', 'Clash');
    if (result.ok) throw new Error('expected a failure');
    expect(failureToProblem(result.failure).body).toMatchObject({ status: 409, code: 'conflict' });
  });
});
