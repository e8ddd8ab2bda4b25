import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsClamped, daysBetween, localDateOf, startOfLocalDay } from '../../src/platform/zoned-calendar.js';
import {
  accruedLateFee,
  allocate,
  desiredDunningStage,
  dunningStagesFromSettings,
  lateFeeFen,
  parseDailyRate,
  proratedRent,
  rateCallsInOrder,
  serviceDaysIn,
  type LateFeeSnapshot,
} from '../../src/billing/rules.js';

const tariff = { planId: 'p', includedMinutes: 1, perMinuteRatePrecise: 15_0000, billingIncrementSeconds: 6 };
const rate = parseDailyRate('0.003');

describe('the operator calendar (Asia/Shanghai)', () => {
  it('Jan 31 16:00 UTC is already Feb 1 in Shanghai, and Feb 1 begins then', () => {
    expect(localDateOf(new Date('2026-01-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-02-01');
    expect(localDateOf(new Date('2026-01-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-01-31');
    expect(startOfLocalDay('2026-02-01', 'Asia/Shanghai').toISOString()).toBe('2026-01-31T16:00:00.000Z');
  });

  it('a month later is the same date, clamped to the month end, February and leap years included', () => {
    expect(addMonthsClamped('2026-02-21', 1)).toBe('2026-03-21');
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-02-21', 3)).toBe('2026-05-21');
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(daysBetween('2026-02-21', '2026-03-08')).toBe(15);
    expect(daysBetween('2028-02-21', '2028-03-08')).toBe(16);
  });
});

describe('rating a call (clause 5, priced by clause 2)', () => {
  it('included minutes first, then each call rounded up to the increment and charged once, half up', () => {
    const rated = rateCallsInOrder(tariff, 0, [
      { callRecordId: 'a', durationMs: 45_000 }, // 48 s, all included
      { callRecordId: 'b', durationMs: 61_000 }, // 66 s: 12 s included, 54 s charged = 13.5 fen → 14
      { callRecordId: 'c', durationMs: 600_001 }, // 606 s charged = 151.5 fen → 152
    ]);
    expect(rated.map((r) => [r.billableSeconds, r.includedSeconds, r.chargedSeconds, r.chargeFen])).toEqual([
      [48, 48, 0, 0],
      [66, 12, 54, 14],
      [606, 0, 606, 152],
    ]);
  });

  it('a zero-second answered call costs nothing; what earlier calls used of the allowance is not given again', () => {
    expect(rateCallsInOrder(tariff, 0, [{ callRecordId: 'z', durationMs: 0 }])[0]!.chargeFen).toBe(0);
    expect(rateCallsInOrder(tariff, 60, [{ callRecordId: 'x', durationMs: 6_000 }])[0]).toMatchObject({ includedSeconds: 0, chargeFen: 2 });
  });

  it('rating calls one by one or all at once gives the same charges (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7_200_000 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (durations, included) => {
          const t = { ...tariff, includedMinutes: included };
          const calls = durations.map((durationMs, i) => ({ callRecordId: String(i), durationMs }));
          const together = rateCallsInOrder(t, 0, calls);
          let used = 0;
          const oneByOne = calls.map((call) => {
            const [r] = rateCallsInOrder(t, used, [call]);
            used += r!.includedSeconds;
            return r!;
          });
          expect(oneByOne).toEqual(together);
          expect(together.reduce((s, r) => s + r.includedSeconds, 0)).toBeLessThanOrEqual(included * 60);
        },
      ),
    );
  });
});

describe('rent for a partial month', () => {
  it('is prorated by day and rounded once: Feb 10 … 29 of leap 2028 is 20/29 of 30.00 = 20.69', () => {
    const days = serviceDaysIn('2028-02-01', '2028-02-10', null)!;
    expect(days).toEqual({ from: '2028-02-10', to: '2028-02-29', days: 20 });
    expect(proratedRent(30_00, '2028-02-01', days.days)).toBe(20_69);
  });

  it('to the end date of a final month: Mar 1 … 15 of 31 days is 14.52; a whole month is the whole rent', () => {
    expect(serviceDaysIn('2026-03-01', '2025-06-01', '2026-03-15')!.days).toBe(15);
    expect(proratedRent(30_00, '2026-03-01', 15)).toBe(14_52);
    expect(proratedRent(30_00, '2026-02-01', 28)).toBe(30_00);
    expect(serviceDaysIn('2026-03-01', '2026-04-02', null)).toBeNull();
  });
});

describe('late fees (clause 5)', () => {
  const bill: LateFeeSnapshot = { principalFen: 30_00, dueDate: '2026-02-21', principalPayments: [], disputes: [], ratePerDay: rate };

  it('paid on the due date is on time; the next day is one day late', () => {
    expect(accruedLateFee({ ...bill, principalPayments: [{ date: '2026-02-21', amountFen: 30_00 }] }, '2026-02-21').days).toBe(0);
    expect(accruedLateFee({ ...bill, principalPayments: [{ date: '2026-02-22', amountFen: 30_00 }] }, '2026-02-22')).toEqual({
      days: 1,
      exact: 9_000_000_000n,
    });
  });

  it('paid Mar 8 → 15 days → 1.35; in a leap year the same dates are 16 days → 1.44', () => {
    const paid = accruedLateFee({ ...bill, principalPayments: [{ date: '2026-03-08', amountFen: 30_00 }] }, '2026-03-31');
    expect(paid.days).toBe(15);
    expect(lateFeeFen(paid.exact)).toBe(1_35);
    const leap = accruedLateFee(
      { ...bill, dueDate: '2028-02-21', principalPayments: [{ date: '2028-03-08', amountFen: 30_00 }] },
      '2028-03-31',
    );
    expect(lateFeeFen(leap.exact)).toBe(1_44);
  });

  it('partial payments lower the base from the next day; rounding happens once on the total', () => {
    const partial = accruedLateFee(
      {
        ...bill,
        principalFen: 33_33,
        principalPayments: [
          { date: '2026-02-25', amountFen: 10_00 },
          { date: '2026-03-03', amountFen: 23_33 },
        ],
      },
      '2026-03-31',
    );
    // 4 days × 0.09999 + 6 days × 0.06999 = 0.39996 + 0.41994 = 0.8199 → 0.82 (per day it would be 10 × 0.10 or 0.07 …)
    expect(partial.days).toBe(10);
    expect(lateFeeFen(partial.exact)).toBe(82);
  });

  it('an open dispute is excluded while open', () => {
    const disputed = accruedLateFee({ ...bill, disputes: [{ amountFen: 10_00, from: '2026-02-01', to: '2026-02-28' }] }, '2026-03-02');
    // Feb 22 … 28 on 20.00 (7 × 6 fen), Mar 1 … 2 on 30.00 (2 × 9 fen).
    expect(lateFeeFen(disputed.exact)).toBe(7 * 6 + 2 * 9);
  });
});

describe('allocation of a payment (PRC Civil Code art. 561)', () => {
  const bills = [
    { billId: 'jan', lateFeeOutstandingFen: 0, principalOutstandingFen: 30_00 },
    { billId: 'mar', lateFeeOutstandingFen: 1_35, principalOutstandingFen: 30_00 },
  ];

  it('oldest bill first; within a bill late fees first by default; the rest is left as credit', () => {
    expect(allocate(32_00, bills, 'late-fees-first')).toEqual([
      { billId: 'jan', portion: 'principal', amountFen: 30_00 },
      { billId: 'mar', portion: 'late_fee', amountFen: 1_35 },
      { billId: 'mar', portion: 'principal', amountFen: 65 },
    ]);
    expect(allocate(32_00, bills, 'principal-first').at(-1)).toEqual({ billId: 'mar', portion: 'principal', amountFen: 2_00 });
  });

  it('never allocates more than the credit or the outstanding (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.record({ billId: fc.uuid(), lateFeeOutstandingFen: fc.nat(10_000), principalOutstandingFen: fc.nat(100_000) }), {
          maxLength: 8,
        }),
        (credit, open) => {
          const allocations = allocate(credit, open, 'late-fees-first');
          const total = allocations.reduce((s, a) => s + a.amountFen, 0);
          const owed = open.reduce((s, b) => s + b.lateFeeOutstandingFen + b.principalOutstandingFen, 0);
          expect(total).toBe(Math.min(credit, owed));
        },
      ),
    );
  });
});

describe('dunning stages (clause 5) over a snapshot', () => {
  const stages = dunningStagesFromSettings({ suspendAfterOverdueMonths: 1, terminateAfterOverdueMonths: 3 });
  const stage = (oldestUnpaidDueDate: string | null, today: string) => desiredDunningStage(stages, { oldestUnpaidDueDate, today }).name;

  it('due Feb 21: current through Mar 21, suspended from Mar 22, terminated from May 22', () => {
    expect(stage('2026-02-21', '2026-03-21')).toBe('current');
    expect(stage('2026-02-21', '2026-03-22')).toBe('suspended');
    expect(stage('2026-02-21', '2026-05-21')).toBe('suspended');
    expect(stage('2026-02-21', '2026-05-22')).toBe('terminated');
    expect(stage(null, '2030-01-01')).toBe('current');
  });

  it('due Jan 31: the month ends on Feb 28 (Feb 29 in 2028), so suspension starts Mar 1', () => {
    expect(stage('2026-01-31', '2026-02-28')).toBe('current');
    expect(stage('2026-01-31', '2026-03-01')).toBe('suspended');
    expect(stage('2028-01-31', '2028-02-29')).toBe('current');
    expect(stage('2028-01-31', '2028-03-01')).toBe('suspended');
  });

  it('stages are data: an operator who suspends after two months gets the same rule with their number', () => {
    const patient = dunningStagesFromSettings({ suspendAfterOverdueMonths: 2, terminateAfterOverdueMonths: 4 });
    expect(desiredDunningStage(patient, { oldestUnpaidDueDate: '2026-02-21', today: '2026-04-21' }).name).toBe('current');
    expect(desiredDunningStage(patient, { oldestUnpaidDueDate: '2026-02-21', today: '2026-04-22' }).action).toBe('suspend');
    expect(desiredDunningStage(patient, { oldestUnpaidDueDate: '2026-02-21', today: '2026-06-22' }).action).toBe('terminate');
  });
});
