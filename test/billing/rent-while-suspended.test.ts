import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rentFreeDays } from '../../src/billing/rules.js';
import { liftSuspensions, suspend } from '../../src/entitlements/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { advanceTo, billFor, local, realSubscriberOn30 } from './support.js';

const staff = { type: 'staff' as const, id: null, name: 'test' };

describe('rent-free days (pure)', () => {
  it('counts only days a suspension covered entirely, open-ended ones to the end', () => {
    expect(rentFreeDays('2026-02-01', '2026-02-28', [{ firstFullDay: '2026-02-10', lastFullDay: '2026-02-19' }])).toBe(10);
    expect(rentFreeDays('2026-02-01', '2026-02-28', [{ firstFullDay: '2026-02-25', lastFullDay: null }])).toBe(4);
    // Overlapping suspensions do not count a day twice.
    expect(
      rentFreeDays('2026-02-01', '2026-02-28', [
        { firstFullDay: '2026-02-10', lastFullDay: '2026-02-15' },
        { firstFullDay: '2026-02-12', lastFullDay: '2026-02-19' },
      ]),
    ).toBe(10);
  });
});

/**
 * Whether rent continues is part of each suspension (DESIGN §2): a judicial one keeps charging it
 * (clause 10); an overdue one by setting (`VP_OVERDUE_SUSPENSION_KEEPS_RENT`); false data does not.
 */
describe.each(engines)('rent while suspended on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let subscriber: { id: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      subscriber = await realSubscriberOn30(service);
    });
    afterAll(() => service?.close());

    it('February: suspended without rent from the 10th 00:00 to the 20th 00:00 → 18 of 28 days, 30.00 × 18/28 = 19.29', async () => {
      service.clock.set(local('2026-02-10 00:00'));
      await suspend(service.ctx, { subscriberId: subscriber.id, cause: 'false-data', reason: 'ID under review' }, staff);
      service.clock.set(local('2026-02-20 00:00'));
      await liftSuspensions(service.ctx, { subscriberId: subscriber.id, cause: 'false-data' }, staff);
      await advanceTo(service, '2026-03-01 00:10');
      const bill = await billFor(service, subscriber.id, '2026-02-01');
      expect(bill.lines.find((line) => line.kind === 'rent')).toMatchObject({ amountFen: 19_29 });
    });

    it('March: a judicial suspension for the 5th to the 15th keeps the full rent of 30.00 (clause 10)', async () => {
      service.clock.set(local('2026-03-05 00:00'));
      await suspend(service.ctx, { subscriberId: subscriber.id, cause: 'judicial', reason: 'court order' }, staff);
      service.clock.set(local('2026-03-15 00:00'));
      await liftSuspensions(service.ctx, { subscriberId: subscriber.id, cause: 'judicial' }, staff);
      await advanceTo(service, '2026-04-01 00:10');
      const bill = await billFor(service, subscriber.id, '2026-03-01');
      expect(bill.lines.find((line) => line.kind === 'rent')).toMatchObject({ amountFen: 30_00 });
    });
  });
});
