import { describe, expect, it } from 'vitest';
import { composeBill, type BillSnapshot } from '../../src/billing/compose-bill.js';

const february: BillSnapshot = {
  subscriberId: 'alice',
  period: '2026-02-01',
  serviceStart: '2026-01-01',
  serviceEnd: null,
  plan: { planId: 'plan-basic', code: 'basic', monthlyRentFen: 30_00 },
  rentStoppingDays: [],
  usage: [],
  pendingCharges: [],
};

const amounts = (snapshot: BillSnapshot) => composeBill(snapshot).lines.map((line) => [line.kind, line.amountFen]);

describe('composing a bill (clause 5, 11), from a snapshot, without a database', () => {
  it('a whole February is the whole rent, then the usage line, then late fees and adjustments posted since the last bill, in that order', () => {
    const bill = composeBill({
      ...february,
      usage: [{ kind: 'rating', chargeFen: 1_66, calls: 3, chargedSeconds: 660, billableSeconds: 720 }],
      pendingCharges: [
        { entryId: 'fee-1', kind: 'late_fee', amountFen: 1_35 },
        { entryId: 'adj-1', kind: 'adjustment', amountFen: 5_00 },
      ],
    });
    expect(bill.lines).toEqual([
      {
        kind: 'rent',
        amountFen: 30_00,
        description: 'Monthly rent basic, 2026-02-01 – 2026-02-28',
        detail: { planId: 'plan-basic', monthlyRentFen: 30_00, from: '2026-02-01', to: '2026-02-28', days: 28 },
        idempotencyKey: 'rent:alice:2026-02-01',
      },
      {
        kind: 'usage',
        amountFen: 1_66,
        description: 'Video calls: 3 calls, 660 s charged',
        detail: { calls: 3, billableSeconds: 720, chargedSeconds: 660, period: '2026-02-01' },
        idempotencyKey: 'usage:alice:2026-02-01',
      },
      { kind: 'late_fee', amountFen: 1_35, entryId: 'fee-1' },
      { kind: 'adjustment', amountFen: 5_00, entryId: 'adj-1' },
    ]);
    // 30.00 + 1.66 + 1.35 + 5.00; the late fee is kept apart, as it bears no late fee itself.
    expect(bill).toMatchObject({ totalFen: 38_01, lateFeeFen: 1_35, serviceFrom: '2026-02-01', serviceTo: '2026-02-28' });
  });

  it('from Mar 10 to 31 is 22 of 31 days: 30.00 × 22/31 = 21.29, rounded once', () => {
    const bill = composeBill({ ...february, period: '2026-03-01', serviceStart: '2026-03-10' });
    expect(amounts({ ...february, period: '2026-03-01', serviceStart: '2026-03-10' })).toEqual([['rent', 21_29]]);
    expect(bill).toMatchObject({ totalFen: 21_29, lateFeeFen: 0, serviceFrom: '2026-03-10', serviceTo: '2026-03-31' });
  });

  it('five whole days suspended without rent leave 17 of 31 days: 30.00 × 17/31 = 16.45, and the line says so', () => {
    const bill = composeBill({
      ...february,
      period: '2026-03-01',
      serviceStart: '2026-03-10',
      rentStoppingDays: [{ firstFullDay: '2026-03-20', lastFullDay: '2026-03-24' }],
    });
    expect(bill.lines).toEqual([
      expect.objectContaining({
        kind: 'rent',
        amountFen: 16_45,
        description: 'Monthly rent basic, 2026-03-10 – 2026-03-31, less 5 days suspended without rent',
        detail: { planId: 'plan-basic', monthlyRentFen: 30_00, from: '2026-03-10', to: '2026-03-31', days: 17, rentFreeDays: 5 },
      }),
    ]);
  });

  it('a final bill charges rent to the last day of service: May 1 … 22 is 30.00 × 22/31 = 21.29', () => {
    expect(amounts({ ...february, period: '2026-05-01', serviceEnd: '2026-05-22' })).toEqual([['rent', 21_29]]);
  });

  it('a month wholly suspended without rent has no rent line; a re-rating correction can bring the bill below zero', () => {
    const bill = composeBill({
      ...february,
      rentStoppingDays: [{ firstFullDay: '2026-01-15', lastFullDay: null }],
      usage: [{ kind: 'correction', chargeFen: -56, calls: 2, chargedSeconds: -12, billableSeconds: 0 }],
    });
    expect(bill.lines).toEqual([
      {
        kind: 'correction',
        amountFen: -56,
        description: 'Re-rating corrections: 2 calls',
        detail: { calls: 2, billableSeconds: 0, chargedSeconds: -12, period: '2026-02-01' },
        idempotencyKey: 'usage-correction:alice:2026-02-01',
      },
    ]);
    expect(bill).toMatchObject({ totalFen: -56, lateFeeFen: 0, serviceFrom: '2026-02-01', serviceTo: '2026-02-28' });
  });

  it('a period the service did not run in bills only what was posted since the last bill', () => {
    const bill = composeBill({
      ...february,
      serviceEnd: '2026-01-20',
      pendingCharges: [{ entryId: 'fee-2', kind: 'late_fee', amountFen: 9 }],
    });
    expect(bill).toEqual({
      subscriberId: 'alice',
      lines: [{ kind: 'late_fee', amountFen: 9, entryId: 'fee-2' }],
      totalFen: 9,
      lateFeeFen: 9,
      serviceFrom: null,
      serviceTo: null,
    });
  });
});
