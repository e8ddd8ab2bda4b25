import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionPhrases } from '../../src/audit/action-phrases.js';
import { findActionCodes } from './action-codes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('audit action phrases', () => {
  const found = findActionCodes(root);

  it('finds the action codes the source writes', () => {
    // A sanity floor: if the reader of recordAudit calls breaks, this test must not pass vacuously.
    expect(found.codes.size).toBeGreaterThan(60);
    expect(found.codes).toContain('staff.roles.change');
    expect(found.codes).toContain('devices.unit.deliver');
  });

  it('has a zh-CN and an en phrase for every action code', () => {
    const missing = [...found.codes].filter((code) => !actionPhrases[code]?.['zh-CN'] || !actionPhrases[code]?.en);
    expect(missing).toEqual([]);
  });

  it('has a phrase matching every templated action code', () => {
    const unmatched = found.patterns.filter(({ pattern }) => !Object.keys(actionPhrases).some((code) => pattern.test(code)));
    expect(unmatched.map((p) => p.source)).toEqual([]);
  });
});
