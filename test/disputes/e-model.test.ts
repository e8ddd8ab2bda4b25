import { describe, expect, it } from 'vitest';
import { classifyCall, estimatedMos, mosFromRating, transmissionRating } from '../../src/disputes/index.js';

describe('the E-model (ITU-T G.107) as support reads it', () => {
  it('with nothing impaired, R is the default 93.2 and the MOS 4.4 (Annex B)', () => {
    expect(transmissionRating({ rttMs: 0, jitterMs: 0, lossPercent: 0 })).toBeCloseTo(93.2, 5);
    expect(mosFromRating(93.2)).toBeCloseTo(4.41, 2);
  });

  it('a one-way delay of 300 ms costs Idd ≈ 14.7 (§7.3): R ≈ 78.5, MOS ≈ 4.0', () => {
    // Ta = 600 / 2 + 2 × 0 = 300 ms.
    expect(transmissionRating({ rttMs: 600, jitterMs: 0, lossPercent: 0 })).toBeCloseTo(93.2 - 14.74, 1);
    expect(estimatedMos({ rttMs: 600, jitterMs: 0, lossPercent: 0 })).toBe(4);
  });

  it('random loss costs Ie,eff = 95·Ppl/(Ppl + 25.1) (§7.4): 5 % loss gives R ≈ 77.4', () => {
    expect(transmissionRating({ rttMs: 0, jitterMs: 0, lossPercent: 5 })).toBeCloseTo(93.2 - (95 * 5) / 30.1, 5);
  });

  it('quality only falls as loss, jitter or round trip grow, and stays between 1 and 4.5', () => {
    let last = 5;
    for (const loss of [0, 1, 3, 10, 30, 100]) {
      const mos = mosFromRating(transmissionRating({ rttMs: 100, jitterMs: 20, lossPercent: loss }));
      expect(mos).toBeLessThanOrEqual(last);
      expect(mos).toBeGreaterThanOrEqual(1);
      last = mos;
    }
    expect(mosFromRating(-20)).toBe(1);
    expect(mosFromRating(120)).toBe(4.5);
  });
});

describe('classifying a disputed call (clauses 6 and 12)', () => {
  const thresholds = { lossPercent: 5, jitterMs: 60, rttMs: 500 };
  const clean = { hungUpBy: 'caller' as const, endReason: null, endUnseen: false, finalStatus: 200 };
  const report = (reporter: string, lossPercent: number) => ({ reporter, rttMs: 50, jitterMs: 10, lossPercent });

  it('loss beyond the threshold on the subscriber’s side is network-side', () => {
    expect(
      classifyCall({ subscriberNumbers: ['100'], record: clean, reports: [report('100', 18), report('200', 0)] }, thresholds),
    ).toMatchObject({
      classification: 'network-side',
      findings: [{ code: 'loss', side: 'subscriber', value: 18 }],
    });
  });

  it('loss only on the other party’s side is not the subscriber’s network: normal, with the finding shown', () => {
    expect(
      classifyCall({ subscriberNumbers: ['100'], record: clean, reports: [report('100', 0), report('200', 12)] }, thresholds),
    ).toMatchObject({
      classification: 'normal',
      findings: [{ code: 'loss', side: 'other' }],
    });
  });

  it('a call whose end the platform never saw, or that the platform ended by fault, is platform-side whatever the network did', () => {
    expect(
      classifyCall({ subscriberNumbers: ['100'], record: { ...clean, endUnseen: true }, reports: [report('100', 30)] }, thresholds)
        .classification,
    ).toBe('platform-side');
    expect(
      classifyCall(
        { subscriberNumbers: ['100'], record: { ...clean, hungUpBy: 'system', endReason: 'session-expired' }, reports: [] },
        thresholds,
      ).classification,
    ).toBe('platform-side');
  });

  it('a call cut at the credit limit (clause 9) is the rule, not a fault', () => {
    expect(
      classifyCall(
        { subscriberNumbers: ['100'], record: { ...clean, hungUpBy: 'system', endReason: 'credit-limit' }, reports: [] },
        thresholds,
      ),
    ).toMatchObject({ classification: 'normal', findings: [{ code: 'no-report' }] });
  });
});
