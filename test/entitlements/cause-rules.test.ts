import { describe, expect, it } from 'vitest';
import { SUSPENSION_CAUSES, type SuspensionCause, type SuspensionScope } from '../../src/entitlements/index.js';
import { loadConfig } from '../../src/platform/config/config.js';

const settings = loadConfig({ NODE_ENV: 'test' }).settings;

/**
 * Every cause in the table, with the default settings: what it blocks (with and without an order
 * naming a scope) and whether rent continues. A cause added to `SUSPENSION_CAUSES` without a row
 * here fails the first test: its rules have to be stated, not inherited.
 */
const expected: Record<SuspensionCause, { clause: string; scope: SuspensionScope; scopeFromOrder: boolean; rentContinues: boolean }> = {
  overdue: { clause: '5', scope: 'all', scopeFromOrder: false, rentContinues: true },
  'credit-limit': { clause: '9', scope: 'outgoing', scopeFromOrder: false, rentContinues: true },
  judicial: { clause: '10', scope: 'all', scopeFromOrder: true, rentContinues: true },
  'false-data': { clause: '1', scope: 'all', scopeFromOrder: false, rentContinues: false },
  abuse: { clause: '3', scope: 'all', scopeFromOrder: false, rentContinues: true },
  termination: { clause: '11', scope: 'outgoing', scopeFromOrder: false, rentContinues: false },
};

describe('the suspension cause table', () => {
  it('has a stated rule for every cause, and no rule for a cause it does not have', () => {
    expect(Object.keys(SUSPENSION_CAUSES).sort()).toEqual(Object.keys(expected).sort());
  });

  describe.each(Object.keys(SUSPENSION_CAUSES) as SuspensionCause[])('%s', (cause) => {
    const rule = SUSPENSION_CAUSES[cause];
    const want = expected[cause];

    it('comes from its clause and keeps or stops rent as the agreement says', () => {
      expect(rule.clause).toBe(want.clause);
      expect(rule.rentContinues(settings)).toBe(want.rentContinues);
    });

    it('blocks its own scope when no order names one', () => {
      expect(rule.blocks(settings)).toBe(want.scope);
    });

    it(want.scopeFromOrder ? "blocks the order's scope" : 'ignores a scope an order names', () => {
      expect(rule.scopeFromOrder).toBe(want.scopeFromOrder);
      for (const ordered of ['all', 'outgoing'] as const)
        expect(rule.blocks(settings, ordered)).toBe(want.scopeFromOrder ? ordered : want.scope);
    });

    it('refuses with a code and a text in both languages', () => {
      expect(rule.refusal.code).toMatch(/^[a-z-]+$/);
      expect(rule.refusal.en.length).toBeGreaterThan(0);
      expect(rule.refusal['zh-CN'].length).toBeGreaterThan(0);
    });
  });

  it('clause 5: overdue rent follows VP_OVERDUE_SUSPENSION_KEEPS_RENT; clause 10: judicial rent continues whatever the settings', () => {
    const noRent = loadConfig({ NODE_ENV: 'test', VP_OVERDUE_SUSPENSION_KEEPS_RENT: 'false' }).settings;
    expect(SUSPENSION_CAUSES.overdue.rentContinues(noRent)).toBe(false);
    expect(SUSPENSION_CAUSES.judicial.rentContinues(noRent)).toBe(true);
  });

  it('a judicial refusal names neither an authority nor a case', () => {
    const { en, 'zh-CN': zh } = SUSPENSION_CAUSES.judicial.refusal;
    expect(en).not.toMatch(/court|authority|order|judicial/i);
    expect(zh).not.toMatch(/法院|机关|司法|裁定/);
  });
});
