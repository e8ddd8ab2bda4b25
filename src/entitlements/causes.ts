import type { Settings } from '../platform/config/index.js';
import type { SuspensionCause, SuspensionScope } from './tables.js';

/**
 * What each suspension cause does, in one table: the scope it blocks, whether monthly rent keeps
 * accruing, and what a refused subscriber is told when no particular reason was recorded. Callers name
 * a cause; they never choose its scope or its rent rule, so a judicial suspension charges rent
 * (clause 10) whoever opens it. Rules the operator tunes read the settings.
 */
export interface CauseRule {
  /** The agreement clause the cause comes from. */
  clause: string;
  /**
   * What the suspension blocks. `ordered` is the scope an order named (a judicial order says "all
   * service" or "outgoing calls"); only a cause whose scope is the order's reads it, every other
   * cause decides alone.
   */
  blocks(settings: Settings, ordered?: SuspensionScope): SuspensionScope;
  /** True for a cause whose scope comes from the order that opens it (judicial, clause 10). */
  scopeFromOrder: boolean;
  rentContinues(settings: Settings): boolean;
  /** The refusal in both languages; `code` is what the portal and softphone key their own text on. */
  refusal: { code: string; en: string; 'zh-CN': string };
}

export const SUSPENSION_CAUSES: Readonly<Record<SuspensionCause, CauseRule>> = {
  // Clause 5: more than a month overdue suspends; rent during it is the operator's choice.
  overdue: {
    clause: '5',
    blocks: () => 'all',
    scopeFromOrder: false,
    rentContinues: (settings) => settings.overdueSuspensionKeepsRent,
    refusal: { code: 'suspended-overdue', en: 'Service suspended: overdue bill', 'zh-CN': '服务已暂停：账单逾期未缴' },
  },
  // Clause 9: over the credit limit, "part or all" of the service per setting; the rent is owed as usual.
  'credit-limit': {
    clause: '9',
    blocks: (settings) => (settings.creditLimitSuspensionScope === 'outgoing' ? 'outgoing' : 'all'),
    scopeFromOrder: false,
    rentContinues: () => true,
    refusal: { code: 'suspended-credit-limit', en: 'Credit limit reached', 'zh-CN': '已达到信用额度' },
  },
  // Clause 10: a judicial or security authority's order, for all service or outgoing calls as the
  // order says (all when it says nothing); "monthly rent is still charged meanwhile". The refusal is
  // neutral: who ordered it, and why, is not the caller's (or a refused SIP peer's) to read.
  judicial: {
    clause: '10',
    blocks: (_settings, ordered) => ordered ?? 'all',
    scopeFromOrder: true,
    rentContinues: () => true,
    refusal: {
      code: 'suspended-judicial',
      en: 'Service suspended; please contact customer service',
      'zh-CN': '服务已暂停，请联系客服',
    },
  },
  // Clause 1: false or incomplete identity data stops the service until verified; no service, no rent.
  'false-data': {
    clause: '1',
    blocks: () => 'all',
    scopeFromOrder: false,
    rentContinues: () => false,
    refusal: { code: 'suspended-false-data', en: 'Service suspended: identity data under review', 'zh-CN': '服务已暂停：身份资料待核实' },
  },
  // Clause 3: unlawful use is the subscriber's breach, which the agreement does not excuse from rent.
  abuse: {
    clause: '3',
    blocks: () => 'all',
    scopeFromOrder: false,
    rentContinues: () => true,
    refusal: { code: 'suspended-abuse', en: 'Service suspended: report of unlawful use', 'zh-CN': '服务已暂停：涉嫌违法使用' },
  },
  // Clause 11: once termination is requested the final bill closes the account (rent to that day), so
  // no later rent, and no new chargeable calls; the subscriber can still be called.
  termination: {
    clause: '11',
    blocks: () => 'outgoing',
    scopeFromOrder: false,
    rentContinues: () => false,
    refusal: {
      code: 'termination-requested',
      en: 'Termination requested; the agreement ends once the final bill is paid',
      'zh-CN': '已申请终止协议，结清最终账单后协议终止',
    },
  },
};

/** The causes under which rent stops, with today's settings. */
export function rentStoppingCauses(settings: Settings): SuspensionCause[] {
  return (Object.keys(SUSPENSION_CAUSES) as SuspensionCause[]).filter((cause) => !SUSPENSION_CAUSES[cause].rentContinues(settings));
}
