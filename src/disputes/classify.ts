import { estimatedMos } from './e-model.js';

/**
 * Where a disputed call's trouble lay (clause 6 asks the operator to investigate; clause 12 excuses
 * the Internet's own conditions): a pure judgement over the call's record and both parties' quality
 * reports, with the thresholds the operator sets. It proposes; the agent decides and answers.
 */
export type CallClass = 'platform-side' | 'network-side' | 'normal';

export interface CallFacts {
  /** The disputing subscriber's numbers: which report is "their side". */
  subscriberNumbers: readonly string[];
  record: { hungUpBy: 'caller' | 'callee' | 'system' | null; endReason: string | null; endUnseen: boolean; finalStatus: number | null };
  reports: readonly { reporter: string; rttMs: number | null; jitterMs: number | null; lossPercent: number | null }[];
}

export interface Thresholds {
  lossPercent: number;
  jitterMs: number;
  rttMs: number;
}

/** Why the class was chosen; the pages turn each code into a sentence in the reader's language. */
export type Finding =
  | { code: 'end-unseen' }
  | { code: 'ended-by-platform'; endReason: string | null }
  | { code: 'server-error'; status: number }
  | { code: 'loss'; side: 'subscriber' | 'other'; value: number; threshold: number }
  | { code: 'jitter'; side: 'subscriber' | 'other'; value: number; threshold: number }
  | { code: 'rtt'; side: 'subscriber' | 'other'; value: number; threshold: number }
  | { code: 'no-report' };

export interface Judgement {
  classification: CallClass;
  findings: Finding[];
  /** Estimated MOS (ITU-T G.107) of each report that has all three measures. */
  mos: { reporter: string; side: 'subscriber' | 'other'; mos: number }[];
}

/** Ends the proxy makes on purpose, by rule: not a fault of the platform. */
const RULED_ENDS = new Set(['credit-limit']);

export function classifyCall(facts: CallFacts, thresholds: Thresholds): Judgement {
  const findings: Finding[] = [];
  const mine = new Set(facts.subscriberNumbers);
  const side = (reporter: string) => (mine.has(reporter) ? ('subscriber' as const) : ('other' as const));
  // The platform first: if it lost the call or ended it by fault, the Internet is not to blame.
  if (facts.record.endUnseen) findings.push({ code: 'end-unseen' });
  if (facts.record.hungUpBy === 'system' && !RULED_ENDS.has(facts.record.endReason ?? '')) {
    findings.push({ code: 'ended-by-platform', endReason: facts.record.endReason });
  }
  if (facts.record.finalStatus !== null && facts.record.finalStatus >= 500)
    findings.push({ code: 'server-error', status: facts.record.finalStatus });
  const platform = findings.length > 0;

  const mos: Judgement['mos'] = [];
  let subscriberSideImpaired = false;
  for (const report of facts.reports) {
    const s = side(report.reporter);
    const checks: ['loss' | 'jitter' | 'rtt', number | null, number][] = [
      ['loss', report.lossPercent, thresholds.lossPercent],
      ['jitter', report.jitterMs, thresholds.jitterMs],
      ['rtt', report.rttMs, thresholds.rttMs],
    ];
    for (const [code, value, threshold] of checks) {
      if (value !== null && value >= threshold) {
        findings.push({ code, side: s, value, threshold });
        if (s === 'subscriber') subscriberSideImpaired = true;
      }
    }
    if (report.lossPercent !== null && report.jitterMs !== null && report.rttMs !== null) {
      mos.push({
        reporter: report.reporter,
        side: s,
        mos: estimatedMos({ lossPercent: report.lossPercent, jitterMs: report.jitterMs, rttMs: report.rttMs }),
      });
    }
  }
  if (facts.reports.length === 0) findings.push({ code: 'no-report' });
  const classification: CallClass = platform ? 'platform-side' : subscriberSideImpaired ? 'network-side' : 'normal';
  return { classification, findings, mos };
}
